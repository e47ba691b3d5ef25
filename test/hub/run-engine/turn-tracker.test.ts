import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepTurnId } from "../../../src/domain/turn-id.js";
import { TurnTracker } from "../../../src/hub/run-engine/turn-tracker.js";
import type { Team } from "../../../src/store/teams-repo.js";
import { waitUntil } from "../../helpers/wait-until.js";
import { type EngineWorld, openEngineWorld } from "./engine-world.js";

let w: EngineWorld;
let turns: TurnTracker;
let team: Team;

beforeEach(async () => {
  w = openEngineWorld();
  turns = new TurnTracker({ runs: w.services.runs, nodes: w.nodes, clock: w.clock, logger: w.logger });
  team = await w.start(
    await w.team(
      ["lead"],
      [
        { step_key: "slow", member_id: "lead", timeout_seconds: 30 },
        { step_key: "open", member_id: "lead" },
      ],
    ),
  );
});

afterEach(() => {
  turns.stop();
  w.close();
});

/** Starts the step (as a dispatch does) and follows its turn from now. */
function startStep(runId: string, stepKey: string) {
  const step = w.services.runs.transitionStep({ kind: "system" }, runId, stepKey, { action: "start" });
  const agent = w.runtime.memberAgent(team.id, "lead")!;
  return turns.trackStep(runId, step, stepTurnId(runId, stepKey, step.attempt), agent, w.clock.now());
}

describe("TurnTracker", () => {
  it("fails a step still running at its timeout (by the injected clock) EXECUTION_TIMEOUT and cancels its turn", async () => {
    const run = w.run(team);
    const slow = startStep(run.id, "slow");
    const open = startStep(run.id, "open");

    w.clock.advance(29_999);
    await turns.expireOverdue();
    expect(w.step(run.id, "slow").status).toBe("working");
    expect(w.node.cancels).toEqual([]);

    w.clock.advance(1);
    await turns.expireOverdue();
    const failed = w.step(run.id, "slow");
    expect(failed.status).toBe("failed");
    expect(failed.error_code).toBe("EXECUTION_TIMEOUT");
    expect(failed.error_message).toBe('step "slow" did not finish within 30 s');
    expect(w.node.cancels).toEqual([{ agentId: slow.agentId, turnId: slow.turnId }]);
    expect(turns.has(slow.turnId)).toBe(false);
    // A step without a timeout runs on, however long.
    w.clock.advance(86_400_000);
    await turns.expireOverdue();
    expect(turns.has(open.turnId)).toBe(true);
    expect(w.node.cancels).toHaveLength(1);
  });

  it("arms its timer from the clock: a turn followed after its deadline passed (a hub restart) times out at once", async () => {
    const run = w.run(team);
    const step = w.services.runs.transitionStep({ kind: "system" }, run.id, "slow", { action: "start" });
    w.clock.advance(31_000);
    const agent = w.runtime.memberAgent(team.id, "lead")!;
    turns.trackStep(run.id, step, stepTurnId(run.id, "slow", 1), agent, step.started_at!);

    const failed = await waitUntil("the step timed out", async () => {
      const s = w.step(run.id, "slow");
      return s.status === "failed" ? s : undefined;
    });
    expect(failed.error_code).toBe("EXECUTION_TIMEOUT");
    expect(w.node.cancels).toHaveLength(1);
  });

  it("does not fail a newer attempt of the step when an old attempt's turn times out", async () => {
    const run = w.run(team);
    const old = startStep(run.id, "slow");
    w.services.runs.cancel({ kind: "system" }, run.id);
    w.services.runs.resume({ kind: "system" }, run.id);
    expect(w.step(run.id, "slow")).toMatchObject({ status: "submitted", attempt: 2 });

    w.clock.advance(30_000);
    await turns.expireOverdue();
    expect(w.step(run.id, "slow")).toMatchObject({ status: "submitted", attempt: 2, error_code: null });
    // The old turn is still cancelled on its node: nothing waits for it any more.
    expect(w.node.cancels).toEqual([{ agentId: old.agentId, turnId: old.turnId }]);
  });

  it("counts a member busy while it has a turn in flight, mail turns included", () => {
    const run = w.run(team);
    const agent = w.runtime.memberAgent(team.id, "lead")!;
    expect(turns.busy(agent.id)).toBe(false);
    turns.trackMail("mail|x|1|lead", run.id, agent);
    expect(turns.busy(agent.id)).toBe(true);
    expect(turns.onNode("main").map((t) => t.turnId)).toEqual(["mail|x|1|lead"]);
    turns.untrack("mail|x|1|lead");
    expect(turns.busy(agent.id)).toBe(false);
  });

  it("tells the metrics how long each turn it sent took to start, once; a turn sent before a restart is not timed", () => {
    const observed: [string, number][] = [];
    const timed = new TurnTracker({
      runs: w.services.runs,
      nodes: w.nodes,
      clock: w.clock,
      logger: w.logger,
      metrics: { turnStarted: (kind, seconds) => observed.push([kind, seconds]) },
    });
    const run = w.run(team);
    const agent = w.runtime.memberAgent(team.id, "lead")!;
    const step = w.services.runs.transitionStep({ kind: "system" }, run.id, "slow", { action: "start" });
    const turnId = stepTurnId(run.id, "slow", step.attempt);
    timed.trackStep(run.id, step, turnId, agent, w.clock.now(), w.clock.now());
    timed.trackMail("mail|x|1|lead", run.id, agent);
    // Followed again after a restart: sent by the previous process, so its start says nothing of latency.
    timed.trackStep(run.id, { step_key: "open", attempt: 1, timeout_seconds: null }, "recovered", agent, 0);

    w.clock.advance(1_500);
    timed.started(turnId);
    timed.started(turnId);
    w.clock.advance(500);
    timed.started("mail|x|1|lead");
    timed.started("recovered");
    timed.started("never-tracked");
    expect(observed).toEqual([
      ["step", 1.5],
      ["mail", 2],
    ]);
    // Still in flight: starting is not ending.
    expect(timed.has(turnId)).toBe(true);
    timed.stop();
  });
});
