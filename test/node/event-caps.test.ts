import { afterEach, describe, expect, it } from "vitest";
import {
  capEventData,
  MAX_EVENT_BYTES,
  MAX_EVENT_TEXT_BYTES,
  truncatedBytes,
  truncateText,
} from "../../src/node/event-caps.js";
import { EventLog } from "../../src/node/event-log.js";
import { LineTail } from "../../src/node/line-tail.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("truncateText", () => {
  it("keeps text that fits", () => {
    expect(truncateText("hello", 5)).toBe("hello");
    expect(truncateText("", 0)).toBe("");
  });

  it("cuts to the cap including the marker, naming the original size", () => {
    const text = "x".repeat(1000);
    const out = truncateText(text, 100);
    expect(bytes(out)).toBeLessThanOrEqual(100);
    expect(out.endsWith("…[truncated: 1000 bytes]")).toBe(true);
    expect(out.startsWith("xxxx")).toBe(true);
    expect(truncatedBytes(out)).toBe(1000);
    expect(truncatedBytes(text)).toBeUndefined();
    // Idempotent: a truncated text fits its cap.
    expect(truncateText(out, 100)).toBe(out);
  });

  it("never cuts a character in half", () => {
    const text = "é".repeat(500); // 2 bytes each
    for (const cap of [100, 101, 102, 103]) {
      const out = truncateText(text, cap);
      expect(bytes(out)).toBeLessThanOrEqual(cap);
      expect(out).not.toContain("\uFFFD");
      expect(truncatedBytes(out)).toBe(1000);
    }
    const emoji = truncateText("😀".repeat(100), 50);
    expect(emoji).not.toContain("\uFFFD");
    expect(bytes(emoji)).toBeLessThanOrEqual(50);
  });

  it("names a given original size (text already cut while read)", () => {
    expect(truncateText("abc", 100, 5_000_000)).toBe("abc…[truncated: 5000000 bytes]");
  });
});

describe("capEventData", () => {
  it("returns small data unchanged (same object)", () => {
    const data = { turn_id: "t1", update: { content: { text: "hi" } } };
    expect(capEventData(data)).toBe(data);
  });

  it("truncates a 17 MB string and records where and how large it was", () => {
    const big = "a".repeat(17_825_792);
    const data = { turn_id: "t1", update: { sessionUpdate: "agent_message_chunk", content: { text: big } } };
    const out = capEventData(data) as {
      turn_id: string;
      update: { content: { text: string } };
      truncated: { path: string; bytes: number }[];
    };
    expect(out.turn_id).toBe("t1");
    expect(bytes(out.update.content.text)).toBeLessThanOrEqual(MAX_EVENT_TEXT_BYTES);
    expect(out.update.content.text.endsWith("…[truncated: 17825792 bytes]")).toBe(true);
    expect(out.truncated).toEqual([{ path: "update.content.text", bytes: 17_825_792 }]);
    expect(bytes(JSON.stringify(out))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(data.update.content.text).toBe(big); // the input is not changed
  });

  it("keeps a whole event under the event cap when many fields are large", () => {
    const field = "b".repeat(900_000);
    const data = { turn_id: "t2", parts: Array.from({ length: 20 }, () => field) };
    const out = capEventData(data) as { turn_id: string; parts: string[]; truncated: unknown[] };
    expect(bytes(JSON.stringify(out))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(out.turn_id).toBe("t2");
    expect(out.parts[0]?.endsWith("…[truncated: 900000 bytes]")).toBe(true);
    expect(out.truncated).toHaveLength(20);
    expect(out.truncated[0]).toEqual({ path: "parts[0]", bytes: 900_000 });
  });

  it("reduces an event of countless small fields to its short top-level fields and size", () => {
    const data = { turn_id: "t3", n: 1, rows: Array.from({ length: 300_000 }, (_, i) => ({ i, s: "row" })) };
    const size = bytes(JSON.stringify(data));
    const out = capEventData(data, { eventBytes: 1024 * 1024 });
    expect(out).toEqual({ turn_id: "t3", n: 1, truncated_event_bytes: size });
  });
});

describe("LineTail", () => {
  it("splits lines (\\n and \\r\\n), keeps the last max, emits a trailing partial line at end", () => {
    const seen: string[] = [];
    const t = new LineTail((l) => seen.push(l), 2);
    t.push("a\r\nb");
    t.push("c\n\nd");
    t.end();
    expect(seen).toEqual(["a", "bc", "", "d"]);
    expect(t.tail()).toEqual(["", "d"]);
  });

  it("bounds one 100 MB line while it is read", () => {
    const seen: string[] = [];
    const t = new LineTail((l) => seen.push(l), 20, 64 * 1024);
    const chunk = "z".repeat(64 * 1024);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1600; i++) t.push(chunk); // 100 MiB, no newline yet
    const grown = process.memoryUsage().heapUsed - before;
    t.push("\nnext line\n");
    expect(seen).toHaveLength(2);
    expect(bytes(seen[0]!)).toBeLessThanOrEqual(64 * 1024);
    expect(seen[0]!.endsWith(`…[truncated: ${1600 * 64 * 1024} bytes]`)).toBe(true);
    expect(seen[1]).toBe("next line");
    expect(t.tail()).toEqual(seen);
    // Far below the 100 MiB read (the chunks themselves are garbage once pushed).
    expect(grown).toBeLessThan(50 * 1024 * 1024);
  });
});

describe("EventLog caps", () => {
  it("stores a 17 MB event truncated (also after a restart) and keeps small events as they are", () => {
    const dir = tempDir("agenthub-caps-");
    cleanups.push(dir.cleanup);
    const log = new EventLog({ dir: dir.path });
    const small = { turn_id: "t0", reply: "ok" };
    log.append("a", "turn_ended", small);
    log.append("a", "turn_ended", { turn_id: "t1", reply: "r".repeat(17_825_792) });
    log.flush();
    log.close();
    const again = new EventLog({ dir: dir.path });
    cleanups.push(() => again.close());
    const [first, second] = again.readFrom(1);
    expect(first?.data).toEqual(small);
    const data = second?.data as { turn_id: string; reply: string; truncated: unknown };
    expect(data.turn_id).toBe("t1");
    expect(data.reply.endsWith("…[truncated: 17825792 bytes]")).toBe(true);
    expect(data.truncated).toEqual([{ path: "reply", bytes: 17_825_792 }]);
    expect(bytes(JSON.stringify(second))).toBeLessThan(MAX_EVENT_TEXT_BYTES + 1024);
  });
});
