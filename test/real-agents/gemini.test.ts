import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { text, writeFileToolCall } from "./mock-models/index.js";
import { GEMINI_MOCK_MODEL } from "./real-agent-env.js";
import { acpError, header, useRealAgent } from "./real-agent-harness.js";

// Gemini CLI in ACP mode (`gemini --acp`), against the mock Gemini API.
describe("real gemini agent over ACP (mock Gemini API)", () => {
  const real = useRealAgent("gemini");

  it("without an API key refuses session/new with ACP authRequired (-32000) naming the missing key", async () => {
    const { agent, cwd, mock } = await real.start({ credentials: false, pointAtMock: false });
    const init = await agent.initialize();
    expect(init.authMethods?.map((m) => m.id)).toEqual([
      "oauth-personal",
      "gemini-api-key",
      "vertex-ai",
      "gateway",
    ]);
    expect(await acpError(agent.newSession(cwd))).toMatchObject({
      code: -32000,
      message: "Gemini API key is missing or not configured.",
    });
    expect(mock.requests).toEqual([]);
  });

  it("offers its modes and models, answers a text turn with token counts, and writes a file once the client allows it", async () => {
    const { agent, cwd, mock, agentEnv } = await real.start();
    const init = await agent.initialize();
    expect(init.agentInfo).toMatchObject({ name: "gemini-cli", version: agentEnv.version });
    expect(init.agentCapabilities?.loadSession).toBe(true);

    const session = await agent.newSession(cwd);
    expect(session.modes?.currentModeId).toBe("default");
    expect(session.modes?.availableModes.map((m) => m.id)).toEqual(["default", "autoEdit", "yolo", "plan"]);
    expect(session.models?.availableModels.map((m) => m.modelId)).toContain(GEMINI_MOCK_MODEL);

    mock.enqueue(text("Hello from the mock Gemini API."));
    const hello = await agent.prompt(session.sessionId, "Say hello");
    expect(hello.response.stopReason).toBe("end_turn");
    expect(hello.text).toBe("Hello from the mock Gemini API.");
    // No `usage` field and no usage_update: the counts are only in _meta.quota (input includes cached).
    expect(hello.response.usage).toBeUndefined();
    expect(hello.response._meta?.quota).toMatchObject({
      token_count: { input_tokens: 160, output_tokens: 30 },
    });
    const first = mock.scripted[0]!;
    expect(first.url).toBe(`/v1beta/models/${GEMINI_MOCK_MODEL}:streamGenerateContent?alt=sse`);
    expect(header(first.headers, "x-goog-api-key")).toBe("gemini-mock-key");
    expect(JSON.stringify(first.body)).toContain("Say hello");

    const file = join(cwd, "hello.txt");
    mock.enqueue(writeFileToolCall("gemini", file, "written by gemini"), text("Done: wrote hello.txt."));
    const write = await agent.prompt(session.sessionId, "Write hello.txt");
    expect(write.response.stopReason).toBe("end_turn");
    expect(agent.permissionRequests).toHaveLength(1);
    const asked = agent.permissionRequests[0]!;
    expect(asked.toolCall).toMatchObject({ kind: "edit", locations: [{ path: file }] });
    expect(asked.options.map((o) => o.kind)).toEqual(["allow_always", "allow_once", "reject_once"]);
    expect(readFileSync(file, "utf8")).toBe("written by gemini");
    expect(JSON.stringify(mock.scripted.at(-1)?.body)).toContain('"functionResponse"');
    expect(write.text.endsWith("Done: wrote hello.txt.")).toBe(true);
    expect(mock.pending).toBe(0);
  });
});
