import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { AcpSession } from "../../src/node/acp-session.js";
import { ManagedAgent } from "../../src/node/managed-agent.js";
import { tempDir } from "../helpers/temp-dir.js";
import { EventWaiter } from "./helpers/event-waiter.js";

const AUTH_AGENT = fileURLToPath(new URL("./fixtures/auth-required-agent.mjs", import.meta.url));

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("ManagedAgent", () => {
  it("ends a turn the agent refuses for lack of credentials (ACP auth_required) with stop reason auth_required", async () => {
    const dir = tempDir("agenthub-auth-");
    cleanups.push(dir.cleanup);
    const recorded = new EventWaiter<{ kind: string; data: Record<string, unknown> }>();
    const agent = new ManagedAgent("agt_1", (kind, data) =>
      recorded.push({ kind, data: data as Record<string, unknown> }),
    );
    const session = await AcpSession.start({
      command: process.execPath,
      args: [AUTH_AGENT],
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? "" },
      onEvent: (e) => agent.onSessionEvent(e),
    });
    cleanups.push(() => session.stop(1000));
    agent.session = session;
    agent.markReady();
    agent.enqueue("turn-1", "hello");

    const ended = await recorded.waitFor((e) => e.kind === "turn_ended");
    expect(ended.data).toEqual({
      turn_id: "turn-1",
      stop_reason: "auth_required",
      reply: "",
      // The node names the agent and what it offers to log in with (its authMethods).
      error: expect.stringMatching(/^agent ".+" needs credentials: .*the agent offers: login/),
      error_code: "AGENT_AUTH_REQUIRED",
    });
    // The agent itself is fine: it is idle, waiting for credentials or the next turn.
    expect(agent.state).toBe("idle");
  });
});
