import type { ServerResponse } from "node:http";
import { deltas, MockModelServer, type MockRequest } from "./mock-model-server.js";
import type { MockReply } from "./types.js";

type Part = { text: string } | { functionCall: { id: string; name: string; args: unknown } };

const MODEL_PATH = /^\/v1beta\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

/**
 * Gemini API (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse`, what Gemini CLI calls with
 * GOOGLE_GEMINI_BASE_URL): SSE `data:` chunks of GenerateContentResponse with text or `functionCall`
 * parts, the last one with finishReason and usageMetadata. A streaming request with tools is a turn;
 * `:generateContent` (routing, next-speaker checks) gets the fallback; `:countTokens` a count.
 */
export class GeminiMock extends MockModelServer {
  protected handle(req: MockRequest, res: ServerResponse): void {
    const m = req.method === "POST" ? MODEL_PATH.exec(req.path) : null;
    if (!m) {
      this.json(res, 404, { error: { code: 404, message: `mock: no ${req.path}`, status: "NOT_FOUND" } });
      return;
    }
    const [, model, verb] = m;
    if (verb === "countTokens") {
      this.json(res, 200, { totalTokens: this.usage.input_tokens });
      return;
    }
    const tools = req.body?.tools;
    const stream = verb === "streamGenerateContent";
    const isTurn = stream && Array.isArray(tools) && tools.length > 0;
    const reply = isTurn ? this.take(req) : this.fallback;
    if (reply.kind === "error") {
      this.json(res, reply.status, {
        error: { code: reply.status, message: reply.message, status: "INTERNAL" },
      });
      return;
    }
    const parts = this.parts(reply);
    const usageMetadata = {
      promptTokenCount: this.usage.input_tokens + this.usage.cached_input_tokens,
      cachedContentTokenCount: this.usage.cached_input_tokens,
      candidatesTokenCount: this.usage.output_tokens,
      totalTokenCount: this.usage.input_tokens + this.usage.cached_input_tokens + this.usage.output_tokens,
    };
    const chunk = (chunkParts: Part[], last: boolean) => ({
      candidates: [
        {
          content: { role: "model", parts: chunkParts },
          index: 0,
          ...(last ? { finishReason: "STOP" } : {}),
        },
      ],
      ...(last ? { usageMetadata } : {}),
      modelVersion: model,
      responseId: this.nextId("gem_mock_"),
    });
    if (!stream) {
      this.json(res, 200, chunk(parts, true));
      return;
    }
    // Text arrives in two chunks; a function call comes whole in the last chunk.
    const out = this.sse(res);
    const first = parts[0];
    if (first && "text" in first && parts.length === 1) {
      const [a, b = ""] = deltas(first.text);
      out.send(undefined, chunk([{ text: a ?? "" }], false));
      out.send(undefined, chunk([{ text: b }], true));
    } else {
      const texts = parts.filter((p) => "text" in p);
      const calls = parts.filter((p) => "functionCall" in p);
      if (texts.length > 0) out.send(undefined, chunk(texts, false));
      out.send(undefined, chunk(calls, true));
    }
    out.end();
  }

  private parts(reply: Exclude<MockReply, { kind: "error" }>): Part[] {
    if (reply.kind === "text") return [{ text: reply.text }];
    const call: Part = { functionCall: { id: this.nextId("fc_mock_"), name: reply.name, args: reply.input } };
    return reply.text === undefined ? [call] : [{ text: reply.text }, call];
  }
}
