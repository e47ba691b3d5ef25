import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { type AgentEvent, alive, LIVE_STATES, openTeamHub, type RunView, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

const ms = (iso: string | null) => {
  if (!iso) throw new Error("missing timestamp");
  return Date.parse(iso);
};

const turnEnded = (turnId: string) => (e: AgentEvent) => e.kind === "turn_ended" && e.data.turn_id === turnId;

async function startedTeam(steps: Record<string, unknown>[], workers = ["w1", "w2"]) {
  const teamId = await t.createTeam({
    leader_member_id: "lead",
    members: [t.member("lead", "leader"), ...workers.map((w) => t.member(w, "worker"))],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps,
  });
  await t.startRuntime(teamId);
  return teamId;
}

describe("run execution", () => {
  it("runs a 3-step DAG: outputs are the reply texts, dependency outputs reach the dependent prompts", async () => {
    const teamId = await startedTeam([
      { step_key: "plan", member_id: "lead", prompt: "reply: plan: build it, then document it" },
      { step_key: "build", member_id: "w1", prompt: "reply: built the thing", depends_on: ["plan"] },
      { step_key: "docs", member_id: "w2", prompt: "reply: documented the thing", depends_on: ["plan"] },
    ]);
    const run = await t.newRun(teamId, { goal: "ship feature X" });
    const done = await t.waitRun(run.id, "completed");
    expect(done.steps.map((s) => [s.step_key, s.member_id, s.status, s.output, s.attempt])).toEqual([
      ["plan", "lead", "completed", "plan: build it, then document it", 1],
      ["build", "w1", "completed", "built the thing", 1],
      ["docs", "w2", "completed", "documented the thing", 1],
    ]);

    const events = await t.runEvents(run.id);
    const dispatched = events.filter((e) => e.kind === "step.dispatched");
    expect(dispatched.map((e) => e.step_key).sort()).toEqual(["build", "docs", "plan"]);
    for (const e of dispatched) {
      const member = t.step(done, e.step_key!).member_id;
      expect(e.data).toMatchObject({
        member_id: member,
        agent_id: await t.agentOf(teamId, member),
        node_id: "main",
        turn_id: `step|${run.id}|1|${e.step_key}`,
      });
    }
    expect(events.at(-1)!.kind).toBe("run.completed");

    // Each step was one turn of its member's agent, whose prompt carries the run input and the
    // outputs of the steps it depends on (quoted), then the step's own prompt.
    for (const [member, key] of [
      ["w1", "build"],
      ["w2", "docs"],
    ] as const) {
      const turns = await t.turns(await t.agentOf(teamId, member));
      expect(turns.map((x) => x.turn_id)).toEqual([`step|${run.id}|1|${key}`]);
      const text = turns[0]!.text;
      expect(text).toContain(`step "${key}" (attempt 1)`);
      expect(text).toContain('> {"goal":"ship feature X"}');
      expect(text).toContain('Output of step "plan":\n> plan: build it, then document it');
      expect(text.endsWith(`reply: ${key === "build" ? "built" : "documented"} the thing`)).toBe(true);
    }
    const leadTurns = await t.turns(await t.agentOf(teamId, "lead"));
    expect(leadTurns.map((x) => x.turn_id)).toEqual([`step|${run.id}|1|plan`]);
    expect(leadTurns[0]!.text).not.toContain("Output of step");
  });

  it("a step that ends with an empty reply completes with_warnings (EMPTY_REPLY) and a step.warning event", async () => {
    const teamId = await startedTeam([
      { step_key: "plan", member_id: "lead", prompt: "reply: plan" },
      { step_key: "quiet", member_id: "w1", prompt: "sleep 1", depends_on: ["plan"] },
    ]);
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(t.step(done, "plan")).toMatchObject({ status: "completed", outcome: "clean", warnings: [] });
    expect(t.step(done, "quiet")).toMatchObject({
      status: "completed",
      output: "",
      outcome: "with_warnings",
      warnings: [{ code: "EMPTY_REPLY", message: "the agent ended its turn with an empty reply" }],
    });
    expect(done.outcome).toBe("with_warnings");
    const warned = (await t.runEvents(run.id)).filter((e) => e.kind === "step.warning");
    expect(warned.map((e) => [e.step_key, e.data.code])).toEqual([["quiet", "EMPTY_REPLY"]]);
  });

  it("orders a diamond DAG: plan, then left and right in parallel, then join after both", async () => {
    const teamId = await startedTeam(
      [
        { step_key: "plan", member_id: "lead", prompt: "reply: P" },
        { step_key: "left", member_id: "a", prompt: "sleep 300\nreply: L", depends_on: ["plan"] },
        { step_key: "right", member_id: "b", prompt: "sleep 300\nreply: R", depends_on: ["plan"] },
        { step_key: "join", member_id: "lead", prompt: "reply: J", depends_on: ["left", "right"] },
      ],
      ["a", "b"],
    );
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    const at = (key: string) => {
      const s = t.step(done, key);
      return { start: ms(s.started_at), end: ms(s.finished_at) };
    };
    const plan = at("plan");
    const left = at("left");
    const right = at("right");
    const join = at("join");
    expect(plan.end).toBeGreaterThanOrEqual(plan.start);
    expect(left.start).toBeGreaterThanOrEqual(plan.end);
    expect(right.start).toBeGreaterThanOrEqual(plan.end);
    // Each branch takes at least its 300 ms sleep, and the two windows overlap (parallel, not serial).
    expect(left.end - left.start).toBeGreaterThanOrEqual(300);
    expect(right.end - right.start).toBeGreaterThanOrEqual(300);
    expect(left.start).toBeLessThan(right.end);
    expect(right.start).toBeLessThan(left.end);
    expect(join.start).toBeGreaterThanOrEqual(Math.max(left.end, right.end));
    expect(join.end).toBeGreaterThanOrEqual(join.start);
    expect(done.steps.map((s) => s.output)).toEqual(["P", "L", "R", "J"]);

    const kinds = (await t.runEvents(run.id)).map((e) => `${e.kind}${e.step_key ? ` ${e.step_key}` : ""}`);
    const idx = (k: string) => {
      const i = kinds.indexOf(k);
      expect(i, `${k} in ${kinds.join(", ")}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(idx("step.dispatched left")).toBeGreaterThan(idx("step.completed plan"));
    expect(idx("step.dispatched right")).toBeGreaterThan(idx("step.completed plan"));
    expect(idx("step.dispatched join")).toBeGreaterThan(idx("step.completed left"));
    expect(idx("step.dispatched join")).toBeGreaterThan(idx("step.completed right"));

    const joinTurn = (await t.turns(await t.agentOf(teamId, "lead"))).find(
      (x) => x.turn_id === `step|${run.id}|1|join`,
    )!;
    expect(joinTurn.text).toContain('Output of step "left":\n> L');
    expect(joinTurn.text).toContain('Output of step "right":\n> R');
  });

  it("a crashing agent fails its step with AGENT_EXITED and its stderr; resume re-dispatches it to a restarted agent", async () => {
    const teamId = await startedTeam([
      { step_key: "plan", member_id: "lead", prompt: "reply: P" },
      { step_key: "crash", member_id: "w1", prompt: "exit 3 boom on stderr", depends_on: ["plan"] },
      { step_key: "other", member_id: "w2", prompt: "sleep 20000\nreply: O", depends_on: ["plan"] },
    ]);
    const w1 = await t.agentOf(teamId, "w1");
    const w2 = await t.agentOf(teamId, "w2");
    const firstPid = await t.firstPid(w1);
    const run = await t.newRun(teamId);
    const failed = await t.waitRun(run.id, "failed");
    const crash = t.step(failed, "crash");
    expect(crash.status).toBe("failed");
    expect(crash.error?.code).toBe("AGENT_EXITED");
    expect(crash.error?.message).toContain("boom on stderr");
    expect(failed.error?.code).toBe("AGENT_EXITED");
    expect(failed.error?.message).toContain("boom on stderr");
    // The run's other unfinished step is canceled, and its turn cancelled on its agent.
    expect(t.step(failed, "other").status).toBe("canceled");
    await t.waitAgentEvent(
      w2,
      (e) => turnEnded(`step|${run.id}|1|other`)(e) && e.data.stop_reason === "cancelled",
      "the other step's turn cancelled",
    );
    const exited = await t.waitAgentEvent(w1, (e) => e.kind === "agent_exited", "agent_exited");
    expect(exited.data.code).toBe(3);
    expect(JSON.stringify(exited.data.stderr_tail)).toContain("boom on stderr");
    expect(alive(firstPid)).toBe(false);

    const resumed = await t.call<RunView>("POST", `/api/runs/${run.id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(t.step(resumed.body, "crash")).toMatchObject({ status: "submitted", attempt: 2 });

    // The member's agent is restarted and the step goes to it again as attempt 2.
    const redispatched = await t.waitRunEvent(
      run.id,
      (e) =>
        e.kind === "step.dispatched" && e.step_key === "crash" && e.data.turn_id === `step|${run.id}|2|crash`,
      "crash re-dispatched",
    );
    expect(redispatched.data.agent_id).toBe(w1);
    const pids = await waitUntil("a second process for w1", async () => {
      const p = await t.pids(w1);
      return p.length >= 2 && p;
    });
    expect(pids[0]).toBe(firstPid);
    expect(pids[1]).not.toBe(firstPid);
    const turn2 = await t.waitAgentEvent(
      w1,
      (e) => e.kind === "turn_started" && e.data.turn_id === `step|${run.id}|2|crash`,
      "attempt 2 turn started",
    );
    expect(String(turn2.data.text)).toContain('step "crash" (attempt 2)');
    // The same prompt crashes the new process too: the step fails again, with attempt 2.
    const again = await t.waitRun(run.id, "failed");
    expect(t.step(again, "crash")).toMatchObject({ status: "failed", attempt: 2 });
    expect(t.step(again, "crash").error?.code).toBe("AGENT_EXITED");
    const dispatches = (await t.runEvents(run.id)).filter(
      (e) => e.kind === "step.dispatched" && e.step_key === "crash",
    );
    expect(dispatches.map((e) => e.data.turn_id)).toEqual([
      `step|${run.id}|1|crash`,
      `step|${run.id}|2|crash`,
    ]);
  });

  it("a run resumed after a one-time crash completes on the restarted agent", async () => {
    // The step's command kills its agent the first time only (a marker file remembers it). It lives in
    // w1's own workdir: the sandbox hides every other folder under the safe paths.
    const script = join(t.workdir("w1"), "crash-once.mjs");
    writeFileSync(
      script,
      [
        'import { existsSync, writeFileSync } from "node:fs";',
        'const marker = new URL("./crashed", import.meta.url);',
        "if (!existsSync(marker)) {",
        '  writeFileSync(marker, "");',
        '  process.kill(process.ppid, "SIGKILL");',
        '} else console.log("second try");',
      ].join("\n"),
    );
    const teamId = await startedTeam(
      [
        {
          step_key: "flaky",
          member_id: "w1",
          prompt: `run: ${process.execPath} ${script}\nreply: recovered`,
        },
      ],
      ["w1"],
    );
    const w1 = await t.agentOf(teamId, "w1");
    const run = await t.newRun(teamId);
    const failed = await t.waitRun(run.id, "failed");
    expect(t.step(failed, "flaky").error?.code).toBe("AGENT_EXITED");
    const resumed = await t.call<RunView>("POST", `/api/runs/${run.id}/resume`);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    const done = await t.waitRun(run.id, "completed");
    expect(t.step(done, "flaky")).toMatchObject({
      status: "completed",
      attempt: 2,
      output: "second try\nrecovered",
      error: null,
    });
    expect(done.error).toBeNull();
    expect(await t.pids(w1)).toHaveLength(2);
    const turns = (await t.turns(w1)).map((x) => x.turn_id);
    expect(turns).toEqual([`step|${run.id}|1|flaky`, `step|${run.id}|2|flaky`]);
  });

  it("a step over its timeout fails with EXECUTION_TIMEOUT and its turn is cancelled", async () => {
    const teamId = await startedTeam(
      [{ step_key: "slow", member_id: "w1", prompt: "sleep 20000\nreply: too late", timeout_seconds: 1 }],
      ["w1"],
    );
    const w1 = await t.agentOf(teamId, "w1");
    const run = await t.newRun(teamId);
    const failed = await t.waitRun(run.id, "failed");
    const slow = t.step(failed, "slow");
    expect(slow.status).toBe("failed");
    expect(slow.error).toEqual({
      code: "EXECUTION_TIMEOUT",
      message: 'step "slow" did not finish within 1 s',
    });
    expect(failed.error?.code).toBe("EXECUTION_TIMEOUT");
    expect(ms(slow.finished_at) - ms(slow.started_at)).toBeGreaterThanOrEqual(1000);
    expect(ms(slow.finished_at) - ms(slow.started_at)).toBeLessThan(10_000);

    const ended = await t.waitAgentEvent(w1, turnEnded(`step|${run.id}|1|slow`), "the slow turn ended");
    expect(ended.data.stop_reason).toBe("cancelled");
    // Cancelled, not killed: the agent is still up and takes further turns.
    const rt = await t.runtime(teamId);
    expect(LIVE_STATES.has(rt.members.find((m) => m.member_id === "w1")!.status)).toBe(true);
    expect((await t.run(run.id)).steps[0]!.error?.code).toBe("EXECUTION_TIMEOUT");
  });

  it("cancel in the middle of a turn cancels the turn and the steps; runtime stop leaves no process", async () => {
    const teamId = await startedTeam([
      { step_key: "long", member_id: "w1", prompt: "sleep 20000\nreply: never" },
      { step_key: "after", member_id: "w2", prompt: "reply: never either", depends_on: ["long"] },
    ]);
    const w1 = await t.agentOf(teamId, "w1");
    const run = await t.newRun(teamId);
    await t.waitAgentEvent(
      w1,
      (e) => e.kind === "turn_started" && e.data.turn_id === `step|${run.id}|1|long`,
      "long turn started",
    );
    expect((await t.run(run.id)).status).toBe("working");

    const canceled = await t.call<RunView>("POST", `/api/runs/${run.id}/cancel`);
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    expect(canceled.body.status).toBe("canceled");
    expect(canceled.body.steps.map((s) => [s.step_key, s.status])).toEqual([
      ["long", "canceled"],
      ["after", "canceled"],
    ]);
    const ended = await t.waitAgentEvent(w1, turnEnded(`step|${run.id}|1|long`), "long turn ended");
    expect(ended.data.stop_reason).toBe("cancelled");
    const after = await t.run(run.id);
    expect(after.status).toBe("canceled");
    expect(after.steps.map((s) => s.status)).toEqual(["canceled", "canceled"]);
    const kinds = (await t.runEvents(run.id)).map((e) => e.kind);
    expect(kinds).toContain("run.canceled");
    expect(kinds.filter((k) => k === "step.canceled")).toHaveLength(2);

    const pids: number[] = [];
    for (const m of ["lead", "w1", "w2"]) pids.push(...(await t.pids(await t.agentOf(teamId, m))));
    expect(pids).toHaveLength(3);
    const stopped = await t.call<{ status: string }>("POST", `/api/teams/${teamId}/runtime/stop`);
    expect(stopped.body.status).toBe("stopped");
    for (const pid of pids) {
      expect(alive(pid), `process ${pid} left`).toBe(false);
      expect(alive(-pid), `process group ${pid} left`).toBe(false);
    }
  });
});
