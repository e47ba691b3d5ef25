import { AppError } from "../errors/registry.js";
import { assertStepTransition, isTerminal, type RunStatus, type StepStatus } from "./run-state.js";
import type { StepFailureCode } from "./step-failure.js";
import type { StepWarning } from "./step-outcome.js";

/** A move of a step through its state machine, with what the move carries. */
export type StepCommand =
  | { action: "start" }
  | { action: "complete"; output: unknown }
  | { action: "fail"; errorText: string; code?: StepFailureCode | undefined }
  | { action: "input_required"; reason?: string | undefined }
  | { action: "resume" }
  | { action: "awaiting_review"; reviewId: string; reviewer: string }
  | { action: "review_resolved" };

export type StepAction = StepCommand["action"];

/** The step fields a move sets (besides its status). */
export interface StepTransitionFields {
  started_at?: number;
  output?: string;
  error_code?: StepFailureCode;
  error_message?: string;
  finished_at?: number;
}

/** What a step action does: the new status, the fields it sets, its run event, and its effects on the run. */
export interface StepTransition {
  from: StepStatus;
  to: StepStatus;
  fields: StepTransitionFields;
  /** The run event recording the move (`step.<to>`, or `step.resumed` when a paused step goes on). */
  event: `step.${StepStatus | "resumed"}`;
  data: Record<string, unknown>;
  /** A warning the step records with the move (a completion with an empty reply). */
  warning?: StepWarning;
  /** The failure the run takes on with the move (a step that fails in a run that has not finished). */
  runFailure?: { code: StepFailureCode; message: string; data: { code: unknown; message: unknown } };
}

export interface StepTransitionContext {
  runStatus: RunStatus;
  /** The step's dependencies that have not completed (consulted by `start` only). */
  unmetDependencies: readonly string[];
  now: number;
}

/**
 * `(step, action) -> transition`: the step state machine's rules for one action, without I/O. Throws
 * ILLEGAL_TRANSITION for a start whose dependencies are not all completed, for any action but `fail`
 * in a finished run, and for a move the step's status does not allow; ERROR_TEXT_REQUIRED for a
 * failure without a text.
 */
export function stepTransition(
  step: { step_key: string; status: StepStatus },
  cmd: StepCommand,
  ctx: StepTransitionContext,
): StepTransition {
  const stepKey = step.step_key;
  const from = step.status;
  const fields: StepTransitionFields = {};
  const data: Record<string, unknown> = {};
  let to: StepStatus;
  switch (cmd.action) {
    case "start": {
      to = "working";
      const pending = ctx.unmetDependencies;
      if (pending.length > 0 && from === "submitted") {
        throw new AppError(
          "ILLEGAL_TRANSITION",
          { waiting_for: [...pending] },
          { message: `step "${stepKey}" is waiting for: ${pending.join(", ")}` },
        );
      }
      fields.started_at = ctx.now;
      break;
    }
    case "complete":
      to = "completed";
      fields.output = typeof cmd.output === "string" ? cmd.output : JSON.stringify(cmd.output ?? null);
      fields.finished_at = ctx.now;
      data.output_chars = fields.output.length;
      break;
    case "fail": {
      if (cmd.errorText.trim() === "") throw new AppError("ERROR_TEXT_REQUIRED", { field: "error_text" });
      const code = cmd.code ?? "STEP_FAILED";
      to = "failed";
      fields.error_code = code;
      fields.error_message = cmd.errorText;
      fields.finished_at = ctx.now;
      data.code = code;
      data.message = cmd.errorText;
      break;
    }
    case "input_required":
      to = "input_required";
      if (cmd.reason !== undefined) data.reason = cmd.reason;
      break;
    case "awaiting_review":
      to = "awaiting_review";
      data.review_id = cmd.reviewId;
      data.reviewer = cmd.reviewer;
      break;
    case "resume":
    case "review_resolved":
      to = "working";
      break;
  }
  if (isTerminal(ctx.runStatus) && cmd.action !== "fail") {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { run_status: ctx.runStatus },
      { message: `run is ${ctx.runStatus}; step "${stepKey}" cannot ${cmd.action}` },
    );
  }
  assertStepTransition(stepKey, from, to);
  const t: StepTransition = {
    from,
    to,
    fields,
    event: `step.${to === "working" && from !== "submitted" ? "resumed" : to}`,
    data,
  };
  if (to === "completed" && fields.output?.trim() === "") {
    t.warning = { code: "EMPTY_REPLY", message: "the agent ended its turn with an empty reply" };
  }
  if (to === "failed" && !isTerminal(ctx.runStatus)) {
    t.runFailure = {
      code: fields.error_code ?? "STEP_FAILED",
      message: `step "${stepKey}" failed: ${fields.error_message ?? ""}`,
      data: { code: fields.error_code, message: fields.error_message },
    };
  }
  return t;
}
