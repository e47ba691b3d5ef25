import { describe, expect, it } from "vitest";
import { unmetDependencies } from "../../src/domain/dag.js";
import type { RunStatus, StepStatus } from "../../src/domain/run-state.js";
import { type StepCommand, stepTransition } from "../../src/domain/step-actions.js";
import { AppError } from "../../src/errors/registry.js";

const NOW = 1_000;
const step = (status: StepStatus) => ({ step_key: "build", status });
const move = (from: StepStatus, cmd: StepCommand, runStatus: RunStatus = "working", unmet: string[] = []) =>
  stepTransition(step(from), cmd, { runStatus, unmetDependencies: unmet, now: NOW });

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

describe("stepTransition", () => {
  it("starts a submitted step whose dependencies completed", () => {
    const t = move("submitted", { action: "start" });
    expect(t).toMatchObject({ from: "submitted", to: "working", event: "step.working" });
    expect(t.fields).toEqual({ started_at: NOW });
    expect(t.runFailure).toBeUndefined();
  });

  it("refuses to start a step that waits for dependencies", () => {
    const e = errorOf(() => move("submitted", { action: "start" }, "working", ["plan", "lint"]));
    expect(e.code).toBe("ILLEGAL_TRANSITION");
    expect(e.message).toBe('step "build" is waiting for: plan, lint');
  });

  it("completes with the output as text, and warns of an empty reply", () => {
    const t = move("working", { action: "complete", output: { ok: true } });
    expect(t.to).toBe("completed");
    expect(t.fields).toEqual({ output: '{"ok":true}', finished_at: NOW });
    expect(t.data).toEqual({ output_chars: 11 });
    expect(t.warning).toBeUndefined();
    expect(move("working", { action: "complete", output: "  " }).warning?.code).toBe("EMPTY_REPLY");
    expect(move("working", { action: "complete", output: undefined }).fields.output).toBe("null");
  });

  it("fails with a code (STEP_FAILED by default) and fails a live run with it", () => {
    const t = move("working", { action: "fail", errorText: "too slow", code: "EXECUTION_TIMEOUT" });
    expect(t.fields).toEqual({
      error_code: "EXECUTION_TIMEOUT",
      error_message: "too slow",
      finished_at: NOW,
    });
    expect(t.event).toBe("step.failed");
    expect(t.runFailure).toEqual({
      code: "EXECUTION_TIMEOUT",
      message: 'step "build" failed: too slow',
      data: { code: "EXECUTION_TIMEOUT", message: "too slow" },
    });
    expect(move("submitted", { action: "fail", errorText: "x" }).fields.error_code).toBe("STEP_FAILED");
  });

  it("a failure in a finished run is recorded without touching the run", () => {
    const t = move("working", { action: "fail", errorText: "late", code: "CANCELLED" }, "failed");
    expect(t.to).toBe("failed");
    expect(t.runFailure).toBeUndefined();
  });

  it("requires an error text", () => {
    expect(errorOf(() => move("working", { action: "fail", errorText: " " })).code).toBe(
      "ERROR_TEXT_REQUIRED",
    );
  });

  it("pauses and goes on, naming a paused step's continuation `resumed`", () => {
    expect(move("working", { action: "input_required", reason: "token" })).toMatchObject({
      to: "input_required",
      event: "step.input_required",
      data: { reason: "token" },
    });
    expect(move("input_required", { action: "resume" })).toMatchObject({
      to: "working",
      event: "step.resumed",
    });
    expect(move("working", { action: "awaiting_review", reviewId: "rev_1", reviewer: "lead" })).toMatchObject(
      {
        to: "awaiting_review",
        data: { review_id: "rev_1", reviewer: "lead" },
      },
    );
    expect(move("awaiting_review", { action: "review_resolved" }).event).toBe("step.resumed");
  });

  it("refuses any action but fail in a finished run, and moves the state machine forbids", () => {
    const e = errorOf(() => move("working", { action: "complete", output: "x" }, "canceled"));
    expect(e.code).toBe("ILLEGAL_TRANSITION");
    expect(e.message).toBe('run is canceled; step "build" cannot complete');
    expect(errorOf(() => move("completed", { action: "start" })).message).toBe(
      'step "build" cannot go from completed to working',
    );
    expect(errorOf(() => move("submitted", { action: "complete", output: "" })).code).toBe(
      "ILLEGAL_TRANSITION",
    );
  });
});

describe("unmetDependencies", () => {
  it("lists dependencies that have not completed, unknown ones included", () => {
    const statuses = new Map([
      ["plan", "completed"],
      ["lint", "working"],
    ]);
    expect(unmetDependencies({ step_key: "b", depends_on: ["plan", "lint", "gone"] }, statuses)).toEqual([
      "lint",
      "gone",
    ]);
    expect(unmetDependencies({ step_key: "b" }, {})).toEqual([]);
    expect(unmetDependencies({ step_key: "b", depends_on: ["toString"] }, {})).toEqual(["toString"]);
  });
});
