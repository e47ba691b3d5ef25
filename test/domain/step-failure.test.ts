import { describe, expect, it } from "vitest";
import {
  isStepFailureCode,
  LOST_TURN_CODES,
  STEP_FAILURE_CODES,
  stepFailureCode,
  turnOutcome,
} from "../../src/domain/step-failure.js";
import { AppError } from "../../src/errors/registry.js";

describe("step failure codes", () => {
  it("parses a known code and refuses others with the allowed list", () => {
    for (const c of STEP_FAILURE_CODES) expect(stepFailureCode(c)).toBe(c);
    expect(isStepFailureCode("EXECUTION_TIMEOUT")).toBe(true);
    expect(isStepFailureCode("NOPE")).toBe(false);
    expect(isStepFailureCode(3)).toBe(false);
    try {
      stepFailureCode("NOPE");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("BAD_REQUEST");
      expect((err as AppError).message).toContain("EXECUTION_TIMEOUT");
    }
  });

  it("treats only hub-side give-ups as lost turns", () => {
    expect([...LOST_TURN_CODES].sort()).toEqual(["CANCELLED", "NODE_UNREACHABLE"]);
  });
});

describe("turnOutcome", () => {
  it("completes an end_turn with its reply (empty when absent)", () => {
    expect(turnOutcome({ stop_reason: "end_turn", reply: "done" })).toEqual({
      kind: "completed",
      output: "done",
    });
    expect(turnOutcome({ stop_reason: "end_turn" })).toEqual({ kind: "completed", output: "" });
  });

  it("fails AGENT_EXITED with the exit's message and stderr tail, else the error", () => {
    expect(
      turnOutcome(
        { stop_reason: "agent_exited", error: "x" },
        { message: "exited with code 3", stderr_tail: ["a", "b"] },
      ),
    ).toEqual({ kind: "failed", code: "AGENT_EXITED", message: "exited with code 3\nstderr:\na\nb" });
    expect(turnOutcome({ stop_reason: "agent_exited", error: "boom" })).toEqual({
      kind: "failed",
      code: "AGENT_EXITED",
      message: "boom",
    });
    expect(turnOutcome({ stop_reason: "agent_exited" }, { stderr_tail: "not a list" })).toEqual({
      kind: "failed",
      code: "AGENT_EXITED",
      message: "agent exited",
    });
  });

  it("fails CANCELLED for a stopped agent or a cancelled turn", () => {
    const stopped = turnOutcome({ stop_reason: "stopped" });
    expect(stopped.kind === "failed" && stopped.code).toBe("CANCELLED");
    expect(stopped.kind === "failed" && stopped.message).toContain("resume the run to retry");
    expect(turnOutcome({ stop_reason: "cancelled" })).toEqual({
      kind: "failed",
      code: "CANCELLED",
      message: "the step's turn was cancelled",
    });
  });

  it("fails STEP_FAILED naming the error or the stop reason", () => {
    expect(turnOutcome({ stop_reason: "error", error: "rate limited" })).toEqual({
      kind: "failed",
      code: "STEP_FAILED",
      message: "the turn failed: rate limited",
    });
    expect(turnOutcome({ stop_reason: "max_tokens", error: 5 })).toEqual({
      kind: "failed",
      code: "STEP_FAILED",
      message: 'the agent ended the turn with stop reason "max_tokens"',
    });
  });
});
