import { afterEach, expect } from "vitest";
import { openSse } from "../helpers/sse.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";
import { type MockModelServer, startMockModel } from "./mock-models/index.js";
import type { RealAgentProvider } from "./pinned.mjs";
import { type RealAgentEnv, startRealAgentEnv } from "./real-agent-env.js";

/** The mode each preset starts its agents in (one that asks before it edits). */
export const ASKING_MODE: Record<RealAgentProvider, string> = {
  claude: "default",
  codex: "read-only",
  gemini: "default",
};

/** A mode other than the agent's own default, to see a spec's mode applied. */
export const OTHER_MODE: Record<RealAgentProvider, string> = {
  claude: "acceptEdits",
  codex: "workspace-write",
  gemini: "autoEdit",
};

/** The variable each preset's 424 names. */
export const KEY_VARIABLE: Record<RealAgentProvider, string> = {
  claude: "ANTHROPIC_API_KEY",
  codex: "OPENAI_API_KEY",
  gemini: "GEMINI_API_KEY",
};

export interface AgenthubWithRealAgent {
  hub: TeamHub;
  mock: MockModelServer;
  agentEnv: RealAgentEnv;
  /** `POST /api/agents` for the preset in a fresh workdir; returns its id. */
  createAgent(body?: Record<string, unknown>): Promise<string>;
  /** Queues a turn on a standalone agent and returns its turn_ended event's data. */
  turn(agentId: string, text: string): Promise<Record<string, unknown>>;
}

export interface OpenOptions {
  /** Point the preset at the mock with a key (default), or leave it as a user who set nothing. */
  credentials?: boolean;
}

/**
 * Per-test setup: a mock model for `provider` and an in-process hub (with its `main` node) whose
 * `[agents.providers.<provider>]` is the preset with only `command` and `env` set: the cached install's
 * executable, and the mock's URL, the API key and the offline settings of real-agent-env.ts. The
 * daemon passes nothing of its own environment on (`pass_env = []`), so a developer's real keys never
 * reach these agents. Agents run unsandboxed (the temp HOME holds their state).
 */
export function useAgenthubWithRealAgent(provider: RealAgentProvider): {
  open(opts?: OpenOptions): Promise<AgenthubWithRealAgent>;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return {
    async open(opts = {}) {
      const credentials = opts.credentials ?? true;
      const mock = await startMockModel(provider);
      cleanups.push(() => mock.close());
      const agentEnv = startRealAgentEnv(provider, credentials ? mock : undefined, { credentials });
      cleanups.push(agentEnv.cleanup);
      // The node's PATH (this installation's `agenthub` first) stays: only the agent's own settings.
      const { PATH: _path, ...env } = agentEnv.env;
      const hub = await openTeamHub({
        agents: {
          isolation: "none",
          providers: { [provider]: { command: agentEnv.command, args: agentEnv.args, env, pass_env: [] } },
        },
      });
      cleanups.push(() => hub.close());
      let n = 0;
      const createAgent = async (body: Record<string, unknown> = {}) => {
        n += 1;
        const r = await hub.call<{ id: string }>("POST", "/api/agents", {
          name: `${provider}-${n}`,
          provider,
          workdir: hub.workdir(`agent-${n}`),
          ...body,
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        const id = r.body.id;
        cleanups.push(async () => {
          await hub.call("POST", `/api/agents/${id}/stop`);
        });
        return id;
      };
      const turn = async (agentId: string, text: string) => {
        const sse = await openSse(`${hub.url}/api/agents/${agentId}/events?token=${hub.rootToken}`);
        try {
          const q = await hub.call<{ turn_id: string }>("POST", `/api/agents/${agentId}/input`, { text });
          expect(q.status, JSON.stringify(q.body)).toBe(202);
          const ended = await sse.next(
            (e) => e.data.kind === "turn_ended" && e.data.data.turn_id === q.body.turn_id,
          );
          return ended.data.data;
        } finally {
          await sse.close();
        }
      };
      return { hub, mock, agentEnv, createAgent, turn };
    },
  };
}

/** The agent's reply text in its events (message chunks, in order). */
export async function replyText(hub: TeamHub, agentId: string): Promise<string> {
  return (await hub.agentEvents(agentId))
    .flatMap((e) => {
      const u = e.data.update as { sessionUpdate?: string; content?: { text?: string } } | undefined;
      return e.kind === "session_update" && u?.sessionUpdate === "agent_message_chunk"
        ? [u.content?.text ?? ""]
        : [];
    })
    .join("");
}
