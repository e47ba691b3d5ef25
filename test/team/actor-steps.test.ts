import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTeamHub, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

async function oneStepTeam(prompt: string) {
  const teamId = await t.createTeam({
    leader_member_id: "lead",
    members: [t.member("lead", "leader")],
    steps: [{ step_key: "work", member_id: "lead", prompt }],
  });
  await t.startRuntime(teamId);
  return teamId;
}

describe("steps reported by the agent through the actor CLI", () => {
  it("step-complete sets the step's output, and the turn's later reply does not overwrite it", async () => {
    const teamId = await oneStepTeam(
      "run: agenthub actor step-complete --output reported-by-actor\nreply: the reply after reporting",
    );
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(t.step(done, "work").output).toBe("reported-by-actor");
    // The turn still ends normally afterwards; the completed step stays as reported.
    const agentId = await t.agentOf(teamId, "lead");
    await t.waitAgentEvent(agentId, (e) => e.kind === "turn_ended", "the step's turn ended");
    expect(t.step(await t.run(run.id), "work").output).toBe("reported-by-actor");
  });

  it("step-fail fails the step and the run with the agent's words", async () => {
    const teamId = await oneStepTeam(
      "run: agenthub actor step-fail --error-text cannot-build-without-a-compiler",
    );
    const run = await t.newRun(teamId);
    const failed = await t.waitRun(run.id, "failed");
    const step = t.step(failed, "work");
    expect(step.status).toBe("failed");
    expect(step.error).toMatchObject({ code: "STEP_FAILED", message: "cannot-build-without-a-compiler" });
    expect(failed.error?.message).toContain("cannot-build-without-a-compiler");
  });
});
