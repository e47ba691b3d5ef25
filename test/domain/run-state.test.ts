import { describe, expect, it } from "vitest";
import {
  acceptsTurnCompletion,
  assertCanRestart,
  assertCanResume,
  assertRunTransition,
  assertStepTransition,
  deriveRunStatus,
  ENTRYPOINT_STEP_KEY,
  isTerminal,
  planRestart,
  planResume,
  planRunSteps,
  RUN_STATUSES,
  type RunStatus,
  STEP_TRANSITIONS,
  type StepStatus,
} from "../../src/domain/run-state.js";
import { validateTeamInput } from "../../src/domain/team-spec.js";
import { AppError } from "../../src/errors/registry.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : "not an AppError";
  }
  return undefined;
}

describe("step transitions", () => {
  it.each([
    ["submitted", "working"],
    ["submitted", "failed"],
    ["submitted", "canceled"],
    ["working", "completed"],
    ["working", "input_required"],
    ["working", "awaiting_review"],
    ["input_required", "working"],
    ["awaiting_review", "working"],
    ["awaiting_review", "failed"],
  ] as const)("%s -> %s is legal", (from, to) => {
    expect(() => assertStepTransition("s", from, to)).not.toThrow();
  });

  it.each([
    ["submitted", "completed"],
    ["submitted", "input_required"],
    ["completed", "working"],
    ["failed", "working"],
    ["canceled", "submitted"],
    ["input_required", "completed"],
    ["working", "working"],
  ] as const)("%s -> %s is illegal", (from, to) => {
    expect(() => assertStepTransition("build", from, to)).toThrow(
      `step "build" cannot go from ${from} to ${to}`,
    );
    expect(codeOf(() => assertStepTransition("build", from, to))).toBe("ILLEGAL_TRANSITION");
  });

  it("has no way out of a terminal state", () => {
    for (const s of RUN_STATUSES) expect(STEP_TRANSITIONS[s].length === 0).toBe(isTerminal(s));
  });
});

describe("run transitions", () => {
  it("allows reopening finished runs only towards live states", () => {
    expect(() => assertRunTransition("failed", "submitted")).not.toThrow();
    expect(() => assertRunTransition("completed", "working")).not.toThrow();
    expect(() => assertRunTransition("completed", "failed")).toThrow(
      "run cannot go from completed to failed",
    );
    expect(() => assertRunTransition("canceled", "completed")).toThrow(
      "run cannot go from canceled to completed",
    );
    expect(() => assertRunTransition("submitted", "completed")).toThrow();
    expect(codeOf(() => assertRunTransition("failed", "canceled"))).toBe("ILLEGAL_TRANSITION");
  });

  it("refuses resume of a completed run and of a running one", () => {
    expect(() => assertCanResume("completed")).toThrow("completed run cannot be resumed; use restart");
    expect(codeOf(() => assertCanResume("completed"))).toBe("RUN_COMPLETED_CANNOT_RESUME");
    expect(() => assertCanResume("working")).toThrow("run is already working");
    for (const s of ["failed", "canceled", "input_required", "awaiting_review"] as const) {
      expect(() => assertCanResume(s)).not.toThrow();
    }
  });

  it("refuses restart while something executes", () => {
    expect(() => assertCanRestart("awaiting_review")).toThrow(
      "run is awaiting_review; cancel it before restarting",
    );
    for (const s of ["completed", "failed", "canceled", "input_required"] as const) {
      expect(() => assertCanRestart(s)).not.toThrow();
    }
  });
});

describe("deriveRunStatus", () => {
  it.each([
    [[], "submitted"],
    [["submitted", "submitted"], "submitted"],
    [["working", "submitted"], "working"],
    [["completed", "submitted"], "working"],
    [["working", "input_required"], "input_required"],
    [["input_required", "awaiting_review"], "awaiting_review"],
    [["awaiting_review", "failed"], "failed"],
    [["completed", "failed", "canceled"], "failed"],
    [["completed", "completed"], "completed"],
    [["completed", "canceled"], "canceled"],
    [["canceled", "canceled"], "canceled"],
    [["canceled", "working"], "working"],
  ] as [RunStatus[], RunStatus][])("%j -> %s", (steps, expected) => {
    expect(deriveRunStatus(steps)).toBe(expected);
  });
});

describe("planRunSteps", () => {
  const members = [
    { member_id: "lead", role: "leader" },
    { member_id: "impl", role: "worker" },
  ];

  it("plans the spec's DAG with defaults filled", () => {
    const { spec } = validateTeamInput("t", {
      members,
      steps: [
        { step_key: "plan", member_id: "lead", prompt: "p" },
        { step_key: "build", member_id: "impl", depends_on: ["plan"], timeout_seconds: 30 },
      ],
      entrypoint: { member_id: "lead", prompt: "ignored when steps exist" },
    });
    expect(planRunSteps(spec)).toEqual([
      { step_key: "plan", member_id: "lead", prompt: "p", depends_on: [], timeout_seconds: undefined },
      { step_key: "build", member_id: "impl", prompt: "", depends_on: ["plan"], timeout_seconds: 30 },
    ]);
  });

  it("plans one entrypoint step without steps (or with an empty list)", () => {
    for (const steps of [undefined, []]) {
      const { spec } = validateTeamInput("t", {
        members,
        steps,
        entrypoint: { member_id: "impl", prompt: "do it" },
      });
      expect(planRunSteps(spec)).toEqual([
        { step_key: ENTRYPOINT_STEP_KEY, member_id: "impl", prompt: "do it", depends_on: [] },
      ]);
    }
  });

  it("refuses a spec with neither steps nor entrypoint, saying why", () => {
    const { spec } = validateTeamInput("t", { members });
    expect(codeOf(() => planRunSteps(spec))).toBe("NO_EXECUTABLE_STEP");
    expect(() => planRunSteps(spec)).toThrow(/neither steps nor an entrypoint/);
  });
});

describe("restart and resume planning", () => {
  const steps = [
    { step_key: "a", status: "completed" as const },
    { step_key: "b", status: "failed" as const },
    { step_key: "c", status: "canceled" as const },
    { step_key: "d", status: "input_required" as const },
  ];

  it("restarts unfinished steps or all of them", () => {
    expect(planRestart(steps, "unfinished")).toEqual(["b", "c", "d"]);
    expect(planRestart(steps, "all")).toEqual(["a", "b", "c", "d"]);
  });

  it("resume retries failed/canceled steps and continues paused ones", () => {
    expect(planResume("failed", steps)).toEqual({ retry: ["b", "c"], resume: ["d"] });
  });

  it("resume of a finished run retries every step that is not completed, working ones too", () => {
    const more = [
      ...steps,
      { step_key: "e", status: "working" as const },
      { step_key: "f", status: "awaiting_review" as const },
      { step_key: "g", status: "submitted" as const },
    ];
    expect(planResume("failed", more)).toEqual({ retry: ["b", "c", "e", "f"], resume: ["d"] });
    expect(planResume("canceled", more).retry).toEqual(["b", "c", "e", "f"]);
    // A paused run that is not finished: its working steps have live turns and keep them.
    expect(planResume("input_required", more).retry).toEqual(["b", "c"]);
  });

  it("a completed turn is recorded for running steps and those the hub gave up on, not over a result", () => {
    const s = (status: StepStatus, error_code: string | null = null) => ({ status, error_code });
    expect(acceptsTurnCompletion(s("working"))).toBe(true);
    expect(acceptsTurnCompletion(s("awaiting_review"))).toBe(true);
    expect(acceptsTurnCompletion(s("canceled", "CANCELLED"))).toBe(true);
    expect(acceptsTurnCompletion(s("failed", "NODE_UNREACHABLE"))).toBe(true);
    expect(acceptsTurnCompletion(s("completed"))).toBe(false);
    expect(acceptsTurnCompletion(s("submitted"))).toBe(false);
    expect(acceptsTurnCompletion(s("failed", "STEP_FAILED"))).toBe(false);
    expect(acceptsTurnCompletion(s("failed", "EXECUTION_TIMEOUT"))).toBe(false);
    expect(acceptsTurnCompletion(s("failed", "AGENT_EXITED"))).toBe(false);
  });
});
