import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { text, writeFileToolCall } from "./mock-models/index.js";
import { CODEX_MOCK_MODEL } from "./real-agent-env.js";
import { acpError, header, useRealAgent } from "./real-agent-harness.js";

// Codex through @agentclientprotocol/codex-acp (which runs `codex app-server`), against the mock
// OpenAI Responses API configured as a custom model provider.
describe("real codex agent over ACP (mock OpenAI Responses API)", () => {
  const real = useRealAgent("codex");

  it("without a login refuses session/new with ACP authRequired (-32000), even with OPENAI_API_KEY set", async () => {
    const { agent, cwd, mock } = await real.start({ credentials: false, pointAtMock: false });
    const init = await agent.initialize();
    expect(init.authMethods?.map((m) => m.id)).toEqual(["api-key", "chat-gpt"]);
    expect(await acpError(agent.newSession(cwd))).toMatchObject({
      code: -32000,
      message: "Authentication required",
    });

    // The key alone is not a login: the client must call authenticate({methodId: "api-key"}) (or
    // the agent be started with DEFAULT_AUTH_REQUEST) before session/new.
    const withKey = await real.start({ credentials: true, pointAtMock: false });
    await withKey.agent.initialize();
    expect(await acpError(withKey.agent.newSession(withKey.cwd))).toMatchObject({
      code: -32000,
      message: "Authentication required",
    });
    expect([...mock.requests, ...withKey.mock.requests]).toEqual([]);
  });

  it("with a custom provider but no key ends the turn normally, the missing key only in the message text", async () => {
    const { agent, cwd, mock } = await real.start({ credentials: false });
    await agent.initialize();
    const session = await agent.newSession(cwd);
    mock.enqueue(text("never sent"));
    const turn = await agent.prompt(session.sessionId, "hello");
    expect(turn.response.stopReason).toBe("end_turn");
    expect(turn.response.usage).toBeNull();
    expect(turn.text).toContain("Missing environment variable: `OPENAI_API_KEY`.");
    expect(mock.requests).toEqual([]);
    // The only machine-readable sign: a session_info_update whose codex meta says systemError.
    const statuses = turn.updates.flatMap((u) =>
      u.sessionUpdate === "session_info_update"
        ? [(u._meta?.codex as { threadStatus?: { type: string } })?.threadStatus?.type]
        : [],
    );
    expect(statuses).toContain("systemError");
  });

  it("offers its modes, answers a text turn with usage, and in read-only mode asks the client before writing a file", async () => {
    const { agent, cwd, mock, agentEnv } = await real.start();
    const init = await agent.initialize();
    expect(init.agentInfo).toMatchObject({
      name: "@agentclientprotocol/codex-acp",
      version: agentEnv.version,
    });
    expect(init.agentCapabilities?.loadSession).toBe(true);

    const session = await agent.newSession(cwd);
    expect(session.modes?.currentModeId).toBe("agent");
    expect(session.modes?.availableModes.map((m) => m.id)).toEqual([
      "read-only",
      "workspace-write",
      "agent",
      "agent-full-access",
    ]);
    // session/set_model ids carry the reasoning effort; the "model" config option is the bare name.
    expect(session.models?.currentModelId).toBe(`${CODEX_MOCK_MODEL}[medium]`);
    expect(session.configOptions?.map((o) => o.id)).toEqual(
      expect.arrayContaining(["mode", "model", "reasoning_effort"]),
    );
    // "agent" (Auto review) sends approvals to Codex's own reviewer model; read-only asks the client.
    await agent.setMode(session.sessionId, "read-only");

    mock.enqueue(text("Hello from the mock Responses API."));
    const hello = await agent.prompt(session.sessionId, "Say hello");
    expect(hello.response.stopReason).toBe("end_turn");
    expect(hello.text).toBe("Hello from the mock Responses API.");
    expect(hello.response.usage).toMatchObject({ inputTokens: 120, outputTokens: 30, cachedReadTokens: 40 });
    const first = mock.scripted[0]!;
    expect(first.url).toBe("/v1/responses");
    expect(header(first.headers, "authorization")).toBe("Bearer sk-mock-key");
    expect(first.body).toMatchObject({ model: CODEX_MOCK_MODEL, stream: true });
    expect(JSON.stringify(first.body)).toContain("Say hello");

    const file = join(cwd, "hello.txt");
    mock.enqueue(writeFileToolCall("codex", file, "written by codex"), text("Done: wrote hello.txt."));
    const write = await agent.prompt(session.sessionId, "Write hello.txt");
    expect(write.response.stopReason).toBe("end_turn");
    expect(agent.permissionRequests).toHaveLength(1);
    const asked = agent.permissionRequests[0]!;
    expect(asked.toolCall).toMatchObject({ kind: "edit", locations: [{ path: file }] });
    expect(asked.options.map((o) => o.kind)).toEqual(["allow_once", "allow_always", "reject_once"]);
    expect(readFileSync(file, "utf8")).toBe("written by codex\n");
    expect(JSON.stringify(mock.scripted.at(-1)?.body)).toContain('"type":"custom_tool_call_output"');
    expect(write.text.endsWith("Done: wrote hello.txt.")).toBe(true);
    expect(mock.pending).toBe(0);
  });

  it("in its default mode (agent, Auto review) sends the approval to its reviewer model, never to the client", async () => {
    const { agent, cwd, mock } = await real.start();
    await agent.initialize();
    const session = await agent.newSession(cwd);
    expect(session.modes?.currentModeId).toBe("agent");
    const file = join(cwd, "hello.txt");
    // The reviewer takes the second reply; plain text is not a valid assessment, so the edit is refused.
    mock.enqueue(writeFileToolCall("codex", file, "never written"), text("not an assessment"));
    const turn = await agent.prompt(session.sessionId, "Write hello.txt");
    expect(turn.response.stopReason).toBe("end_turn");
    expect(agent.permissionRequests).toEqual([]);
    const toolNames = (body: unknown) =>
      ((body as { tools?: { name?: string }[] }).tools ?? []).map((t) => t.name);
    const reviewer = mock.scripted[1]!;
    expect(toolNames(mock.scripted[0]!.body)).toContain("apply_patch");
    expect(toolNames(reviewer.body)).not.toContain("apply_patch");
    expect(existsSync(file)).toBe(false);
  });
});
