import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { ConfigInput } from "../../src/config/config-schema.js";
import type { MemberRuntimeView } from "../../src/hub/team-runtime.js";
import { type ApiResponse, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

export type StepView = {
  step_key: string;
  member_id: string;
  status: string;
  attempt: number;
  output: string | null;
  error: { code: string; message: string } | null;
  outcome?: "clean" | "with_warnings" | null;
  warnings?: { code: string; message: string }[];
  started_at: string | null;
  finished_at: string | null;
};
export type RunView = {
  id: string;
  status: string;
  attempt: number;
  steps: StepView[];
  error: { code: string; message: string } | null;
  outcome?: "clean" | "with_warnings" | null;
};
export type RunEvent = {
  seq: number;
  kind: string;
  step_key: string | null;
  data: Record<string, unknown>;
  at: string;
};
export type AgentEvent = { seq: number; kind: string; data: Record<string, unknown>; at: string };
export type MemberView = MemberRuntimeView;
export type RuntimeView = { team_id: string; status: string; members: MemberView[] };
export type ReviewView = {
  review_id: string;
  agent_id: string;
  run_id: string;
  step_key: string | null;
  requester_member_id: string;
  reviewer: string;
  tool_call: unknown;
  options: { option_id: string; name: string; kind: string }[];
  status: string;
  outcome: unknown;
  decided_by: string | null;
  decided_at: string | null;
};
export type ErrorBody = { error: string; code: string; details?: Record<string, unknown> };

/** Agent states in which a member's agent process is alive. */
export const LIVE_STATES = new Set(["starting", "running", "idle", "busy"]);
const TERMINAL_RUN = new Set(["completed", "failed", "canceled"]);

export type MemberAgent = Record<string, unknown>;

/** True while a process (or, with a negative id, a process group) exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * An in-process hub (with the built-in `main` node) on port 0, a temp work dir whose `safe` folder is
 * the only safe path, and helpers to drive teams, runs and their member agents. `close()` stops every
 * team runtime it started (checking that no agent process is left) and removes everything.
 */
export async function openTeamHub(overrides: ConfigInput = {}) {
  const work = tempDir("agenthub-team-");
  const safe = join(work.path, "safe");
  mkdirSync(safe, { recursive: true });
  let h: Awaited<ReturnType<typeof startHubWithRoot>>;
  try {
    // A running clock: the tests check real step durations (sleeps, timeouts) and their order.
    h = await startHubWithRoot({ ...overrides, safe_paths: [safe] }, { runningClock: true });
  } catch (err) {
    work.cleanup();
    throw err;
  }
  const teams: string[] = [];
  const pidsSeen = new Set<number>();

  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    api<T & Partial<ErrorBody>>(h.url, method, path, { token: h.rootToken, body });

  const env = {
    h,
    url: h.url,
    rootToken: h.rootToken,
    safe,
    work: work.path,
    call,

    /** A fresh workdir inside the safe path. */
    workdir(name: string): string {
      const dir = join(safe, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },

    /** A member whose agent is the scripted ACP agent on `main`, in its own workdir. */
    member(member_id: string, role: "leader" | "worker", agent: MemberAgent = {}) {
      return {
        member_id,
        role,
        description: `${member_id} (${role})`,
        skills: [],
        agent: {
          provider: "scripted",
          node_id: "main",
          worktree_mode: "use_existing",
          workdir: env.workdir(member_id),
          ...agent,
        },
      };
    },

    async createTeam(spec: Record<string, unknown>, name = `team${teams.length + 1}`): Promise<string> {
      const r = await call<{ id: string }>("POST", "/api/teams", {
        name,
        spec: { spec_version: 1, ...spec },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      teams.push(r.body.id);
      return r.body.id;
    },

    async startRuntime(teamId: string): Promise<RuntimeView> {
      const r = await call<RuntimeView>("POST", `/api/teams/${teamId}/runtime/start`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      for (const m of r.body.members)
        if (m.agent_id) for (const p of await env.pids(m.agent_id)) pidsSeen.add(p);
      return r.body;
    },

    async runtime(teamId: string): Promise<RuntimeView> {
      return (await call<RuntimeView>("GET", `/api/teams/${teamId}/runtime`)).body;
    },

    async agentOf(teamId: string, memberId: string): Promise<string> {
      const m = (await env.runtime(teamId)).members.find((x) => x.member_id === memberId);
      if (!m?.agent_id) throw new Error(`member ${memberId} has no agent`);
      return m.agent_id;
    },

    async newRun(teamId: string, input: unknown = { goal: "test" }): Promise<RunView> {
      const r = await call<RunView>("POST", `/api/teams/${teamId}/runs`, { input });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },

    async run(runId: string): Promise<RunView> {
      return (await call<RunView>("GET", `/api/runs/${runId}`)).body;
    },

    step(run: RunView, key: string): StepView {
      const s = run.steps.find((x) => x.step_key === key);
      if (!s) throw new Error(`no step ${key} in ${JSON.stringify(run)}`);
      return s;
    },

    async runEvents(runId: string): Promise<RunEvent[]> {
      const out: RunEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await call<{ events: RunEvent[]; next_cursor: string | null }>(
          "GET",
          `/api/runs/${runId}/events?after=${after}&limit=500`,
        );
        out.push(...page.body.events);
        if (!page.body.next_cursor || page.body.events.length === 0) return out;
        after = page.body.events.at(-1)!.seq;
      }
    },

    async waitRunEvent(runId: string, pred: (e: RunEvent) => boolean, what = "run event"): Promise<RunEvent> {
      return waitUntil(what, async () => (await env.runEvents(runId)).find(pred));
    },

    /** Waits until the run is in one of `statuses`; fails early if it ends in another terminal state. */
    async waitRun(runId: string, ...statuses: string[]): Promise<RunView> {
      return waitUntil(`run ${runId} ${statuses.join("|")}`, async () => {
        const r = await env.run(runId);
        if (statuses.includes(r.status)) return r;
        if (TERMINAL_RUN.has(r.status)) {
          throw new Error(`run ended ${r.status}, expected ${statuses.join("|")}: ${JSON.stringify(r)}`);
        }
        return undefined;
      });
    },

    async waitStep(runId: string, key: string, status: string): Promise<RunView> {
      return waitUntil(`step ${key} ${status}`, async () => {
        const r = await env.run(runId);
        return env.step(r, key).status === status ? r : undefined;
      });
    },

    async agentEvents(agentId: string): Promise<AgentEvent[]> {
      const out: AgentEvent[] = [];
      let after = 0;
      for (;;) {
        const page = await call<{ events: AgentEvent[]; next_cursor: string | null }>(
          "GET",
          `/api/agents/${agentId}/events?after=${after}&limit=1000`,
        );
        out.push(...page.body.events);
        if (!page.body.next_cursor || page.body.events.length === 0) return out;
        after = page.body.events.at(-1)!.seq;
      }
    },

    async waitAgentEvent(
      agentId: string,
      pred: (e: AgentEvent) => boolean,
      what = "agent event",
    ): Promise<AgentEvent> {
      return waitUntil(what, async () => (await env.agentEvents(agentId)).find(pred));
    },

    /** Texts of the agent's turn_started events, in order. */
    async turns(agentId: string): Promise<{ turn_id: string; text: string }[]> {
      return (await env.agentEvents(agentId))
        .filter((e) => e.kind === "turn_started")
        .map((e) => ({ turn_id: String(e.data.turn_id), text: String(e.data.text) }));
    },

    /** Every pid the agent's status events reported (one per process start). */
    async pids(agentId: string): Promise<number[]> {
      const pids = (await env.agentEvents(agentId))
        .filter((e) => e.kind === "status" && typeof e.data.pid === "number")
        .map((e) => e.data.pid as number);
      for (const p of pids) pidsSeen.add(p);
      return [...new Set(pids)];
    },

    /** The pid of the agent's first process, once its status event has been stored. */
    async firstPid(agentId: string): Promise<number> {
      const pids = await waitUntil(`a pid for ${agentId}`, async () => {
        const p = await env.pids(agentId);
        return p.length > 0 && p;
      });
      return pids[0]!;
    },

    /** Runs `agenthub actor ...` as a member of the run, with a token minted for it by root. */
    async actor(runId: string, memberId: string, args: string[]) {
      const t = await call<{ env: Record<string, string> }>("POST", `/api/runs/${runId}/actor-tokens`, {
        member_id: memberId,
      });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      const p = spawnCli(["actor", ...args], {
        PATH: process.env.PATH,
        HOME: work.path,
        AGENTHUB_HOME: join(work.path, "actor-home"),
        ...t.body.env,
      });
      const code = await p.exit;
      return { code, stdout: p.stdout(), stderr: p.stderr() };
    },

    /** Stops every team runtime, asserts no agent process seen during the test is left, removes all. */
    async close(): Promise<void> {
      try {
        for (const id of teams) {
          const rt = await env.runtime(id).catch(() => undefined);
          for (const m of rt?.members ?? []) if (m.agent_id) await env.pids(m.agent_id).catch(() => []);
          await call("POST", `/api/teams/${id}/runtime/stop`).catch(() => undefined);
        }
        const left = [...pidsSeen].filter(alive);
        await h.close();
        expect(left, "agent processes left after runtime stop").toEqual([]);
      } finally {
        work.cleanup();
      }
    },
  };
  return env;
}

export type TeamHub = Awaited<ReturnType<typeof openTeamHub>>;

/** Checks a REST error response's status and code. */
export function expectError(r: ApiResponse<Partial<ErrorBody>>, status: number, code: string): void {
  expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([status, code]);
}
