import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { api } from "../helpers/hub-harness.js";
import {
  agentEvents,
  agentPids,
  getRun,
  leaderAgent,
  type MemberView,
  ProcessSet,
  pidAlive,
  processesMentioning,
  type RuntimeView,
  runEvents,
  startTeamCluster,
  type TeamCluster,
  waitRunEnd,
  worktreeAgent,
} from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let procs = new ProcessSet();
afterEach(async () => {
  // SIGTERM: nodes stop their agents' process groups and the hub drains; all exit 0.
  const exits = await procs.stopAll();
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = new ProcessSet();
  expect(exits).toEqual(exits.map((e) => ({ name: e.name, code: 0 })));
});

const ACTIVE = ["starting", "running", "idle", "busy"];

function root(): string {
  const d = tempDir("agenthub-team-");
  dirs.push(d);
  return d.path;
}

async function createTeam(c: TeamCluster, name: string, spec: unknown): Promise<string> {
  const r = await api<{ id: string }>(c.hub.url, "POST", "/api/teams", {
    token: c.token,
    body: { name, spec },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function runtimeView(c: TeamCluster, teamId: string): Promise<RuntimeView> {
  return (await api<RuntimeView>(c.hub.url, "GET", `/api/teams/${teamId}/runtime`, { token: c.token })).body;
}

async function createRun(c: TeamCluster, teamId: string, input: unknown): Promise<string> {
  const r = await api<{ id: string }>(c.hub.url, "POST", `/api/teams/${teamId}/runs`, {
    token: c.token,
    body: { input },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

const member = (view: RuntimeView, id: string): MemberView => view.members.find((m) => m.member_id === id)!;

describe("team execution across real node processes (TLS)", () => {
  it("runs the demo scenario: leader on main, workers in worktrees on two nodes, a write approved by the leader through the actor CLI", async () => {
    const dir = root();
    const c = await startTeamCluster(dir, ["node-a", "node-b"], procs);
    const nodes = await api<{ nodes: { id: string; status: string }[] }>(
      c.hub.url,
      "GET",
      "/api/admin/agent-nodes",
      { token: c.token },
    );
    expect(nodes.body.nodes.map((n) => [n.id, n.status])).toEqual([
      ["main", "online"],
      ["node-a", "online"],
      ["node-b", "online"],
    ]);

    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "plans and reviews",
          skills: [],
          agent: leaderAgent(c.leadDir, { SCRIPTED_REVIEW_DECISION: "allow" }),
        },
        {
          member_id: "builder",
          role: "worker",
          description: "writes code",
          skills: [],
          agent: worktreeAgent("node-a", c.repo),
        },
        {
          member_id: "writer",
          role: "worker",
          description: "writes docs",
          skills: [],
          agent: worktreeAgent("node-b", c.repo),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "ship the feature" },
      steps: [
        {
          step_key: "plan",
          member_id: "lead",
          prompt: "reply: plan: builder adds feature.txt; writer documents it",
        },
        {
          step_key: "build",
          member_id: "builder",
          prompt: "ask-permission write feature.txt: the feature\nreply: built",
          depends_on: ["plan"],
        },
        {
          step_key: "docs",
          member_id: "writer",
          prompt: "write DOCS.md: how to use the feature\nreply: documented",
          depends_on: ["plan"],
        },
      ],
      permissions: { route: "to_leader" },
    };
    const teamId = await createTeam(c, "demo", spec);
    const started = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${teamId}/runtime/start`, {
      token: c.token,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.status).toBe("started");
    const lead = member(started.body, "lead");
    const builder = member(started.body, "builder");
    const writer = member(started.body, "writer");
    expect([lead.role, lead.node_id, lead.workdir]).toEqual(["leader", "main", c.leadDir]);
    expect([builder.role, builder.node_id]).toEqual(["worker", "node-a"]);
    expect([writer.role, writer.node_id]).toEqual(["worker", "node-b"]);
    for (const m of [lead, builder, writer]) {
      expect(ACTIVE).toContain(m.status);
      expect(m.agent_id).toBeTruthy();
      expect(m.last_error).toBeNull();
    }
    // Each worker got its own git worktree of the repo, under its own node's worktree root.
    expect(builder.workdir!.startsWith(c.worktreeRoots["node-a"]!)).toBe(true);
    expect(writer.workdir!.startsWith(c.worktreeRoots["node-b"]!)).toBe(true);
    expect(readFileSync(join(builder.workdir!, "README.md"), "utf8")).toBe("repo\n");
    expect(readFileSync(join(writer.workdir!, "README.md"), "utf8")).toBe("repo\n");

    const pids = new Map<string, number[]>();
    for (const m of [lead, builder, writer]) {
      const p = await waitUntil(`pid of ${m.member_id}`, async () => {
        const found = await agentPids(c, m.agent_id!);
        return found.length > 0 ? found : undefined;
      });
      for (const pid of p) expect(pidAlive(pid)).toBe(true);
      pids.set(m.member_id, p);
    }

    const runId = await createRun(c, teamId, { goal: "ship it" });
    const run = await waitRunEnd(c, runId);
    expect(run.status).toBe("completed");
    const steps = Object.fromEntries(run.steps.map((s) => [s.step_key, s]));
    expect(steps.plan).toMatchObject({
      member_id: "lead",
      status: "completed",
      output: "plan: builder adds feature.txt; writer documents it",
      error: null,
    });
    expect(steps.build).toMatchObject({
      member_id: "builder",
      status: "completed",
      output: "permission granted: wrote feature.txt\nbuilt",
      error: null,
    });
    expect(steps.docs).toMatchObject({
      member_id: "writer",
      status: "completed",
      output: "wrote DOCS.md\ndocumented",
      error: null,
    });

    // The review: requested by the builder, routed to the leader, answered by the leader (allow_once).
    const pending = await api<{ reviews: unknown[] }>(
      c.hub.url,
      "GET",
      `/api/runs/${runId}/permission-reviews?status=pending`,
      { token: c.token },
    );
    expect(pending.body.reviews).toEqual([]);
    const resolved = await api<{ reviews: Record<string, unknown>[] }>(
      c.hub.url,
      "GET",
      `/api/runs/${runId}/permission-reviews?status=resolved`,
      { token: c.token },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.reviews).toHaveLength(1);
    const review = resolved.body.reviews[0]!;
    expect(review).toMatchObject({
      agent_id: builder.agent_id,
      run_id: runId,
      step_key: "build",
      requester_member_id: "builder",
      reviewer: "lead",
      status: "resolved",
      decided_by: "lead",
    });
    expect(review.decided_at).toBeTruthy();
    expect((review.options as { option_id: string }[]).map((o) => o.option_id)).toEqual([
      "allow_once",
      "reject_once",
    ]);
    expect(JSON.stringify(review.tool_call)).toContain("feature.txt");

    const events = await runEvents(c, runId);
    const kinds = events.map((e) => `${e.kind}${e.step_key ? ` ${e.step_key}` : ""}`);
    const at = (k: string) => {
      const i = kinds.indexOf(k);
      expect(i, `${k} in ${kinds.join(", ")}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at("step.completed plan")).toBeLessThan(at("step.dispatched build"));
    expect(at("step.completed plan")).toBeLessThan(at("step.dispatched docs"));
    expect(at("review.requested build")).toBeLessThan(at("step.awaiting_review build"));
    expect(at("step.awaiting_review build")).toBeLessThan(at("review.resolved build"));
    expect(at("review.resolved build")).toBeLessThan(at("step.resumed build"));
    expect(at("step.resumed build")).toBeLessThan(at("step.completed build"));
    expect(kinds.at(-1)).toBe("run.completed");
    expect(kinds.filter((k) => k === "run.completed")).toHaveLength(1);
    const requested = events.find((e) => e.kind === "review.requested")!;
    expect(requested.data).toMatchObject({
      review_id: review.review_id,
      requester: "builder",
      reviewer: "lead",
    });
    const decision = events.find((e) => e.kind === "review.resolved")!;
    expect(decision.data).toMatchObject({
      review_id: review.review_id,
      decided_by: "lead",
      decision: "allowed",
      option_id: "allow_once",
    });
    // Every step ran on its member's node.
    const dispatched = Object.fromEntries(
      events.filter((e) => e.kind === "step.dispatched").map((e) => [e.step_key, e.data]),
    );
    expect(dispatched.plan).toMatchObject({ member_id: "lead", agent_id: lead.agent_id, node_id: "main" });
    expect(dispatched.build).toMatchObject({
      member_id: "builder",
      agent_id: builder.agent_id,
      node_id: "node-a",
    });
    expect(dispatched.docs).toMatchObject({
      member_id: "writer",
      agent_id: writer.agent_id,
      node_id: "node-b",
    });

    // The builder's turn carried the run input and the plan's output; the leader answered through the actor CLI.
    const builderTurn = (await agentEvents(c, builder.agent_id!)).find((e) => e.kind === "turn_started")!;
    expect(builderTurn.data.turn_id).toBe(dispatched.build!.turn_id);
    expect(String(builderTurn.data.text)).toContain("> plan: builder adds feature.txt; writer documents it");
    expect(String(builderTurn.data.text)).toContain("ship it");
    const leadEvents = await agentEvents(c, lead.agent_id!);
    expect(JSON.stringify(leadEvents.filter((e) => e.kind === "session_update"))).toContain(
      `agenthub actor permission-review-respond --request-id ${String(review.review_id)} --option-id allow_once`,
    );

    // The approved write landed in the builder's worktree only; the writer's docs in its own.
    expect(readFileSync(join(builder.workdir!, "feature.txt"), "utf8")).toBe("the feature");
    expect(readFileSync(join(writer.workdir!, "DOCS.md"), "utf8")).toBe("how to use the feature");
    expect(existsSync(join(writer.workdir!, "feature.txt"))).toBe(false);
    expect(existsSync(join(c.repo, "feature.txt"))).toBe(false);
    const view = await runtimeView(c, teamId);
    expect(member(view, "builder").workdir).toBe(builder.workdir);

    // Stopping the runtime stops every member's agent process.
    const stopped = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${teamId}/runtime/stop`, {
      token: c.token,
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
    for (const m of stopped.body.members) expect(ACTIVE).not.toContain(m.status);
    const all = [...pids.values()].flat();
    await waitUntil("member agent processes gone", async () => all.every((p) => !pidAlive(p)), 5000);

    // SIGTERM: nodes and hub exit 0 and nothing started under the test's root remains.
    const exits = await procs.stopAll();
    expect(exits).toEqual([
      { name: "node-b", code: 0 },
      { name: "node-a", code: 0 },
      { name: "hub", code: 0 },
    ]);
    expect(all.filter(pidAlive)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
  }, 60_000);

  it("refuses to start a team whose member's node is unreachable: NODE_UNREACHABLE names member and node, nothing left running", async () => {
    const c = await startTeamCluster(root(), ["node-x"], procs);
    const teamId = await createTeam(c, "stranded", {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "leads",
          skills: [],
          agent: leaderAgent(c.leadDir),
        },
        {
          member_id: "remote",
          role: "worker",
          description: "works on node-x",
          skills: [],
          agent: worktreeAgent("node-x", c.repo),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [{ step_key: "s", member_id: "remote", prompt: "reply: hi" }],
    });
    const killed = await procs.kill(c.nodes["node-x"]!, "SIGKILL");
    expect(killed).toEqual({ code: null, signal: "SIGKILL" });

    const seenPids: number[] = [];
    const expectRefused = async () => {
      const r = await api<{ error: string; code: string; details: Record<string, unknown> }>(
        c.hub.url,
        "POST",
        `/api/teams/${teamId}/runtime/start`,
        { token: c.token },
      );
      expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([503, "NODE_UNREACHABLE"]);
      expect(r.body.error).toContain('team runtime could not start: member "remote" on node "node-x"');
      expect(r.body.details).toMatchObject({ member_id: "remote", node_id: "node-x" });
      // The cause is the node's error text (checked softly so the all-or-nothing checks below still run).
      expect.soft(typeof r.body.details.cause, JSON.stringify(r.body.details)).toBe("string");
      expect.soft(r.body.error).not.toContain("[object Object]");
      expect((r.body.details.failures as { member_id: string }[]).map((f) => f.member_id)).toEqual([
        "remote",
      ]);
      // All or nothing: the leader on main, which could start, is not left running.
      const view = await runtimeView(c, teamId);
      expect(view.status).toBe("stopped");
      for (const m of view.members) expect(ACTIVE, m.member_id).not.toContain(m.status);
      const leadAgent = member(view, "lead").agent_id;
      if (leadAgent) seenPids.push(...(await agentPids(c, leadAgent)));
      expect(seenPids.filter(pidAlive)).toEqual([]);
      return r.body;
    };

    // Right after the kill (the hub may not have noticed yet): the start checks every member's node
    // first, so nothing is started at all, not even the leader on main.
    await expectRefused();
    expect(member(await runtimeView(c, teamId), "lead").agent_id).toBeNull();
    expect(seenPids).toEqual([]);
    // Once the probes have marked the node offline, the error says so.
    await waitUntil("node-x offline", async () => {
      const h = await api<{ status: string }>(c.hub.url, "GET", "/api/admin/agent-nodes/node-x/health", {
        token: c.token,
      });
      return h.body.status === "offline";
    });
    const second = await expectRefused();
    expect.soft(second.error).toContain('member "remote" on node "node-x": node "node-x" is offline');

    // A run created meanwhile waits for the runtime instead of failing.
    const runId = await createRun(c, teamId, "later");
    await waitUntil("run waits for the runtime", async () =>
      (await runEvents(c, runId)).some((e) => e.kind === "run.waiting_for_runtime"),
    );
    expect((await getRun(c, runId)).status).toBe("submitted");
  });

  it("a started team restarted while a member's node is down: 503 NODE_UNREACHABLE, nothing started", async () => {
    const c = await startTeamCluster(root(), ["node-d"], procs);
    const teamId = await createTeam(c, "restarted", {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "leads",
          skills: [],
          agent: leaderAgent(c.leadDir),
        },
        {
          member_id: "remote",
          role: "worker",
          description: "works on node-d",
          skills: [],
          agent: worktreeAgent("node-d", c.repo),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [{ step_key: "s", member_id: "remote", prompt: "reply: hi" }],
    });
    const start = () =>
      api<{ code?: string; error?: string; details?: Record<string, unknown> }>(
        c.hub.url,
        "POST",
        `/api/teams/${teamId}/runtime/start`,
        { token: c.token },
      );
    expect((await start()).status).toBe(200);
    const before = await runtimeView(c, teamId);
    const leadAgent = member(before, "lead").agent_id!;
    const leadPids = await agentPids(c, leadAgent);
    expect(member(before, "remote").status).not.toBe("not_started");

    await procs.kill(c.nodes["node-d"]!, "SIGKILL");
    // Started again (the remote member's agent is still recorded as running): the dead node is noticed.
    const again = await start();
    expect([again.status, again.body.code], JSON.stringify(again.body)).toEqual([503, "NODE_UNREACHABLE"]);
    expect(again.body.details).toMatchObject({ member_id: "remote", node_id: "node-d" });
    expect(again.body.error).toContain('member "remote" on node "node-d"');

    // Stopped, then started (a restart): refused, and the leader on main is not started again.
    const stopped = await api(c.hub.url, "POST", `/api/teams/${teamId}/runtime/stop`, { token: c.token });
    expect(stopped.status).toBe(200);
    const restarted = await start();
    expect([restarted.status, restarted.body.code]).toEqual([503, "NODE_UNREACHABLE"]);
    const view = await runtimeView(c, teamId);
    expect(view.status).toBe("stopped");
    expect(member(view, "lead").status).toBe("stopped");
    expect(member(view, "lead").agent_id).toBe(leadAgent);
    expect(leadPids.filter(pidAlive)).toEqual([]);
  }, 60_000);

  it("fails a step running on a node that dies mid-turn with NODE_UNREACHABLE once probes mark the node offline", async () => {
    const c = await startTeamCluster(root(), ["node-w"], procs);
    const teamId = await createTeam(c, "fragile", {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "leads",
          skills: [],
          agent: leaderAgent(c.leadDir),
        },
        {
          member_id: "remote",
          role: "worker",
          description: "works on node-w",
          skills: [],
          agent: worktreeAgent("node-w", c.repo),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [
        { step_key: "long", member_id: "remote", prompt: "sleep 20000\nreply: too late" },
        { step_key: "after", member_id: "lead", prompt: "reply: never", depends_on: ["long"] },
      ],
    });
    const started = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${teamId}/runtime/start`, {
      token: c.token,
    });
    expect(started.status).toBe(200);
    const remote = member(started.body, "remote");
    expect(remote.node_id).toBe("node-w");
    const runId = await createRun(c, teamId, { goal: "survive" });

    // Wait until the remote agent is inside the step's turn, then kill its node.
    const turnId = await waitUntil("step dispatched", async () => {
      const d = (await runEvents(c, runId)).find(
        (e) => e.kind === "step.dispatched" && e.step_key === "long",
      );
      return d ? String(d.data.turn_id) : undefined;
    });
    await waitUntil("remote turn started", async () =>
      (await agentEvents(c, remote.agent_id!)).some(
        (e) => e.kind === "turn_started" && e.data.turn_id === turnId,
      ),
    );
    const remotePids = await agentPids(c, remote.agent_id!);
    expect(remotePids.length).toBeGreaterThan(0);
    const killed = await procs.kill(c.nodes["node-w"]!, "SIGKILL");
    expect(killed.signal).toBe("SIGKILL");
    expect((await getRun(c, runId)).status).toBe("working");

    const run = await waitRunEnd(c, runId);
    expect(run.status).toBe("failed");
    const steps = Object.fromEntries(run.steps.map((s) => [s.step_key, s]));
    expect(steps.long!.status).toBe("failed");
    expect(steps.long!.error?.code).toBe("NODE_UNREACHABLE");
    expect(steps.long!.error?.message).toContain('node "node-w"');
    expect(steps.after!.status).toBe("canceled");
    const health = await api<{ status: string }>(c.hub.url, "GET", "/api/admin/agent-nodes/node-w/health", {
      token: c.token,
    });
    expect(health.body.status).toBe("offline");
    const events = await runEvents(c, runId);
    expect(events.find((e) => e.kind === "step.failed" && e.step_key === "long")?.data).toMatchObject({
      code: "NODE_UNREACHABLE",
    });
    expect(events.some((e) => e.kind === "run.failed")).toBe(true);
    expect(events.some((e) => e.kind === "step.completed")).toBe(false);

    // The orphaned agent (its node was SIGKILLed) must not outlive the test.
    await waitUntil("orphaned remote agent gone", async () => remotePids.every((p) => !pidAlive(p)), 5000);
    const stopped = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${teamId}/runtime/stop`, {
      token: c.token,
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
  });
});
