import { afterEach } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { RealAcpAgent } from "./acp-agent.js";
import { type MockModelServer, startMockModel } from "./mock-models/index.js";
import type { RealAgentProvider } from "./pinned.mjs";
import { type RealAgentEnv, type RealAgentEnvOptions, startRealAgentEnv } from "./real-agent-env.js";

export interface StartedRealAgent {
  mock: MockModelServer;
  agentEnv: RealAgentEnv;
  agent: RealAcpAgent;
  /** The agent's working directory (a fresh temp dir). */
  cwd: string;
}

export interface RealAgentStartOptions extends RealAgentEnvOptions {
  /** false: the agent is not told the mock's URL (its default provider, as a user who set nothing). */
  pointAtMock?: boolean;
}

/**
 * Per-test setup for a real agent: a mock model for `provider`, the agent's env and private HOME, a
 * temp working dir, and the agent process spawned there. Everything is closed after each test.
 */
export function useRealAgent(provider: RealAgentProvider): {
  start: (opts?: RealAgentStartOptions) => Promise<StartedRealAgent>;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  return {
    async start(opts = {}) {
      const mock = await startMockModel(provider);
      cleanups.push(() => mock.close());
      const agentEnv = startRealAgentEnv(provider, opts.pointAtMock === false ? undefined : mock, opts);
      cleanups.push(agentEnv.cleanup);
      const dir = tempDir(`agenthub-real-${provider}-cwd-`);
      cleanups.push(dir.cleanup);
      const agent = RealAcpAgent.spawn(agentEnv, dir.path);
      cleanups.push(() => agent.close());
      return { mock, agentEnv, agent, cwd: dir.path };
    },
  };
}

/** An ACP JSON-RPC error as the SDK rejects with it. */
export interface AcpErrorShape {
  code: number;
  message: string;
  data?: unknown;
}

/** The rejection of `p` (fails when it resolves), as code/message/data. */
export async function acpError(p: Promise<unknown>): Promise<AcpErrorShape> {
  try {
    await p;
  } catch (err) {
    const e = err as Partial<AcpErrorShape>;
    return { code: e.code ?? Number.NaN, message: e.message ?? String(err), data: e.data };
  }
  throw new Error("expected the ACP request to fail, it succeeded");
}

/** A header's value as one string. */
export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
}
