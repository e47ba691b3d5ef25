import type { ServerResponse } from "node:http";
import { deltas, MockModelServer, type MockRequest } from "./mock-model-server.js";
import type { MockReply } from "./types.js";

type Item = Record<string, unknown> & { type: string; id: string };

/**
 * OpenAI Responses API (`POST /v1/responses`, what Codex calls for a provider with
 * `wire_api = "responses"`): streaming SSE (response.created, response.output_item.added,
 * response.output_text.delta, response.function_call_arguments.delta, response.output_item.done,
 * response.completed with usage) or one JSON response. A request with tools is a turn. A tool call
 * whose input is an object is a `function_call`; a string input is a `custom_tool_call` (apply_patch).
 */
export class OpenAIResponsesMock extends MockModelServer {
  protected handle(req: MockRequest, res: ServerResponse): void {
    if (req.method === "GET" && req.path === "/v1/models") {
      this.json(res, 200, { object: "list", data: [] });
      return;
    }
    if (req.method !== "POST" || req.path !== "/v1/responses") {
      this.json(res, 404, { error: { type: "invalid_request_error", message: `mock: no ${req.path}` } });
      return;
    }
    const tools = req.body?.tools;
    const isTurn = Array.isArray(tools) && tools.length > 0;
    const reply = isTurn ? this.take(req) : this.fallback;
    if (reply.kind === "error") {
      this.json(res, reply.status, { error: { type: "server_error", code: null, message: reply.message } });
      return;
    }
    const model = typeof req.body?.model === "string" ? req.body.model : "gpt-mock";
    const items = this.items(reply);
    const usage = {
      input_tokens: this.usage.input_tokens + this.usage.cached_input_tokens,
      input_tokens_details: { cached_tokens: this.usage.cached_input_tokens },
      output_tokens: this.usage.output_tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: this.usage.input_tokens + this.usage.cached_input_tokens + this.usage.output_tokens,
    };
    const response = { id: this.nextId("resp_mock_"), object: "response", created_at: 0, model };
    if (req.body?.stream !== true) {
      this.json(res, 200, { ...response, status: "completed", output: items, usage });
      return;
    }
    const out = this.sse(res);
    let seq = 0;
    const send = (type: string, data: Record<string, unknown>) =>
      out.send(type, { type, sequence_number: seq++, ...data });
    send("response.created", { response: { ...response, status: "in_progress", output: [] } });
    send("response.in_progress", { response: { ...response, status: "in_progress", output: [] } });
    items.forEach((item, output_index) => {
      if (item.type === "message") {
        const full = String((item.content as { text: string }[])[0]?.text ?? "");
        send("response.output_item.added", {
          output_index,
          item: { ...item, status: "in_progress", content: [] },
        });
        const part = { type: "output_text", text: "", annotations: [] };
        send("response.content_part.added", { item_id: item.id, output_index, content_index: 0, part });
        for (const delta of deltas(full))
          send("response.output_text.delta", { item_id: item.id, output_index, content_index: 0, delta });
        send("response.output_text.done", { item_id: item.id, output_index, content_index: 0, text: full });
        send("response.content_part.done", {
          item_id: item.id,
          output_index,
          content_index: 0,
          part: { ...part, text: full },
        });
      } else if (item.type === "function_call") {
        const args = String(item.arguments);
        send("response.output_item.added", {
          output_index,
          item: { ...item, arguments: "", status: "in_progress" },
        });
        for (const delta of deltas(args))
          send("response.function_call_arguments.delta", { item_id: item.id, output_index, delta });
        send("response.function_call_arguments.done", { item_id: item.id, output_index, arguments: args });
      } else {
        const input = String(item.input);
        send("response.output_item.added", {
          output_index,
          item: { ...item, input: "", status: "in_progress" },
        });
        for (const delta of deltas(input))
          send("response.custom_tool_call_input.delta", { item_id: item.id, output_index, delta });
        send("response.custom_tool_call_input.done", { item_id: item.id, output_index, input });
      }
      send("response.output_item.done", { output_index, item });
    });
    send("response.completed", { response: { ...response, status: "completed", output: items, usage } });
    out.end();
  }

  private items(reply: Exclude<MockReply, { kind: "error" }>): Item[] {
    const message = (t: string): Item => ({
      type: "message",
      id: this.nextId("msg_mock_"),
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: t, annotations: [] }],
    });
    if (reply.kind === "text") return [message(reply.text)];
    const callId = this.nextId("call_mock_");
    const call: Item =
      typeof reply.input === "string"
        ? {
            type: "custom_tool_call",
            id: this.nextId("ctc_mock_"),
            call_id: callId,
            name: reply.name,
            input: reply.input,
            status: "completed",
          }
        : {
            type: "function_call",
            id: this.nextId("fc_mock_"),
            call_id: callId,
            name: reply.name,
            arguments: JSON.stringify(reply.input),
            status: "completed",
          };
    return reply.text === undefined ? [call] : [message(reply.text), call];
  }
}
