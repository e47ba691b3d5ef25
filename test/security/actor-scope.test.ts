import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawnCli } from "../helpers/spawn-cli.js";
import { ensureBuilt } from "../node/helpers/build-once.js";
import { openTeamHub, type RunView, type TeamHub } from "../team/helpers.js";

// Least privilege for actors: a member acts only on its own steps, only in its own team and run.

let t: TeamHub;

beforeAll(ensureBuilt, 120_000);
beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

/** `agenthub actor …` (a real CLI process) with the AGENTHUB_* environment of some token. */
async function actorCli(env: Record<string, string>, args: string[]) {
  const p = spawnCli(["actor", ...args], {
    PATH: process.env.PATH,
    HOME: t.work,
    AGENTHUB_HOME: join(t.work, "actor-home"),
    ...env,
  });
  const code = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** The environment root mints for a member of a run (a run-scoped token). */
async function runToken(runId: string, memberId: string): Promise<Record<string, string>> {
  const r = await t.call<{ env: Record<string, string> }>("POST", `/api/runs/${runId}/actor-tokens`, {
    member_id: memberId,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.env;
}

/** What could change when a step is touched: every step, the run's status and its step events. */
async function stateOf(runId: string) {
  const run: RunView = await t.run(runId);
  const events = (await t.runEvents(runId)).filter((e) => e.kind.startsWith("step."));
  return { status: run.status, steps: run.steps, events: events.map((e) => [e.seq, e.kind, e.step_key]) };
}

/**
 * A team whose leader's step `plan` stays working (its agent sleeps) while the worker's step `build`
 * runs `prompt`.
 */
async function leaderBusyTeam(buildPrompt: string, name?: string) {
  const teamId = await t.createTeam(
    {
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("w1", "worker")],
      steps: [
        { step_key: "plan", member_id: "lead", prompt: "reply: planning\nsleep 600000" },
        { step_key: "build", member_id: "w1", prompt: buildPrompt },
      ],
    },
    name,
  );
  await t.startRuntime(teamId);
  return teamId;
}

/** Waits until the worker's step is done and the leader's is working (and its dispatch is recorded). */
async function leaderBusy(runId: string): Promise<void> {
  await t.waitStep(runId, "build", "completed");
  await t.waitStep(runId, "plan", "working");
  await t.waitRunEvent(
    runId,
    (e) => e.kind === "step.dispatched" && e.step_key === "plan",
    "plan dispatched",
  );
}

describe("a member completes, fails or reports only its own steps", () => {
  it("a worker's agent running `step-complete --step-key <leader's step>` is refused; the leader's step is untouched", async () => {
    const teamId = await leaderBusyTeam(
      "run: agenthub actor step-complete --step-key plan --output forged-by-worker\nreply: tried",
    );
    const run = await t.newRun(teamId);
    // The worker's own step ends with its reply, which carries the CLI's refusal.
    const built = await t.waitStep(run.id, "build", "completed");
    const reply = t.step(built, "build").output ?? "";
    expect(reply).toContain("command failed (exit 1)");
    expect(reply).toContain(
      'permission denied: step "plan" belongs to member "lead"; member "w1" may complete only its own steps',
    );
    const after = await t.waitStep(run.id, "plan", "working");
    expect(after.status).toBe("working");
    expect(t.step(after, "plan").output).toBeNull();
    const events = await t.runEvents(run.id);
    expect(events.filter((e) => e.step_key === "plan").map((e) => e.kind)).not.toContain("step.completed");
  });

  it("step-complete and step-fail of the leader's step with the worker's run token: refused, nothing changes; the leader may", async () => {
    const teamId = await leaderBusyTeam("reply: built");
    const run = await t.newRun(teamId);
    await leaderBusy(run.id);
    const before = await stateOf(run.id);
    const w1 = await runToken(run.id, "w1");

    const complete = await actorCli(w1, ["step-complete", "--step-key", "plan", "--output", "forged"]);
    expect(complete.code).toBe(1);
    expect(complete.stderr).toContain("FORBIDDEN");
    expect(complete.stderr).toContain(
      'permission denied: step "plan" belongs to member "lead"; member "w1" may complete only its own steps',
    );
    const fail = await actorCli(w1, ["step-fail", "--step-key", "plan", "--error-text", "sabotage"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain(
      'permission denied: step "plan" belongs to member "lead"; member "w1" may fail only its own steps',
    );
    // Naming another actor does not help either.
    const asLead = await actorCli(w1, [
      "step-complete",
      "--actor-id",
      "lead",
      "--step-key",
      "plan",
      "--output",
      "x",
    ]);
    expect(asLead.code).toBe(1);
    expect(asLead.stderr).toContain('token for actor "w1" may not act as actor "lead"');
    expect(await stateOf(run.id)).toEqual(before);

    // The step's own member can still report it: the refusals above left it working.
    const lead = await runToken(run.id, "lead");
    const own = await actorCli(lead, ["step-complete", "--step-key", "plan", "--output", "the plan"]);
    expect(own.code, own.stderr).toBe(0);
    const done = await t.waitRun(run.id, "completed");
    expect(t.step(done, "plan").output).toBe("the plan");
  });
});

describe("a token acts only in its own team and run", () => {
  it("a token of team A cannot touch team B's run: steps, mailbox, tasks, members", async () => {
    const teamA = await leaderBusyTeam("reply: built", "team-a");
    const teamB = await leaderBusyTeam("reply: built", "team-b");
    const runA = await t.newRun(teamA);
    const runB = await t.newRun(teamB);
    await leaderBusy(runB.id);
    const before = await stateOf(runB.id);
    const inboxBefore = await t.call("GET", `/api/runs/${runB.id}/inbox?actor_id=lead`);

    // A run-scoped token of team A (run A), and the team-wide token team A's agents get.
    const runScoped = await runToken(runA.id, "lead");
    const teamWide = await t.h.hub.internalGrpc.actorEnv(teamA, "lead", "leader");
    const attempts: [string[], string][] = [
      [["step-complete", "--step-key", "plan", "--output", "forged"], "may not act in run"],
      [["step-fail", "--step-key", "plan", "--error-text", "x"], "may not act in run"],
      [["inbox"], "may not act in run"],
      [["receive"], "may not act in run"],
      [["send", "--broadcast", "--text", "hi from A"], "may not act in run"],
      [["team-tasks"], "may not act in run"],
      [["team-task-create", "--title", "planted"], "may not act in run"],
      [["team-members"], "may not act in run"],
    ];
    for (const [env, label] of [
      [runScoped, `token for run "${runA.id}"`],
      [teamWide, `token for team "${teamA}"`],
    ] as const) {
      for (const [args, text] of attempts) {
        const r = await actorCli(env, [...args, "--run-id", runB.id]);
        expect(r.code, `${args[0]}: ${r.stdout}`).toBe(1);
        expect(r.stderr, args[0]).toContain("FORBIDDEN");
        expect(r.stderr, args[0]).toContain(`permission denied: ${label} ${text} "${runB.id}"`);
      }
    }
    expect(await stateOf(runB.id)).toEqual(before);
    expect((await t.call("GET", `/api/runs/${runB.id}/inbox?actor_id=lead`)).body).toEqual(inboxBefore.body);
    expect((await t.call<{ tasks: unknown[] }>("GET", `/api/teams/${teamB}/tasks`)).body.tasks).toEqual([]);
  });

  it("a token for an actor that is not a member of the run is refused", async () => {
    const teamId = await leaderBusyTeam("reply: built");
    const run = await t.newRun(teamId);
    const ghost = await t.h.hub.internalGrpc.actorEnv(teamId, "ghost", "leader");
    const r = await actorCli(ghost, ["inbox", "--run-id", run.id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`permission denied: actor "ghost" is not a member of run "${run.id}"`);
  });
});

describe("a worker moves only its own or unassigned tasks", () => {
  it("refuses a worker updating the leader's task; allows its own, unassigned ones, and the leader", async () => {
    const teamId = await leaderBusyTeam("reply: built");
    const run = await t.newRun(teamId);
    const task = async (body: Record<string, unknown>) => {
      const r = await t.call<{ id: string }>("POST", `/api/teams/${teamId}/tasks`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id;
    };
    const leadsTask = await task({ title: "lead's", assigned_member_id: "lead" });
    const w1Task = await task({ title: "w1's", assigned_member_id: "w1" });
    const open = await task({ title: "anyone's" });
    const w1 = await runToken(run.id, "w1");
    const update = (env: Record<string, string>, id: string) =>
      actorCli(env, ["team-task-update", "--task-id", id, "--status", "in_progress", "--json"]);
    const statusOf = async (id: string) =>
      (await t.call<{ status: string }>("GET", `/api/teams/${teamId}/tasks/${id}`)).body.status;

    const refused = await update(w1, leadsTask);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `permission denied: task "${leadsTask}" is assigned to member "lead"; worker "w1" may update only its own or unassigned tasks`,
    );
    expect(await statusOf(leadsTask)).toBe("open");
    for (const id of [w1Task, open]) {
      const r = await update(w1, id);
      expect(r.code, r.stderr).toBe(0);
      expect(await statusOf(id)).toBe("in_progress");
    }
    const byLead = await update(await runToken(run.id, "lead"), leadsTask);
    expect(byLead.code, byLead.stderr).toBe(0);
    expect(await statusOf(leadsTask)).toBe("in_progress");
  });
});
