import type { RealAgentProvider } from "../pinned.mjs";
import { AnthropicMock } from "./anthropic-mock.js";
import { GeminiMock } from "./gemini-mock.js";
import type { MockModelServer } from "./mock-model-server.js";
import { OpenAIResponsesMock } from "./openai-responses-mock.js";
import { type MockReply, toolCall } from "./types.js";

export { AnthropicMock } from "./anthropic-mock.js";
export { GeminiMock } from "./gemini-mock.js";
export type { MockModelServer, MockRequest } from "./mock-model-server.js";
export { OpenAIResponsesMock } from "./openai-responses-mock.js";
export * from "./types.js";

/** The mock model API a provider's agent calls, listening on 127.0.0.1:0. */
export function startMockModel(provider: RealAgentProvider): Promise<MockModelServer> {
  switch (provider) {
    case "claude":
      return new AnthropicMock().listen();
    case "codex":
      return new OpenAIResponsesMock().listen();
    case "gemini":
      return new GeminiMock().listen();
  }
}

/**
 * The model's tool call that makes this provider's agent write `content` to the absolute `path`:
 * Claude Code's `Write`, Codex's `apply_patch` (a free-form patch), Gemini CLI's `write_file`.
 */
export function writeFileToolCall(provider: RealAgentProvider, path: string, content: string): MockReply {
  switch (provider) {
    case "claude":
      return toolCall("Write", { file_path: path, content }, `I will write ${path}.`);
    case "codex": {
      const lines = content.split("\n").map((l) => `+${l}`);
      const patch = ["*** Begin Patch", `*** Add File: ${path}`, ...lines, "*** End Patch"].join("\n");
      return toolCall("apply_patch", patch, `I will write ${path}.`);
    }
    case "gemini":
      return toolCall("write_file", { file_path: path, content }, `I will write ${path}.`);
  }
}
