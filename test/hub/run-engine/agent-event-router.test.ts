import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepTurnId } from "../../../src/domain/turn-id.js";
import { AgentEventRouter } from "../../../src/hub/run-engine/agent-event-router.js";
import { TurnTracker } from "../../../src/hub/run-engine/turn-tracker.js";
import type { Team } from "../../../src/store/teams-repo.js";
import { type EngineWorld, openEngineWorld } from "./engine-world.js";

let w: EngineWorld;
let turns: TurnTracker;
let team: Team;
/** What the router asked the run pump to look at again. */
let kicks: { runs: string[]; teams: string[] };

beforeEach(async () => {
  w = openEngineWorld();
  const { services, agents, reviews, nodes, clock, logger } = w;
  turns = new TurnTracker({ runs: services.runs, nodes, clock, logger });
  kicks = { runs: [], teams: [] };
  const pump = { kick: (id: string) => kicks.runs.push(id), kickTeam: (id: string) => kicks.teams.push(id) };
  const router = new AgentEventRouter({ services, agents, reviews, nodes, turns, pump, logger });
  w.hooks.onEvents = (events) => router.route(events);
  w.hooks.onNodeOffline = (nodeId) => router.nodeOffline(nodeId);
  team = await w.start(
    await w.team(
      ["lead", "w1"],
      [
        { step_key: "a", member_id: "w1" },
        { step_key: "b", member_id: "lead", depends_on: ["a"] },
      ],
    ),
  );
});

afterEach(() => {
  turns.stop();
  w.close();
});

/** A run whose step `a` is working on w1's agent, as after its dispatch. */
function runningStep() {
  const run = w.run(team);
  const step = w.services.runs.transitionStep({ kind: "system" }, run.id, "a", { action: "start" });
  const agent = w.runtime.memberAgent(team.id, "w1")!;
  const turnId = stepTurnId(run.id, "a", step.attempt);
  turns.trackStep(run.id, step, turnId, agent, w.clock.now());
  return { run, agentId: agent.id, turnId };
}

describe("AgentEventRouter", () => {
  it("completes the step with the reply of its turn's end_turn and looks at the team's runs again", async () => {
    const { run, agentId, turnId } = runningStep();
    const stored = await w.deliver(agentId, "turn_ended", {
      turn_id: turnId,
      stop_reason: "end_turn",
      reply: "done a",
    });

    expect(stored.event).toEqual({
      kind: "turn_ended",
      turnId,
      stopReason: "end_turn",
      reply: "done a",
      error: null,
      errorCode: null,
      truncated: [],
      usage: null,
      messages: 0,
    });
    expect(w.step(run.id, "a")).toMatchObject({ status: "completed", output: "done a", warnings: [] });
    expect(turns.has(turnId)).toBe(false);
    expect(kicks.teams).toEqual([team.id]);
  });

  it("completes a step whose turn ended with an empty reply with an EMPTY_REPLY warning", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "turn_ended", { turn_id: turnId, stop_reason: "end_turn", reply: "" });

    const step = w.step(run.id, "a");
    expect(step.status).toBe("completed");
    expect(step.warnings.map((x) => x.code)).toEqual(["EMPTY_REPLY"]);
    expect(w.runEvents(run.id).find((e) => e.kind === "step.warning")?.data).toMatchObject({
      code: "EMPTY_REPLY",
      attempt: 1,
    });
  });

  it("fails the step AGENT_EXITED with the agent's exit message and stderr tail, and the run with it", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "agent_exited", {
      code: 3,
      signal: null,
      stderr_tail: ["panic: out of memory"],
      message: "agent exited with code 3: panic: out of memory",
      during: "run",
    });
    await w.deliver(agentId, "turn_ended", {
      turn_id: turnId,
      stop_reason: "agent_exited",
      reply: "",
      error: "x",
    });

    const step = w.step(run.id, "a");
    expect(step.status).toBe("failed");
    expect(step.error_code).toBe("AGENT_EXITED");
    expect(step.error_message).toBe(
      "agent exited with code 3: panic: out of memory\nstderr:\npanic: out of memory",
    );
    expect(w.services.runs.runs.run(run.id)).toMatchObject({ status: "failed", error_code: "AGENT_EXITED" });
    expect(w.agents.repo.byId(agentId)?.status).toBe("failed");
  });

  it("fails the step AGENT_AUTH_REQUIRED, naming the provider, when the agent wants credentials", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "turn_ended", {
      turn_id: turnId,
      stop_reason: "auth_required",
      reply: "",
      error: "Authentication required",
    });

    const step = w.step(run.id, "a");
    expect(step.error_code).toBe("AGENT_AUTH_REQUIRED");
    expect(step.error_message).toMatch(/^agent "scripted" needs credentials: Authentication required; /);
  });

  it("fails the step STEP_FAILED naming any other stop reason", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "turn_ended", { turn_id: turnId, stop_reason: "refusal", reply: "" });
    expect(w.step(run.id, "a")).toMatchObject({
      status: "failed",
      error_code: "STEP_FAILED",
      error_message: 'the agent ended the turn with stop reason "refusal"',
    });
  });

  it("records a turn of an attempt a resume replaced, and applies nothing of it", async () => {
    const { run, agentId, turnId } = runningStep();
    w.services.runs.cancel({ kind: "system" }, run.id);
    w.services.runs.resume({ kind: "system" }, run.id);
    await w.deliver(agentId, "turn_ended", { turn_id: turnId, stop_reason: "end_turn", reply: "old work" });

    expect(w.step(run.id, "a")).toMatchObject({ status: "submitted", attempt: 2, output: null });
    const ignored = w.runEvents(run.id).filter((e) => e.kind === "step.stale_turn_ignored");
    expect(ignored.map((e) => [e.step_key, e.data])).toEqual([
      ["a", { turn_id: turnId, attempt: 1, current_attempt: 2, stop_reason: "end_turn" }],
    ]);
  });

  it("routes a permission request to a review (step awaiting_review) and its resolution back to working", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "permission_request", {
      request_id: "perm_1",
      turn_id: turnId,
      tool_call: { toolCallId: "t1", title: "write notes.txt" },
      options: [
        { optionId: "proceed_once", name: "Allow", kind: "allow_once" },
        { optionId: "cancel", name: "Reject", kind: "reject_once" },
      ],
    });
    expect(w.step(run.id, "a").status).toBe("awaiting_review");
    const [review] = w.reviews.list(w.root, run.id);
    expect(review).toMatchObject({
      step_key: "a",
      requester_member_id: "w1",
      reviewer: "lead",
      options: [
        { option_id: "proceed_once", name: "Allow", kind: "allow_once" },
        { option_id: "cancel", name: "Reject", kind: "reject_once" },
      ],
    });

    await w.deliver(agentId, "permission_resolved", { request_id: "perm_1", outcome: { cancelled: true } });
    expect(w.step(run.id, "a").status).toBe("working");
  });

  it("keeps an event of an unknown kind, or a known kind without its fields, as `unknown` and changes nothing", async () => {
    const { run, agentId, turnId } = runningStep();
    const future = await w.deliver(agentId, "usage_report", { tokens: 12 });
    const broken = await w.deliver(agentId, "turn_ended", { stop_reason: "end_turn", reply: "whose?" });

    expect(future.event).toEqual({
      kind: "unknown",
      rawKind: "usage_report",
      reason: "kind not known to this hub",
    });
    expect(broken.event).toMatchObject({ kind: "unknown", rawKind: "turn_ended" });
    expect(w.step(run.id, "a").status).toBe("working");
    expect(turns.has(turnId)).toBe(true);
    // Stored as they came.
    expect(w.agents.repo.events(agentId, 0, 10).map((e) => e.kind)).toEqual(["usage_report", "turn_ended"]);
  });

  it("fails the steps a reaped agent was running AGENT_EXITED, naming what restarted", async () => {
    const { run, agentId, turnId } = runningStep();
    await w.deliver(agentId, "agent_exited", {
      code: null,
      signal: null,
      stderr_tail: [],
      message: "node restarted; killed leftover agent process group 42",
      reaped: true,
    });

    const step = w.step(run.id, "a");
    expect(step.error_code).toBe("AGENT_EXITED");
    expect(step.error_message).toContain(
      'the hub restarted; the member\'s agent on its built-in node "main" died with it',
    );
    expect(turns.has(turnId)).toBe(false);
    expect(kicks.runs).toEqual([run.id]);
  });

  it("fails the steps whose turns ran on a node that went offline NODE_UNREACHABLE", () => {
    const { run, turnId } = runningStep();
    w.hooks.onNodeOffline("main");
    expect(w.step(run.id, "a")).toMatchObject({
      status: "failed",
      error_code: "NODE_UNREACHABLE",
      error_message: 'node "main" became unreachable during the step: probes failed',
    });
    expect(turns.has(turnId)).toBe(false);
  });
});
