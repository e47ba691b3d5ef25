import { AppError } from "../errors/registry.js";
import type { TeamSpec } from "./team-spec.js";

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

const TERMINAL: ReadonlySet<string> = new Set(["completed", "failed", "canceled"]);

export function isTerminal(s: RunStatus): boolean {
  return TERMINAL.has(s);
}

/** Legal step transitions. Resume/restart reset steps to `submitted` through their own path. */
const STEP_NEXT: Readonly<Record<StepStatus, readonly StepStatus[]>> = {
  submitted: ["working", "canceled", "failed"],
  working: ["completed", "failed", "canceled", "input_required", "awaiting_review"],
  input_required: ["working", "failed", "canceled"],
  awaiting_review: ["working", "failed", "canceled"],
  completed: [],
  failed: [],
  canceled: [],
};

export function assertStepTransition(stepKey: string, from: StepStatus, to: StepStatus): void {
  if (!STEP_NEXT[from]?.includes(to)) {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { step_key: stepKey, from, to },
      { message: `step "${stepKey}" cannot go from ${from} to ${to}` },
    );
  }
}

/**
 * A run's status follows its steps: any failed -> failed; all completed -> completed; every step
 * finished with some canceled -> canceled; otherwise the most attention-needing live state.
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

export interface PlannedStep {
  step_key: string;
  member_id: string;
  prompt: string;
  depends_on: readonly string[];
  timeout_seconds?: number | undefined;
}

/** The steps a new run starts with: the spec's DAG, or one step for the entrypoint member. */
export function planRunSteps(spec: TeamSpec): PlannedStep[] {
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
        step_key: "main",
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
