import type { ServerResponse } from "node:http";
import { deltas, MockModelServer, type MockRequest } from "./mock-model-server.js";
import type { MockReply } from "./types.js";

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

/**
 * Anthropic Messages API (`POST /v1/messages`, what Claude Code calls with ANTHROPIC_BASE_URL):
 * streaming SSE (message_start, content_block_start/delta/stop, message_delta, message_stop) or one
 * JSON message. A request with tools is a turn and takes the next scripted reply; one without tools
 * (a title or a quota probe) gets the fallback. Also answers `/v1/messages/count_tokens`.
 */
export class AnthropicMock extends MockModelServer {
  protected handle(req: MockRequest, res: ServerResponse): void {
    if (req.method === "POST" && req.path === "/v1/messages/count_tokens") {
      this.json(res, 200, { input_tokens: this.usage.input_tokens });
      return;
    }
    if (req.method !== "POST" || req.path !== "/v1/messages") {
      this.json(res, 404, {
        type: "error",
        error: { type: "not_found_error", message: `mock: no ${req.path}` },
      });
      return;
    }
    const tools = req.body?.tools;
    const isTurn = Array.isArray(tools) && tools.length > 0;
    const reply = isTurn ? this.take(req) : this.fallback;
    if (reply.kind === "error") {
      this.json(res, reply.status, { type: "error", error: { type: "api_error", message: reply.message } });
      return;
    }
    const model = typeof req.body?.model === "string" ? req.body.model : "claude-mock";
    const blocks = this.blocks(reply);
    const stopReason = reply.kind === "tool_call" ? "tool_use" : "end_turn";
    const usage = {
      input_tokens: this.usage.input_tokens,
      output_tokens: this.usage.output_tokens,
      cache_read_input_tokens: this.usage.cached_input_tokens,
      cache_creation_input_tokens: 0,
    };
    const message = { id: this.nextId("msg_mock_"), type: "message", role: "assistant", model };
    if (req.body?.stream !== true) {
      this.json(res, 200, {
        ...message,
        content: blocks,
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      });
      return;
    }
    const out = this.sse(res);
    out.send("message_start", {
      type: "message_start",
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    blocks.forEach((block, index) => {
      if (block.type === "text") {
        out.send("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "text", text: "" },
        });
        for (const piece of deltas(block.text))
          out.send("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "text_delta", text: piece },
          });
      } else {
        out.send("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        });
        for (const piece of deltas(JSON.stringify(block.input)))
          out.send("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: piece },
          });
      }
      out.send("content_block_stop", { type: "content_block_stop", index });
    });
    out.send("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: this.usage.output_tokens },
    });
    out.send("message_stop", { type: "message_stop" });
    out.end();
  }

  private blocks(reply: Exclude<MockReply, { kind: "error" }>): Block[] {
    if (reply.kind === "text") return [{ type: "text", text: reply.text }];
    const call: Block = {
      type: "tool_use",
      id: this.nextId("toolu_mock_"),
      name: reply.name,
      input: reply.input,
    };
    return reply.text === undefined ? [call] : [{ type: "text", text: reply.text }, call];
  }
}
