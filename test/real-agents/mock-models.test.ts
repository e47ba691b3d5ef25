import { afterEach, describe, expect, it } from "vitest";
import {
  failure,
  type MockModelServer,
  startMockModel,
  text,
  toolCall,
  writeFileToolCall,
} from "./mock-models/index.js";

/** The SSE events of a response body: [event name or undefined, parsed data]. */
function sseEvents(body: string): [string | undefined, Record<string, unknown>][] {
  return body
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      return [event, JSON.parse(data) as Record<string, unknown>];
    });
}

const tools = [{ name: "any_tool" }];

// The mocks are what the real-agent tests (and agenthub-driven ones) script; their contract is here.
describe("mock model servers", () => {
  const open: MockModelServer[] = [];
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close();
  });
  const start = async (provider: "claude" | "codex" | "gemini") => {
    const mock = await startMockModel(provider);
    open.push(mock);
    return mock;
  };
  const post = (mock: MockModelServer, path: string, body: unknown) =>
    fetch(`${mock.url}${path}`, { method: "POST", body: JSON.stringify(body) });

  it("anthropic: streams a tool_use block with usage; requests without tools do not consume the script", async () => {
    const mock = await start("claude");
    mock.enqueue(toolCall("Write", { file_path: "/x", content: "y" }, "Writing."), text("second"));
    const title = await post(mock, "/v1/messages", { stream: false, messages: [] });
    expect(((await title.json()) as { content: unknown }).content).toEqual([
      { type: "text", text: "(mock model: nothing scripted)" },
    ]);
    const res = await post(mock, "/v1/messages?beta=true", { stream: true, tools, messages: [] });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = sseEvents(await res.text());
    expect(events.map(([e]) => e)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[5]?.[1]).toMatchObject({ content_block: { type: "tool_use", name: "Write" } });
    const json = events
      .filter(([, d]) => (d.delta as { type?: string } | undefined)?.type === "input_json_delta")
      .map(([, d]) => (d.delta as { partial_json: string }).partial_json)
      .join("");
    expect(JSON.parse(json)).toEqual({ file_path: "/x", content: "y" });
    expect(events[0]?.[1]).toMatchObject({
      message: { usage: { input_tokens: 120, cache_read_input_tokens: 40 } },
    });
    expect(events[9]?.[1]).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { output_tokens: 30 },
    });
    expect(mock.requests.map((r) => r.scripted)).toEqual([false, true]);
    expect(mock.pending).toBe(1);
  });

  it("openai responses: streams text deltas and a function call, completes with usage; errors keep their status", async () => {
    const mock = await start("codex");
    mock.enqueue(toolCall("exec_command", { cmd: "ls" }), failure(503, "overloaded"));
    const res = await post(mock, "/v1/responses", { stream: true, tools });
    const events = sseEvents(await res.text());
    expect(events.map(([e]) => e)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[6]?.[1]).toMatchObject({
      item: { type: "function_call", name: "exec_command", arguments: '{"cmd":"ls"}' },
    });
    expect(events[7]?.[1]).toMatchObject({
      response: { status: "completed", usage: { input_tokens: 160, output_tokens: 30, total_tokens: 190 } },
    });
    const failed = await post(mock, "/v1/responses", { stream: true, tools });
    expect(failed.status).toBe(503);
    const empty = await post(mock, "/v1/responses", { stream: true, tools });
    const last = sseEvents(await empty.text()).at(-1)?.[1];
    expect(last).toMatchObject({
      response: { output: [{ type: "message", content: [{ text: "(mock model: nothing scripted)" }] }] },
    });
    expect(mock.scripted).toHaveLength(2);
  });

  it("openai responses: a string input is a custom tool call (codex's apply_patch)", async () => {
    const mock = await start("codex");
    mock.enqueue(writeFileToolCall("codex", "/w/a.txt", "one\ntwo"));
    const events = sseEvents(await (await post(mock, "/v1/responses", { stream: true, tools })).text());
    const done = events.find(
      ([e, d]) => e === "response.output_item.done" && (d.item as { type: string }).type !== "message",
    );
    expect(done?.[1]).toMatchObject({
      item: {
        type: "custom_tool_call",
        name: "apply_patch",
        input: "*** Begin Patch\n*** Add File: /w/a.txt\n+one\n+two\n*** End Patch",
      },
    });
  });

  it("gemini: streams data-only chunks with a functionCall part and usageMetadata; unknown paths are 404 and recorded", async () => {
    const mock = await start("gemini");
    mock.enqueue(writeFileToolCall("gemini", "/w/a.txt", "hi"));
    const path = "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";
    const events = sseEvents(
      await (await post(mock, path, { tools: [{ functionDeclarations: [] }] })).text(),
    );
    expect(events.every(([e]) => e === undefined)).toBe(true);
    const last = events.at(-1)?.[1];
    expect(last).toMatchObject({
      candidates: [
        {
          finishReason: "STOP",
          content: { parts: [{ functionCall: { name: "write_file", args: { file_path: "/w/a.txt" } } }] },
        },
      ],
      usageMetadata: { promptTokenCount: 160, candidatesTokenCount: 30, cachedContentTokenCount: 40 },
    });
    const missing = await post(mock, "/v1/nothing", {});
    expect(missing.status).toBe(404);
    expect(mock.requests.map((r) => r.url)).toEqual([path, "/v1/nothing"]);
  });
});
