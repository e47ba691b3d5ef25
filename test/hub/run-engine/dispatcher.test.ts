import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseTurnId, stepTurnId } from "../../../src/domain/turn-id.js";
import { fillMessage } from "../../../src/errors/message-template.js";
import { AppError } from "../../../src/errors/registry.js";
import { Dispatcher } from "../../../src/hub/run-engine/dispatcher.js";
import { MailDelivery } from "../../../src/hub/run-engine/mail-delivery.js";
import { TurnTracker } from "../../../src/hub/run-engine/turn-tracker.js";
import { type EngineWorld, openEngineWorld, unreachable } from "./engine-world.js";

let w: EngineWorld;
let turns: TurnTracker;
let dispatcher: Dispatcher;

beforeEach(() => {
  w = openEngineWorld();
  const { services, runtime, nodes, clock, logger } = w;
  turns = new TurnTracker({ runs: services.runs, nodes, clock, logger });
  const mail = new MailDelivery({ services, runtime, nodes, turns, logger });
  dispatcher = new Dispatcher({ services, runtime, nodes, turns, mail, clock, logger });
});

afterEach(() => {
  turns.stop();
  w.close();
});

const DIAMOND = [
  { step_key: "plan", member_id: "lead" },
  { step_key: "left", member_id: "a", depends_on: ["plan"] },
  { step_key: "right", member_id: "b", depends_on: ["plan"] },
  { step_key: "join", member_id: "lead", depends_on: ["left", "right"] },
];

/** The step keys of the turns sent so far, in the order they went out. */
const sentSteps = () =>
  w.node.inputs.map((i) => {
    const ref = parseTurnId(i.turnId);
    return ref?.kind === "step" ? ref.stepKey : `mail:${i.turnId}`;
  });

describe("Dispatcher", () => {
  it("sends each step once its dependencies completed: the root, then the fan-out together, then the fan-in", async () => {
    const team = await w.start(await w.team(["lead", "a", "b"], DIAMOND));
    const run = w.run(team);

    await dispatcher.dispatchReady(run, team);
    expect(sentSteps()).toEqual(["plan"]);
    expect(w.step(run.id, "plan").status).toBe("working");
    // Dispatching again sends nothing new: the root runs, the rest waits for it.
    await dispatcher.dispatchReady(run, team);
    expect(sentSteps()).toEqual(["plan"]);

    w.services.runs.completeTurn(run.id, "plan", 1, "the plan");
    await dispatcher.dispatchReady(run, team);
    expect(sentSteps()).toEqual(["plan", "left", "right"]);
    const left = w.node.inputs[1]!;
    expect(left.agentId).toBe(w.agentOf(team, "a"));
    expect(left.turnId).toBe(stepTurnId(run.id, "left", 1));
    expect(left.text).toContain("the plan");

    // One branch done is not enough for the join.
    w.services.runs.completeTurn(run.id, "left", 1, "left done");
    await dispatcher.dispatchReady(run, team);
    expect(sentSteps()).toEqual(["plan", "left", "right"]);

    w.services.runs.completeTurn(run.id, "right", 1, "right done");
    await dispatcher.dispatchReady(run, team);
    expect(sentSteps()).toEqual(["plan", "left", "right", "join"]);
    const join = w.node.inputs[3]!;
    expect(join.agentId).toBe(w.agentOf(team, "lead"));
    expect(join.text).toContain("left done");
    expect(join.text).toContain("right done");

    const dispatched = w.runEvents(run.id).filter((e) => e.kind === "step.dispatched");
    expect(dispatched.map((e) => e.step_key)).toEqual(["plan", "left", "right", "join"]);
    expect(dispatched[0]!.data).toMatchObject({
      member_id: "lead",
      node_id: "main",
      turn_id: stepTurnId(run.id, "plan", 1),
    });
  });

  it("follows each dispatched turn (with its step's deadline) until it ends", async () => {
    const team = await w.start(
      await w.team(["lead"], [{ step_key: "s", member_id: "lead", timeout_seconds: 5 }]),
    );
    const run = w.run(team);
    await dispatcher.dispatchReady(run, team);
    const turnId = stepTurnId(run.id, "s", 1);
    expect(turns.has(turnId)).toBe(true);
    expect(turns.busy(w.agentOf(team, "lead"))).toBe(true);
    expect(turns.ofRun(run.id)[0]).toMatchObject({
      stepKey: "s",
      attempt: 1,
      deadline: w.clock.now() + 5_000,
    });
  });

  it("fails a step whose turn the node refuses with the code of what went wrong, and sends the others", async () => {
    const team = await w.start(
      await w.team(
        ["lead", "a"],
        [
          { step_key: "one", member_id: "lead" },
          { step_key: "two", member_id: "a" },
        ],
      ),
    );
    const run = w.run(team);
    w.node.refuseInput = (turnId) =>
      parseTurnId(turnId)?.kind === "step" && turnId.endsWith("|one") ? unreachable() : undefined;
    await dispatcher.dispatchReady(run, team);

    expect(sentSteps()).toEqual(["two"]);
    const one = w.step(run.id, "one");
    expect(one.status).toBe("failed");
    expect(one.error_code).toBe("NODE_UNREACHABLE");
    expect(one.error_message).toBe('dispatch to member "lead" failed: connection refused');
    expect(turns.has(stepTurnId(run.id, "one", 1))).toBe(false);
    // The failed dispatch is not recorded as one.
    expect(
      w
        .runEvents(run.id)
        .filter((e) => e.kind === "step.dispatched")
        .map((e) => e.step_key),
    ).toEqual(["two"]);
  });

  it("starts a fresh agent for a member whose agent died; one that cannot start fails its step with the code of why", async () => {
    const team = await w.start(
      await w.team(
        ["lead", "a"],
        [
          { step_key: "one", member_id: "a" },
          { step_key: "two", member_id: "lead" },
          { step_key: "three", member_id: "a" },
        ],
      ),
    );
    const run = w.run(team);
    for (const m of ["lead", "a"])
      w.agents.repo.update(w.agentOf(team, m), { status: "failed" }, w.clock.now());
    const launched = w.node.launches.length;
    w.node.refuseStart = (launch) =>
      launch.name.endsWith(".lead")
        ? new AppError(
            "AGENT_AUTH_REQUIRED",
            { provider: "scripted" },
            { message: fillMessage("AGENT_AUTH_REQUIRED", { provider: "scripted", hint: "log in" }) },
          )
        : undefined;
    await dispatcher.dispatchReady(run, team);

    // `a` got a fresh agent; `lead` could not start, which failed its step and so the run.
    expect(w.node.launches.slice(launched).map((l) => l.name)).toEqual([`${team.name}.a`]);
    expect(w.step(run.id, "two")).toMatchObject({
      status: "failed",
      error_code: "AGENT_AUTH_REQUIRED",
      error_message: 'member "lead" could not start: agent "scripted" needs credentials: log in',
    });
    expect(w.services.runs.runs.run(run.id)?.status).toBe("failed");
    // A failed run dispatches nothing more, also not the steps readied before the failure.
    expect(sentSteps()).toEqual([]);
    expect(w.step(run.id, "one").status).toBe("submitted");
  });

  it("puts the member's pending mail into its step turn and marks it delivered", async () => {
    const team = await w.start(await w.team(["lead", "a"], [{ step_key: "s", member_id: "a" }]));
    const run = w.run(team);
    w.services.mailbox.send(run, {
      fromActorId: "lead",
      route: "to_member",
      toActorId: "a",
      payload: { note: "mind the tests" },
    });
    await dispatcher.dispatchReady(run, team);

    expect(w.node.inputs).toHaveLength(1);
    expect(w.node.inputs[0]!.text).toContain("mind the tests");
    expect(w.services.mailbox.inbox(run, { actorId: "a" })).toEqual([]);
  });
});
