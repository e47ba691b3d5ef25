import { AppError } from "../errors/registry.js";
import { LOST_TURN_CODES } from "./step-failure.js";
import type { TeamSpec } from "./team-spec.js";

/** Runs and steps share one status vocabulary. */
export const RUN_STATUSES = [
  "submitted",
  "working",
  "input_required",
  "awaiting_review",
  "completed",
  "failed",
  "canceled",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type StepStatus = RunStatus;

export const TERMINAL_STATUSES: readonly RunStatus[] = ["completed", "failed", "canceled"];
const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export function isTerminal(s: RunStatus): boolean {
  return TERMINAL.has(s);
}

/**
 * Legal step moves. Finished steps never move: resume/restart give a step a new attempt that
 * starts again at `submitted` (the old attempt stays in the history), outside this table.
 * `submitted -> failed` exists because a step can fail before it starts (e.g. node unreachable).
 */
export const STEP_TRANSITIONS: Readonly<Record<StepStatus, readonly StepStatus[]>> = {
  submitted: ["working", "failed", "canceled"],
  working: ["input_required", "awaiting_review", "completed", "failed", "canceled"],
  input_required: ["working", "failed", "canceled"],
  awaiting_review: ["working", "failed", "canceled"],
  completed: [],
  failed: [],
  canceled: [],
};

/**
 * Legal run moves. A run's status is derived from its steps, so it can skip states (several steps
 * change between derivations). A finished run moves only when resume/restart reopens it; a
 * completed run only by restart (resume is refused, see assertCanResume).
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  submitted: ["working", "failed", "canceled"],
  working: ["input_required", "awaiting_review", "completed", "failed", "canceled"],
  input_required: ["submitted", "working", "awaiting_review", "failed", "canceled"],
  awaiting_review: ["working", "input_required", "failed", "canceled"],
  completed: ["submitted", "working"],
  failed: ["submitted", "working", "input_required", "awaiting_review"],
  canceled: ["submitted", "working", "input_required", "awaiting_review"],
};

export function assertStepTransition(stepKey: string, from: StepStatus, to: StepStatus): void {
  if (!STEP_TRANSITIONS[from]?.includes(to)) {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { step_key: stepKey, from, to },
      { message: `step "${stepKey}" cannot go from ${from} to ${to}` },
    );
  }
}

export function assertRunTransition(from: RunStatus, to: RunStatus): void {
  if (!RUN_TRANSITIONS[from]?.includes(to)) {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { from, to },
      { message: `run cannot go from ${from} to ${to}` },
    );
  }
}

/**
 * A run's status from its steps' current attempts: any failed -> failed; all completed ->
 * completed; all finished with some canceled -> canceled; otherwise the state that most needs
 * attention (awaiting_review, then input_required); working while any step works or some
 * already completed (the next ones are about to start); else submitted.
 */
export function deriveRunStatus(steps: readonly StepStatus[]): RunStatus {
  if (steps.length === 0) return "submitted";
  if (steps.includes("failed")) return "failed";
  if (steps.every((s) => s === "completed")) return "completed";
  if (steps.every((s) => TERMINAL.has(s))) return "canceled";
  if (steps.includes("awaiting_review")) return "awaiting_review";
  if (steps.includes("input_required")) return "input_required";
  if (steps.includes("working") || steps.includes("completed")) return "working";
  return "submitted";
}

/** Refuses resume of a completed run (contract: use restart) or of one that is already running. */
export function assertCanResume(status: RunStatus): void {
  if (status === "completed") throw new AppError("RUN_COMPLETED_CANNOT_RESUME");
  if (status === "submitted" || status === "working") {
    throw new AppError("ILLEGAL_TRANSITION", { status }, { message: `run is already ${status}` });
  }
}

/** Restart replaces attempts, so nothing may be executing: a live run must be canceled first. */
export function assertCanRestart(status: RunStatus): void {
  if (status === "submitted" || status === "working" || status === "awaiting_review") {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { status },
      { message: `run is ${status}; cancel it before restarting` },
    );
  }
}

export interface PlannedStep {
  step_key: string;
  member_id: string;
  prompt: string;
  depends_on: readonly string[];
  timeout_seconds?: number | undefined;
}

/** The key of the single step a spec without `steps` runs (its entrypoint member's turn). */
export const ENTRYPOINT_STEP_KEY = "main";

/**
 * The steps a new run starts with: the spec's DAG, or one step for the entrypoint member. A spec
 * with neither is refused here so no run can sit `submitted` forever.
 */
export function planRunSteps(spec: Pick<TeamSpec, "steps" | "entrypoint">): PlannedStep[] {
  if (spec.steps && spec.steps.length > 0) {
    return spec.steps.map((s) => ({
      step_key: s.step_key,
      member_id: s.member_id,
      prompt: s.prompt ?? "",
      depends_on: s.depends_on ?? [],
      timeout_seconds: s.timeout_seconds,
    }));
  }
  if (spec.entrypoint) {
    return [
      {
        step_key: ENTRYPOINT_STEP_KEY,
        member_id: spec.entrypoint.member_id,
        prompt: spec.entrypoint.prompt ?? "",
        depends_on: [],
      },
    ];
  }
  throw new AppError("NO_EXECUTABLE_STEP", undefined, {
    message:
      "run has no executable step: the team spec defines neither steps nor an entrypoint; add spec.steps or spec.entrypoint",
  });
}

/** Step keys that get a new attempt on restart: unfinished (not completed) ones, or all. */
export function planRestart(
  steps: readonly { step_key: string; status: StepStatus }[],
  mode: "unfinished" | "all",
): string[] {
  return steps.filter((s) => mode === "all" || s.status !== "completed").map((s) => s.step_key);
}

/**
 * What resume does to each step: every step that is not completed is retried (a new attempt) —
 * failed and canceled ones, and, in a finished (failed/canceled) run, also `working` and
 * `awaiting_review` ones, which have no live turn behind them there (the run's end stopped them, or a
 * crash lost them); paused `input_required` ones continue (`resume`, back to working). `submitted`
 * steps are dispatched as they are. In a paused run that is not finished, working steps keep running.
 */
export function planResume(
  runStatus: RunStatus,
  steps: readonly { step_key: string; status: StepStatus }[],
): { retry: string[]; resume: string[] } {
  const finished = isTerminal(runStatus);
  return {
    retry: steps
      .filter(
        (s) =>
          s.status === "failed" ||
          s.status === "canceled" ||
          (finished && (s.status === "working" || s.status === "awaiting_review")),
      )
      .map((s) => s.step_key),
    resume: steps.filter((s) => s.status === "input_required").map((s) => s.step_key),
  };
}

/**
 * Whether a completed turn of a step's current attempt is recorded as the step's completion —
 * whatever the run's state, so a step whose turn completed is never run again by a resume. A step
 * still running takes it; so does one the hub gave up on (canceled, node unreachable). A step that
 * already completed, or failed for a reason of its own (reported failure, timeout, agent exit), keeps
 * its result.
 */
export function acceptsTurnCompletion(step: { status: StepStatus; error_code: string | null }): boolean {
  switch (step.status) {
    case "working":
    case "awaiting_review":
    case "input_required":
      return true;
    case "canceled":
    case "failed":
      return (LOST_TURN_CODES as ReadonlySet<string>).has(step.error_code ?? "");
    default:
      return false;
  }
}
