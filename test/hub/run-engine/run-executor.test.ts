import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailTurnId, stepTurnId } from "../../../src/domain/turn-id.js";
import { RunExecutor } from "../../../src/hub/run-executor.js";
import type { Team } from "../../../src/store/teams-repo.js";
import { waitUntil } from "../../helpers/wait-until.js";
import { type EngineWorld, openEngineWorld } from "./engine-world.js";

let w: EngineWorld;
let executor: RunExecutor;
let team: Team;

beforeEach(async () => {
  w = openEngineWorld();
  executor = new RunExecutor({
    services: w.services,
    agents: w.agents,
    nodes: w.nodes,
    runtime: w.runtime,
    reviews: w.reviews,
    clock: w.clock,
    logger: w.logger,
  });
  w.hooks.onEvents = (events) => executor.onEvents(events);
  w.hooks.onNodeOffline = (nodeId) => executor.onNodeOffline(nodeId);
  executor.start();
  team = await w.start(
    await w.team(
      ["lead", "w1"],
      [
        { step_key: "build", member_id: "w1" },
        { step_key: "review", member_id: "lead", depends_on: ["build"] },
      ],
    ),
  );
});

afterEach(() => {
  executor.stop();
  w.close();
});

const runStatus = (runId: string) => w.services.runs.runs.run(runId)?.status;

describe("RunExecutor (the engine's parts composed)", () => {
  it("runs a run to completion: each turn's end dispatches the next ready step", async () => {
    const run = w.run(team);
    const [build] = await w.node.waitInputs(1);
    expect(build!.turnId).toBe(stepTurnId(run.id, "build", 1));

    await w.deliver(build!.agentId, "turn_ended", {
      turn_id: build!.turnId,
      stop_reason: "end_turn",
      reply: "built",
    });
    const inputs = await w.node.waitInputs(2);
    const review = inputs[1]!;
    expect(review.turnId).toBe(stepTurnId(run.id, "review", 1));
    expect(review.text).toContain("built");

    await w.deliver(review.agentId, "turn_ended", {
      turn_id: review.turnId,
      stop_reason: "end_turn",
      reply: "ok",
    });
    expect(runStatus(run.id)).toBe("completed");
    expect(w.node.inputs).toHaveLength(2);
  });

  it("ignores (and records) a completion of the old attempt that arrives after resume started a new one", async () => {
    const run = w.run(team);
    const [old] = await w.node.waitInputs(1);
    // The run is canceled while its first attempt runs: the engine cancels that turn on the node...
    w.services.runs.cancel({ kind: "system" }, run.id);
    await waitUntil("the old turn is cancelled", async () =>
      w.node.cancels.some((c) => c.turnId === old!.turnId),
    );
    // ...and a resume sends the step again, as attempt 2.
    w.services.runs.resume({ kind: "system" }, run.id);
    const [, fresh] = await w.node.waitInputs(2);
    expect(fresh!.turnId).toBe(stepTurnId(run.id, "build", 2));

    // The agent had finished the old turn before the cancel reached it: its completion comes in late.
    await w.deliver(old!.agentId, "turn_ended", {
      turn_id: old!.turnId,
      stop_reason: "end_turn",
      reply: "stale work",
    });
    expect(w.step(run.id, "build")).toMatchObject({ status: "working", attempt: 2, output: null });
    expect(w.runEvents(run.id).find((e) => e.kind === "step.stale_turn_ignored")?.data).toEqual({
      turn_id: old!.turnId,
      attempt: 1,
      current_attempt: 2,
      stop_reason: "end_turn",
    });
    // Nothing went on because of it: the dependent step waits for the new attempt.
    expect(w.node.inputs).toHaveLength(2);

    await w.deliver(fresh!.agentId, "turn_ended", {
      turn_id: fresh!.turnId,
      stop_reason: "end_turn",
      reply: "fresh work",
    });
    expect(w.step(run.id, "build")).toMatchObject({ status: "completed", attempt: 2, output: "fresh work" });
    const [, , review] = await w.node.waitInputs(3);
    expect(review!.text).toContain("fresh work");
    expect(review!.text).not.toContain("stale work");
  });

  it("gives mail sent to an idle member a turn of its own", async () => {
    const run = w.run(team);
    const [build] = await w.node.waitInputs(1);
    const sent = w.services.mailbox.send(run, {
      fromActorId: "w1",
      route: "to_member",
      toActorId: "lead",
      payload: { question: "which branch?" },
    });
    const [, mail] = await w.node.waitInputs(2);
    expect(mail!.turnId).toBe(mailTurnId(run.id, "lead", sent.seq));
    expect(mail!.agentId).toBe(w.agentOf(team, "lead"));
    expect(mail!.text).toContain("which branch?");
    // w1 is busy with its step: its own mail waits for that turn to end.
    w.services.mailbox.send(run, {
      fromActorId: "lead",
      route: "to_member",
      toActorId: "w1",
      payload: { a: "main" },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(w.node.inputs).toHaveLength(2);
    await w.deliver(build!.agentId, "turn_ended", {
      turn_id: build!.turnId,
      stop_reason: "end_turn",
      reply: "b",
    });
    // w1 is idle again: its mail goes out, next to the lead's step that is ready now.
    const after = (await w.node.waitInputs(4)).slice(2);
    expect(after.map((i) => i.turnId).sort()).toEqual(
      [stepTurnId(run.id, "review", 1), mailTurnId(run.id, "w1", sent.seq + 1)].sort(),
    );
    expect(after.find((i) => i.agentId === w.agentOf(team, "w1"))?.text).toContain("main");
  });
});
