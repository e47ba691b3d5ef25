import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { alive, LIVE_STATES, openTeamHub, type RuntimeView, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

function twoMemberSpec() {
  return {
    leader_member_id: "lead",
    members: [t.member("lead", "leader"), t.member("w1", "worker")],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps: [
      { step_key: "plan", member_id: "lead", prompt: "reply: the plan" },
      { step_key: "work", member_id: "w1", prompt: "reply: the work", depends_on: ["plan"] },
    ],
  };
}

describe("team runtime", () => {
  it("start runs one agent per member, GET shows them, stop leaves no process", async () => {
    const teamId = await t.createTeam(twoMemberSpec());
    const before = await t.runtime(teamId);
    expect(before.status).toBe("stopped");
    expect(before.members.map((m) => [m.member_id, m.agent_id, m.status])).toEqual([
      ["lead", null, "not_started"],
      ["w1", null, "not_started"],
    ]);

    const started = await t.startRuntime(teamId);
    expect(started.status).toBe("started");
    expect(started.members.map((m) => [m.member_id, m.role, m.node_id])).toEqual([
      ["lead", "leader", "main"],
      ["w1", "worker", "main"],
    ]);
    const ids = started.members.map((m) => m.agent_id);
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(2);

    const shown = await t.runtime(teamId);
    expect(shown.status).toBe("started");
    expect(shown.members.map((m) => m.agent_id)).toEqual(ids);
    expect(shown.members.map((m) => m.workdir)).toEqual([t.workdir("lead"), t.workdir("w1")]);
    for (const m of shown.members) expect(LIVE_STATES.has(m.status), m.status).toBe(true);

    // One live process (in its own process group) per member.
    const pids: number[] = [];
    for (const id of ids) {
      pids.push(await t.firstPid(id!));
      expect(await t.pids(id!)).toHaveLength(1);
    }
    expect(new Set(pids).size).toBe(2);
    for (const pid of pids) {
      expect(alive(pid)).toBe(true);
      expect(alive(-pid)).toBe(true);
    }

    // Starting again is a no-op: the same agents keep running.
    const again = await t.startRuntime(teamId);
    expect(again.members.map((m) => m.agent_id)).toEqual(ids);
    for (const id of ids) expect(await t.pids(id!)).toHaveLength(1);

    const stopped = await t.call<RuntimeView>("POST", `/api/teams/${teamId}/runtime/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
    for (const m of stopped.body.members) expect(LIVE_STATES.has(m.status), m.status).toBe(false);
    for (const pid of pids) {
      expect(alive(pid), `agent process ${pid} still running`).toBe(false);
      expect(alive(-pid), `agent process group ${pid} still running`).toBe(false);
    }
    expect((await t.runtime(teamId)).status).toBe("stopped");
  });

  it("start is all or nothing: a member whose workdir is outside safe_paths fails it, naming member and node", async () => {
    const spec = twoMemberSpec();
    spec.members[1] = t.member("w1", "worker", { workdir: t.work });
    const teamId = await t.createTeam(spec);
    const r = await t.call<{ details: Record<string, unknown> }>(
      "POST",
      `/api/teams/${teamId}/runtime/start`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    // An unsafe workdir is classified as a workspace problem (the cause keeps the policy's message).
    expect(r.body.code).toBe("WORKSPACE_ERROR");
    expect
      .soft(r.body.error)
      .toBe(
        'team runtime could not start: member "w1" on node "main": workdir path must be within allowed safe paths',
      );
    expect.soft(r.body.details).toMatchObject({
      member_id: "w1",
      node_id: "main",
      cause: "workdir path must be within allowed safe paths",
    });

    const rt = await t.runtime(teamId);
    expect(rt.status).toBe("stopped");
    const lead = rt.members.find((m) => m.member_id === "lead")!;
    // The good member's agent was started by the call and stopped again: it is not shown as live
    // once the call has returned, and no process is left.
    expect
      .soft(LIVE_STATES.has(lead.status), `lead's agent shows "${lead.status}" after the failed start`)
      .toBe(false);
    expect(lead.agent_id).not.toBeNull();
    await t.firstPid(lead.agent_id!);
    for (const pid of await t.pids(lead.agent_id!)) {
      expect(alive(pid), `lead's agent process ${pid} left running`).toBe(false);
    }
    // And it settles as not live (whatever the order the node's status events arrive in).
    await waitUntil("no live agent", async () => {
      const agents = await t.call<{ agents: { status: string }[] }>("GET", "/api/agents");
      return agents.body.agents.every((a) => !LIVE_STATES.has(a.status));
    });

    // A run on it is not executed.
    const run = await t.newRun(teamId);
    await t.waitRunEvent(run.id, (e) => e.kind === "run.waiting_for_runtime");
    expect((await t.run(run.id)).status).toBe("submitted");
  });

  it("a run created before the runtime started waits for it, then completes after start", async () => {
    const teamId = await t.createTeam(twoMemberSpec());
    const run = await t.newRun(teamId);
    const waiting = await t.waitRunEvent(run.id, (e) => e.kind === "run.waiting_for_runtime");
    expect(String(waiting.data.message)).toContain(`POST /api/teams/${teamId}/runtime/start`);
    const still = await t.run(run.id);
    expect(still.status).toBe("submitted");
    expect(still.steps.map((s) => s.status)).toEqual(["submitted", "submitted"]);
    const events = await t.runEvents(run.id);
    expect(events.filter((e) => e.kind === "step.dispatched")).toEqual([]);
    // Noted once, not on every kick.
    expect(events.filter((e) => e.kind === "run.waiting_for_runtime")).toHaveLength(1);

    await t.startRuntime(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(done.steps.map((s) => [s.step_key, s.status, s.output])).toEqual([
      ["plan", "completed", "the plan"],
      ["work", "completed", "the work"],
    ]);
  });
});
