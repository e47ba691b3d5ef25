import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { text, writeFileToolCall } from "./mock-models/index.js";
import { acpError, header, useRealAgent } from "./real-agent-harness.js";

// Claude Code through @agentclientprotocol/claude-agent-acp, against the mock Anthropic Messages API.
describe("real claude agent over ACP (mock Anthropic API)", () => {
  const real = useRealAgent("claude");

  it("without an API key opens a session but fails the first prompt with ACP authRequired (-32000), before any model request", async () => {
    const { agent, cwd, mock } = await real.start({ credentials: false });
    const init = await agent.initialize();
    expect(init.authMethods).toEqual([]);
    const { sessionId } = await agent.newSession(cwd);
    const err = await acpError(agent.prompt(sessionId, "hello"));
    expect(err).toMatchObject({ code: -32000, message: "Authentication required" });
    expect(mock.requests).toEqual([]);
  });

  it("offers its modes, answers a text turn with usage, and writes a file once the client allows it", async () => {
    const { agent, cwd, mock, agentEnv } = await real.start();
    const init = await agent.initialize();
    expect(init.agentInfo).toMatchObject({
      name: "@agentclientprotocol/claude-agent-acp",
      version: agentEnv.version,
    });
    expect(init.agentCapabilities?.loadSession).toBe(true);

    const session = await agent.newSession(cwd);
    expect(session.modes?.currentModeId).toBe("auto");
    expect(session.modes?.availableModes.map((m) => m.id)).toEqual([
      "default",
      "acceptEdits",
      "plan",
      "auto",
    ]);
    expect(session.configOptions?.map((o) => o.id)).toEqual(
      expect.arrayContaining(["mode", "model", "effort"]),
    );
    // "auto" lets Claude decide permissions itself; "default" (Manual) asks the client.
    await agent.setMode(session.sessionId, "default");

    mock.enqueue(text("Hello from the mock Anthropic API."));
    const hello = await agent.prompt(session.sessionId, "Say hello");
    expect(hello.response.stopReason).toBe("end_turn");
    expect(hello.text).toBe("Hello from the mock Anthropic API.");
    expect(hello.response.usage).toMatchObject({ inputTokens: 120, outputTokens: 30, cachedReadTokens: 40 });
    const first = mock.scripted[0]!;
    expect(first.url).toBe("/v1/messages?beta=true");
    expect(header(first.headers, "x-api-key")).toBe("sk-ant-mock-key");
    expect(JSON.stringify(first.body)).toContain("Say hello");

    const file = join(cwd, "hello.txt");
    mock.enqueue(writeFileToolCall("claude", file, "written by claude"), text("Done: wrote hello.txt."));
    const write = await agent.prompt(session.sessionId, "Write hello.txt");
    expect(write.response.stopReason).toBe("end_turn");
    expect(agent.permissionRequests).toHaveLength(1);
    const asked = agent.permissionRequests[0]!;
    expect(asked.toolCall).toMatchObject({ kind: "edit", locations: [{ path: file }] });
    expect(asked.options.map((o) => o.kind)).toEqual(["allow_once", "allow_always", "reject_once"]);
    expect(readFileSync(file, "utf8")).toBe("written by claude");
    // The tool's result went back to the model, which then ended the turn.
    expect(JSON.stringify(mock.scripted.at(-1)?.body)).toContain('"type":"tool_result"');
    expect(write.text.endsWith("Done: wrote hello.txt.")).toBe(true);
    expect(mock.pending).toBe(0);
    const costs = agent.updates.flatMap((n) =>
      n.update.sessionUpdate === "usage_update" && n.update.cost ? [n.update.cost] : [],
    );
    expect(costs.length).toBeGreaterThan(0);
  });

  it("in its default mode (auto) writes a file in its workspace without asking the client", async () => {
    const { agent, cwd, mock } = await real.start();
    await agent.initialize();
    const session = await agent.newSession(cwd);
    expect(session.modes?.currentModeId).toBe("auto");
    const file = join(cwd, "auto.txt");
    mock.enqueue(writeFileToolCall("claude", file, "nobody was asked"), text("Done."));
    const turn = await agent.prompt(session.sessionId, "Write auto.txt");
    expect(turn.response.stopReason).toBe("end_turn");
    expect(agent.permissionRequests).toEqual([]);
    expect(readFileSync(file, "utf8")).toBe("nobody was asked");
  });
});
