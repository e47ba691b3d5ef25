import { describe, expect, it } from "vitest";
import { MAX_EVENT_TEXT_BYTES } from "../../src/node/event-caps.js";
import { TurnMessages } from "../../src/node/turn-messages.js";
import { UsageMeter } from "../../src/node/usage-meter.js";

describe("TurnMessages", () => {
  it("without message ids (Claude, Codex, Gemini), a tool call separates the turn's messages: the reply is the last", () => {
    const m = new TurnMessages();
    m.chunk("I will write ", undefined);
    m.chunk("/w/hello.txt.", null);
    m.toolCall();
    m.toolCall();
    m.chunk("Done: ", undefined);
    m.chunk("wrote hello.txt.", undefined);
    expect(m.reply()).toEqual({ text: "Done: wrote hello.txt.", messages: 2 });
  });

  it("a new message id starts a new message; the same id (or none after one) continues it", () => {
    const m = new TurnMessages();
    m.chunk("a", "m1");
    m.chunk("b", "m1");
    m.chunk("c", null);
    m.chunk("d", "m2");
    expect(m.reply()).toEqual({ text: "d", messages: 2 });
    m.chunk("e", "m2");
    expect(m.reply()).toEqual({ text: "de", messages: 2 });
  });

  it("a last message of whitespace only leaves the one before as the reply; no text at all is an empty reply", () => {
    const m = new TurnMessages();
    m.toolCall();
    expect(m.reply()).toEqual({ text: "", messages: 0 });
    m.chunk("the answer", undefined);
    m.toolCall();
    m.chunk("\n\n", undefined);
    expect(m.reply()).toEqual({ text: "the answer", messages: 1 });
  });

  it("cuts a long final message to the event cap, naming its size", () => {
    const m = new TurnMessages();
    m.chunk("short", undefined);
    m.toolCall();
    const big = "x".repeat(MAX_EVENT_TEXT_BYTES);
    m.chunk(big, undefined);
    m.chunk("tail", undefined);
    const r = m.reply();
    expect(r.truncatedBytes).toBe(MAX_EVENT_TEXT_BYTES + 4);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
    expect(r.text.endsWith(`…[truncated: ${MAX_EVENT_TEXT_BYTES + 4} bytes]`)).toBe(true);
  });
});

describe("UsageMeter", () => {
  it("a turn's cost is the rise of the session's cumulative cost during it; none reported is null", () => {
    const meter = new UsageMeter();
    meter.beginTurn();
    meter.usageUpdate({ cost: { amount: 0.1, currency: "USD" } });
    meter.usageUpdate({ cost: { amount: 0.3, currency: "USD" } });
    expect(meter.endTurn({ stopReason: "end_turn", usage: { inputTokens: 5, outputTokens: 1 } })).toEqual({
      input_tokens: 5,
      output_tokens: 1,
      cached_read_tokens: 0,
      cached_write_tokens: 0,
      thought_tokens: 0,
      total_tokens: 6,
      cost: { amount: 0.3, currency: "USD" },
    });
    meter.beginTurn();
    meter.usageUpdate({ cost: { amount: 0.45, currency: "USD" } });
    expect(meter.endTurn({ stopReason: "end_turn" })).toMatchObject({
      total_tokens: 0,
      cost: { amount: 0.15 },
    });
    // A turn without a cost update (only context-window updates) has no cost; without tokens either: null.
    meter.beginTurn();
    meter.usageUpdate({});
    expect(meter.endTurn({ stopReason: "end_turn" })).toBeNull();
  });

  it("a cost that changes currency or goes down counts whole; a count set before a turn (after session/load) is its baseline", () => {
    const meter = new UsageMeter();
    meter.usageUpdate({ cost: { amount: 2, currency: "USD" } });
    meter.beginTurn();
    meter.usageUpdate({ cost: { amount: 2.5, currency: "USD" } });
    expect(meter.endTurn({})?.cost).toEqual({ amount: 0.5, currency: "USD" });
    meter.beginTurn();
    meter.usageUpdate({ cost: { amount: 0.2, currency: "USD" } });
    expect(meter.endTurn({})?.cost).toEqual({ amount: 0.2, currency: "USD" });
    meter.beginTurn();
    meter.usageUpdate({ cost: { amount: 7, currency: "credits" } });
    expect(meter.endTurn({})?.cost).toEqual({ amount: 7, currency: "credits" });
  });
});
