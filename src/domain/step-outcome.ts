/**
 * A step's outcome beyond its status: a step can complete although work it was asked to do did not
 * happen (a permission was denied or timed out and the agent went on without it, the agent
 * ended its turn with an empty reply, or its actor token expired so its `agenthub actor` calls were
 * refused). Such a step records warnings, and its outcome says so, so a
 * run's summary never shows clean success over work that did not happen.
 */
export const STEP_WARNING_CODES = [
  "PERMISSION_DENIED",
  "PERMISSION_TIMED_OUT",
  "EMPTY_REPLY",
  "ACTOR_TOKEN_EXPIRED",
] as const;
export type StepWarningCode = (typeof STEP_WARNING_CODES)[number];

export interface StepWarning {
  code: StepWarningCode;
  message: string;
}

/** `clean` or `with_warnings` for a completed step; null while it runs or when it did not complete. */
export type StepOutcome = "clean" | "with_warnings";

export function stepOutcome(step: { status: string; warnings: readonly StepWarning[] }): StepOutcome | null {
  if (step.status !== "completed") return null;
  return step.warnings.length > 0 ? "with_warnings" : "clean";
}

/** A completed run's outcome: `with_warnings` when any of its steps has warnings. */
export function runOutcome(
  run: { status: string },
  steps: readonly { warnings: readonly StepWarning[] }[],
): StepOutcome | null {
  if (run.status !== "completed") return null;
  return steps.some((s) => s.warnings.length > 0) ? "with_warnings" : "clean";
}

/** A step's warnings as stored (JSON text); anything unreadable reads as no warning. */
export function decodeWarnings(json: string | null | undefined): StepWarning[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v)
      ? v.filter(
          (w): w is StepWarning =>
            typeof w === "object" &&
            w !== null &&
            (STEP_WARNING_CODES as readonly string[]).includes((w as StepWarning).code) &&
            typeof (w as StepWarning).message === "string",
        )
      : [];
  } catch {
    return [];
  }
}
