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

/** A turn end as the node reports it (parsed: `stopReason`, `reply`, `error`). */
const ended = (stopReason: string, more: { reply?: string; error?: string } = {}) => ({
  stopReason,
  reply: more.reply ?? "",
  error: more.error ?? null,
});

describe("turnOutcome", () => {
  it("completes an end_turn with its reply", () => {
    expect(turnOutcome(ended("end_turn", { reply: "done" }))).toEqual({ kind: "completed", output: "done" });
    expect(turnOutcome(ended("end_turn"))).toEqual({ kind: "completed", output: "" });
  });

  it("fails AGENT_EXITED with the exit's message and stderr tail, else the error", () => {
    expect(
      turnOutcome(ended("agent_exited", { error: "x" }), {
        lastExit: { message: "exited with code 3", stderrTail: ["a", "b"] },
      }),
    ).toEqual({ kind: "failed", code: "AGENT_EXITED", message: "exited with code 3\nstderr:\na\nb" });
    expect(turnOutcome(ended("agent_exited", { error: "boom" }))).toEqual({
      kind: "failed",
      code: "AGENT_EXITED",
      message: "boom",
    });
    expect(turnOutcome(ended("agent_exited"))).toEqual({
      kind: "failed",
      code: "AGENT_EXITED",
      message: "agent exited",
    });
  });

  it("fails AGENT_AUTH_REQUIRED naming the provider and what the agent said", () => {
    const out = turnOutcome(ended("auth_required", { error: "Authentication required" }), {
      provider: "claude",
    });
    expect(out.kind === "failed" && out.code).toBe("AGENT_AUTH_REQUIRED");
    expect(out.kind === "failed" && out.message).toMatch(
      /^agent "claude" needs credentials: Authentication required; .*member's agent env/,
    );
    const anonymous = turnOutcome(ended("auth_required"));
    expect(anonymous.kind === "failed" && anonymous.message).toMatch(
      /^agent "agent" needs credentials: authentication required/,
    );
  });

  it("fails CANCELLED for a stopped agent or a cancelled turn", () => {
    const stopped = turnOutcome(ended("stopped"));
    expect(stopped.kind === "failed" && stopped.code).toBe("CANCELLED");
    expect(stopped.kind === "failed" && stopped.message).toContain("resume the run to retry");
    expect(turnOutcome(ended("cancelled"))).toEqual({
      kind: "failed",
      code: "CANCELLED",
      message: "the step's turn was cancelled",
    });
  });

  it("fails STEP_FAILED naming the error or the stop reason", () => {
    expect(turnOutcome(ended("error", { error: "rate limited" }))).toEqual({
      kind: "failed",
      code: "STEP_FAILED",
      message: "the turn failed: rate limited",
    });
    expect(turnOutcome(ended("max_tokens"))).toEqual({
      kind: "failed",
      code: "STEP_FAILED",
      message: 'the agent ended the turn with stop reason "max_tokens"',
    });
  });
});
