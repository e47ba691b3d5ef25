import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type NodeProc, startHubProc, startNodeProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import {
  getRun,
  leaderAgent,
  ProcessSet,
  type RunView,
  runEvents,
  startTeamCluster,
  type TeamCluster,
  waitRunEnd,
} from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

/**
 * The crash campaign: kill -9 of the hub, of a node, or of both, while a run has a step on `main`
 * (`gate`, member `lead`) and one on a node daemon (`remote`, member `r1`), with a third step (`join`)
 * after both. Every step appends `<key>-start` and `<key>-end` lines to `steps.log` in its member's
 * workdir, so the campaign counts what really ran: every run ends by itself or completes after one
 * resume, no step is lost, and no step whose turn completed runs again.
 */
let procs = new ProcessSet();
let dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  await procs.stopAll();
  for (const d of dirs) d.cleanup();
  procs = new ProcessSet();
  dirs = [];
});

const SLEEP_MS = 3000;

function stepPrompt(key: string, sleepMs: number): string {
  return [
    `run: sh -c "echo ${key}-start >> steps.log"`,
    ...(sleepMs > 0 ? [`sleep ${sleepMs}`] : []),
    `run: sh -c "echo ${key}-end >> steps.log"`,
    `reply: ${key} done`,
  ].join("\n");
}

interface Campaign {
  c: TeamCluster;
  teamId: string;
  runId: string;
  dirs: Record<string, string>;
  call: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  /** How many `<key>-<what>` lines the step's member has written. */
  count: (key: string, what: "start" | "end") => number;
}

const MEMBER_OF: Record<string, string> = { gate: "lead", remote: "r1", join: "lead" };

async function setUp(): Promise<Campaign> {
  const root = tempDir();
  dirs.push(root);
  const c = await startTeamCluster(root.path, ["n1"], procs);
  const r1Dir = join(c.work, "r1");
  mkdirSync(r1Dir, { recursive: true });
  const memberDirs: Record<string, string> = { lead: c.leadDir, r1: r1Dir };
  const call = <T>(method: string, path: string, body?: unknown) =>
    api<T>(c.hub.url, method, path, { token: c.token, body });
  const spec = {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      { member_id: "lead", role: "leader", agent: leaderAgent(c.leadDir) },
      {
        member_id: "r1",
        role: "worker",
        agent: { provider: "scripted", node_id: "n1", worktree_mode: "use_existing", workdir: r1Dir },
      },
    ],
    steps: [
      { step_key: "gate", member_id: "lead", prompt: stepPrompt("gate", SLEEP_MS) },
      { step_key: "remote", member_id: "r1", prompt: stepPrompt("remote", SLEEP_MS) },
      { step_key: "join", member_id: "lead", prompt: stepPrompt("join", 0), depends_on: ["gate", "remote"] },
    ],
  };
  const team = await call<{ id: string }>("POST", "/api/teams", { name: "crash", spec });
  expect(team.status).toBe(201);
  expect((await call("POST", `/api/teams/${team.body.id}/runtime/start`)).status).toBe(200);
  const run = await call<{ id: string }>("POST", `/api/teams/${team.body.id}/runs`, { input: null });
  expect(run.status).toBe(201);
  const count = (key: string, what: "start" | "end") => {
    const f = join(memberDirs[MEMBER_OF[key]!]!, "steps.log");
    if (!existsSync(f)) return 0;
    return readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l === `${key}-${what}`).length;
  };
  // Both parallel turns are running (their start lines are written) before anything is killed.
  await waitUntil(
    "gate and remote started",
    async () => count("gate", "start") === 1 && count("remote", "start") === 1,
  );
  return { c, teamId: team.body.id, runId: run.body.id, dirs: memberDirs, call, count };
}

async function restartHub(k: Campaign): Promise<void> {
  await procs.kill(k.c.hub, "SIGKILL");
  k.c.hub = procs.add("hub", await startHubProc(k.c.hub.env));
}

async function killNode(k: Campaign): Promise<NodeProc> {
  const node = k.c.nodes.n1!;
  await procs.kill(node, "SIGKILL");
  return node;
}

/** The node again, on its old port (the hub knows it by that address), with the same home. */
async function startNodeAgain(k: Campaign, old: NodeProc): Promise<void> {
  const env = { ...old.env, AGENTHUB_INTERNAL_GRPC_LISTEN: `127.0.0.1:${old.port}` };
  k.c.nodes.n1 = procs.add("n1", await startNodeProc(env));
}

/**
 * The rules every scenario ends with: the run is finished by itself; if it did not complete, one
 * resume completes it; every step completed, each turn's end line written exactly once (a step whose
 * turn completed never ran again), and every step that was retried had not completed before.
 */
async function assertRecovers(k: Campaign): Promise<{ first: RunView; last: RunView }> {
  const first = await waitRunEnd(k.c, k.runId, 30_000);
  expect(first.steps.every((s) => ["completed", "failed", "canceled"].includes(s.status))).toBe(true);
  const doneBefore = new Set(first.steps.filter((s) => s.status === "completed").map((s) => s.step_key));
  let last = first;
  if (first.status !== "completed") {
    expect(first.status).toBe("failed");
    // Resuming is for when the crashed processes are back: the node is seen online again first.
    await waitUntil("node n1 online", async () => {
      const n = await k.call<{ status: string }>("GET", "/api/admin/agent-nodes/n1");
      return n.body.status === "online";
    });
    const resumed = await k.call<RunView>("POST", `/api/runs/${k.runId}/resume`);
    expect(resumed.status).toBe(200);
    last = await waitRunEnd(k.c, k.runId, 30_000);
  }
  if (last.status !== "completed") console.error(JSON.stringify({ first, last }, null, 1));
  expect(last.status).toBe("completed");
  for (const s of last.steps) {
    expect(s.status).toBe("completed");
    expect(k.count(s.step_key, "end")).toBe(1);
    // Completed before the resume: its turn is never dispatched again.
    if (doneBefore.has(s.step_key)) {
      expect(s.attempt).toBe(1);
      expect(k.count(s.step_key, "start")).toBe(1);
    } else {
      // One start per attempt at most (a lost attempt may have started before the crash).
      expect(k.count(s.step_key, "start")).toBeLessThanOrEqual(s.attempt);
      expect(k.count(s.step_key, "start")).toBeGreaterThanOrEqual(1);
    }
  }
  expect(k.count("join", "start")).toBe(1);
  // No step was dispatched under a turn id it had already completed.
  const ev = await runEvents(k.c, k.runId);
  for (const key of ["gate", "remote", "join"]) {
    const completions = ev.filter((e) => e.kind === "step.completed" && e.step_key === key);
    expect(completions).toHaveLength(1);
  }
  return { first, last };
}

describe("crash campaign: kill -9 of hub and node during a run on main and a node", () => {
  it("the issue's reproduction: the hub dies, the remote turn completes while it is down; its completion is recorded though the run failed, and one resume completes the run", async () => {
    const k = await setUp();
    await procs.kill(k.c.hub, "SIGKILL");
    // The remote turn finishes on the node while no hub listens: its turn_ended waits in the node's log.
    await waitUntil("remote finished on the node", async () => k.count("remote", "end") === 1, 15_000);
    k.c.hub = procs.add("hub", await startHubProc(k.c.hub.env));
    const { first } = await assertRecovers(k);
    const gate = first.steps.find((s) => s.step_key === "gate")!;
    const remote = first.steps.find((s) => s.step_key === "remote")!;
    expect(first.status).toBe("failed");
    expect(gate.status).toBe("failed");
    expect(gate.error?.code).toBe("AGENT_EXITED");
    expect(gate.error?.message).toContain("the hub restarted");
    expect(gate.error?.message).not.toContain("node restarted");
    expect(remote.status).toBe("completed");
    expect(remote.output).toContain("remote done");
    expect(k.count("remote", "start")).toBe(1);
    expect(k.count("gate", "start")).toBe(2);
    expect((await k.call("POST", `/api/teams/${k.teamId}/runtime/stop`)).status).toBe(200);
  });

  it("the hub dies and comes straight back while the remote turn still runs: the run ends by itself, one resume completes it", async () => {
    const k = await setUp();
    await restartHub(k);
    const { first } = await assertRecovers(k);
    const gate = first.steps.find((s) => s.step_key === "gate")!;
    expect(gate.error?.code).toBe("AGENT_EXITED");
    expect(gate.error?.message).toContain("the hub restarted");
    // remote either completed (its completion recorded) or was stopped because the run failed.
    const remote = first.steps.find((s) => s.step_key === "remote")!;
    expect(["completed", "canceled"]).toContain(remote.status);
    expect((await k.call("POST", `/api/teams/${k.teamId}/runtime/stop`)).status).toBe(200);
  });

  it("the node dies and restarts: the remote step fails naming the node, the main step is stopped or completes, one resume completes the run", async () => {
    const k = await setUp();
    const old = await killNode(k);
    await startNodeAgain(k, old);
    const { first } = await assertRecovers(k);
    const remote = first.steps.find((s) => s.step_key === "remote")!;
    expect(remote.status).toBe("failed");
    // The node's restart reaped the agent (AGENT_EXITED), or probes saw it down first (NODE_UNREACHABLE).
    expect(remote.error?.message).toContain('node "n1"');
    expect(remote.error?.message).not.toContain("the hub restarted");
    expect(k.count("gate", "start")).toBeGreaterThanOrEqual(1);
    expect((await k.call("POST", `/api/teams/${k.teamId}/runtime/stop`)).status).toBe(200);
  });

  it("hub and node die together and come back (node first): the run ends by itself naming a crash, one resume completes it", async () => {
    const k = await setUp();
    await procs.kill(k.c.hub, "SIGKILL");
    const old = await killNode(k);
    await startNodeAgain(k, old);
    k.c.hub = procs.add("hub", await startHubProc(k.c.hub.env));
    const { first } = await assertRecovers(k);
    expect(first.steps.some((s) => s.status === "completed")).toBe(false);
    const gate = first.steps.find((s) => s.step_key === "gate")!;
    expect(gate.error?.message).toContain("the hub restarted");
    const remote = first.steps.find((s) => s.step_key === "remote")!;
    expect(["failed", "canceled"]).toContain(remote.status);
    expect(remote.error?.message).toMatch(
      /node "n1" restarted|the hub restarted|node "n1" became unreachable/,
    );
    // Nothing is left running: the retried steps' turns went to fresh agents.
    const run = await getRun(k.c, k.runId);
    expect(run.steps.slice(0, 2).map((s) => s.attempt)).toEqual([2, 2]);
    expect((await k.call("POST", `/api/teams/${k.teamId}/runtime/stop`)).status).toBe(200);
  });
});
