import { mkdirSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { MemberRuntimeView } from "../../src/hub/team-runtime.js";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  joinRoot,
  makeRepo,
  type NodeProc,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "./cluster.js";
import { api } from "./hub-harness.js";
import type { CliProcess } from "./spawn-cli.js";
import { waitUntil } from "./wait-until.js";

/**
 * The processes a test started. `stopAll` (afterEach) sends SIGTERM, newest first, to every one the
 * test did not kill on purpose and returns their exit codes, so the test can assert a clean exit.
 */
export class ProcessSet {
  private readonly live: { name: string; proc: CliProcess }[] = [];

  add<T extends { proc: CliProcess }>(name: string, p: T): T {
    this.live.push({ name, proc: p.proc });
    return p;
  }

  /** Kills one process with a signal the test chose; it is not stopped again. Returns the exit result. */
  async kill(
    p: { proc: CliProcess },
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: string }> {
    const i = this.live.findIndex((x) => x.proc === p.proc);
    if (i >= 0) this.live.splice(i, 1);
    const code = await p.proc.kill(signal);
    return { code, signal: String(p.proc.child.signalCode) };
  }

  async stopAll(): Promise<{ name: string; code: number | null }[]> {
    const out: { name: string; code: number | null }[] = [];
    for (const p of this.live.splice(0).reverse())
      out.push({ name: p.name, code: await p.proc.kill("SIGTERM") });
    return out;
  }
}

export interface TeamCluster {
  hub: HubProc;
  token: string;
  nodes: Record<string, NodeProc>;
  /** Shared workspace (inside every process's safe paths): `repo` (git, branch main) and `lead`. */
  work: string;
  repo: string;
  leadDir: string;
  /** Per-node worktree roots (AGENTHUB_WORKTREE_DEFAULT_ROOT). */
  worktreeRoots: Record<string, string>;
}

/**
 * A real hub process and one real `--node-mode` process per id (each with its own certificates from
 * `agenthub certs issue-node`, TLS on loopback, ports 0), every node registered with the hub.
 */
export async function startTeamCluster(
  root: string,
  nodeIds: string[],
  procs: ProcessSet,
  /** More environment (config overrides) for the hub. */
  hubExtraEnv: NodeJS.ProcessEnv = {},
): Promise<TeamCluster> {
  const work = join(root, "work");
  const repo = makeRepo(join(work, "repo"));
  const leadDir = join(work, "lead");
  mkdirSync(leadDir, { recursive: true });
  const hub = procs.add("hub", await startHubProc({ ...hubEnv(join(root, "hub"), [work]), ...hubExtraEnv }));
  const token = await joinRoot(hub);
  const nodes: Record<string, NodeProc> = {};
  const worktreeRoots: Record<string, string> = {};
  for (const id of nodeIds) {
    const home = join(root, id);
    const certs = join(home, "certs");
    await issueNodeCerts(hub.env, certs);
    const env = nodeEnv(home, id, certs, [work]);
    worktreeRoots[id] = String(env.AGENTHUB_WORKTREE_DEFAULT_ROOT);
    const node = procs.add(id, await startNodeProc(env));
    nodes[id] = node;
    const reg = await api(hub.url, "POST", "/api/admin/agent-nodes", {
      token,
      body: { id, name: id, grpc_target: `127.0.0.1:${node.port}` },
    });
    if (reg.status !== 201) throw new Error(`registering ${id} failed: ${JSON.stringify(reg.body)}`);
  }
  return { hub, token, nodes, work, repo, leadDir, worktreeRoots };
}

/** A member's agent spec: the leader on `main` in an existing dir, workers in a fresh git worktree. */
export function leaderAgent(workdir: string, env: Record<string, string> = {}) {
  return { provider: "scripted", node_id: "main", worktree_mode: "use_existing", workdir, env };
}

export function worktreeAgent(nodeId: string, repo: string) {
  return {
    provider: "scripted",
    node_id: nodeId,
    worktree_mode: "create_worktree",
    worktree_repo: repo,
    worktree_ref: "main",
  };
}

export interface RunEvent {
  seq: number;
  kind: string;
  step_key: string | null;
  data: Record<string, unknown>;
  at: string | number;
}

export interface RunView {
  id: string;
  status: string;
  steps: {
    step_key: string;
    member_id: string;
    status: string;
    output: string | null;
    error: { code: string; message: string } | null;
    started_at: unknown;
    finished_at: unknown;
    attempt: number;
  }[];
}

export type MemberView = MemberRuntimeView;

export interface RuntimeView {
  team_id: string;
  status: string;
  members: MemberView[];
}

/** Every event of a run, paging with `after`. */
export async function runEvents(c: TeamCluster, runId: string): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await api<{ events: RunEvent[] }>(
      c.hub.url,
      "GET",
      `/api/runs/${runId}/events?after=${after}&limit=200`,
      { token: c.token },
    );
    if (page.status !== 200) throw new Error(`run events: ${page.status} ${JSON.stringify(page.body)}`);
    out.push(...page.body.events);
    if (page.body.events.length < 200) return out;
    after = page.body.events.at(-1)!.seq;
  }
}

export interface AgentEvent {
  seq: number;
  kind: string;
  data: Record<string, unknown>;
}

/** Every event of an agent, paging with `after`. */
export async function agentEvents(c: TeamCluster, agentId: string): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await api<{ events: AgentEvent[] }>(
      c.hub.url,
      "GET",
      `/api/agents/${agentId}/events?after=${after}&limit=500`,
      { token: c.token },
    );
    if (page.status !== 200) throw new Error(`agent events: ${page.status} ${JSON.stringify(page.body)}`);
    out.push(...page.body.events);
    if (page.body.events.length < 500) return out;
    after = page.body.events.at(-1)!.seq;
  }
}

/** The pids an agent's processes had (its `status` events carry them). */
export async function agentPids(c: TeamCluster, agentId: string): Promise<number[]> {
  const pids = (await agentEvents(c, agentId)).flatMap((e) =>
    e.kind === "status" && typeof e.data.pid === "number" && e.data.pid > 0 ? [e.data.pid] : [],
  );
  return [...new Set(pids)];
}

export async function getRun(c: TeamCluster, runId: string): Promise<RunView> {
  return (await api<RunView>(c.hub.url, "GET", `/api/runs/${runId}`, { token: c.token })).body;
}

/** Waits for a run to reach a terminal status (completed, failed, canceled). */
export async function waitRunEnd(c: TeamCluster, runId: string, timeoutMs = 20_000): Promise<RunView> {
  return waitUntil(
    `run ${runId} to end`,
    async () => {
      const r = await getRun(c, runId);
      return ["completed", "failed", "canceled"].includes(r.status) ? r : undefined;
    },
    timeoutMs,
  );
}

/** True while a process exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Live processes (other than this one) whose working directory, command line or environment
 * mentions `path` — every process a test cluster starts has its HOME or workdir under its temp root.
 */
export function processesMentioning(path: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const pid = Number(name);
    const read = (f: string) => {
      try {
        return readFileSync(`/proc/${pid}/${f}`, "utf8");
      } catch {
        return "";
      }
    };
    let cwd = "";
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // gone or not ours
    }
    const cmdline = read("cmdline");
    if ((cwd.startsWith(path) || cmdline.includes(path) || read("environ").includes(path)) && pidAlive(pid)) {
      out.push({ pid, cmdline: cmdline.replaceAll("\0", " ").trim() });
    }
  }
  return out;
}
