import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt } from "../node/helpers/build-once.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";

// An agent whose actor token expired cannot report through `agenthub actor`; its step must not end as
// a clean success: the refusal is logged and the member's in-flight step records a warning. The hub
// renews members' token files (actor-token-renewal.test.ts), so the agent here keeps using the token it
// started with: its actor CLI calls run without AGENTHUB_INTERNAL_GRPC_TOKEN_FILE.

let t: TeamHub;

beforeAll(ensureBuilt, 120_000);
beforeEach(async () => {
  // Members' tokens live one second, with no clock skew tolerated.
  t = await openTeamHub({ internal_grpc: { auth: { token_ttl_seconds: 1, clock_skew_seconds: 0 } } });
});
afterEach(async () => {
  await t.close();
});

describe("an expired actor token", () => {
  it("warns the refused member's working step (once), which completes with_warnings, and is logged at warn", async () => {
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("impl", "worker")],
      steps: [
        // Outlives the token minted when the runtime started, then tries the actor CLI twice.
        {
          step_key: "work",
          member_id: "lead",
          prompt: [
            "sleep 2100",
            "run: env -u AGENTHUB_INTERNAL_GRPC_TOKEN_FILE agenthub actor team-members",
            "run: env -u AGENTHUB_INTERNAL_GRPC_TOKEN_FILE agenthub actor inbox",
          ].join("\n"),
        },
        // Working at the same time, with an expired token too, but never refused: stays clean.
        { step_key: "other", member_id: "impl", prompt: "sleep 2500\nreply: done without the actor CLI" },
      ],
    });
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed", "failed");

    const step = t.step(done, "work");
    expect(step.status).toBe("completed");
    // The agent saw the refusal (the CLI's error reached its reply).
    expect(step.output).toContain("invalid token: expired");
    const expired = (step.warnings ?? []).filter((w) => w.code === "ACTOR_TOKEN_EXPIRED");
    expect(expired).toHaveLength(1);
    expect(expired[0]!.message).toContain('member "lead"');
    expect(expired[0]!.message).toContain("lost its actor access");
    expect(step.outcome).toBe("with_warnings");
    expect(t.step(done, "other")).toMatchObject({ status: "completed", warnings: [], outcome: "clean" });
    expect(done.outcome).toBe("with_warnings");

    const warnings = (await t.runEvents(run.id)).filter((e) => e.kind === "step.warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      step_key: "work",
      data: { code: "ACTOR_TOKEN_EXPIRED", attempt: 1 },
    });

    const logged = t.h
      .logs()
      .split("\n")
      .filter((l) => l.includes("actor token expired"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged[0]).toMatchObject({
      level: 40,
      component: "actors",
      team_id: teamId,
      member_id: "lead",
      steps: [`${run.id}/work`],
    });
  });
});
