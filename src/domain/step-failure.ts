import { AppError } from "../errors/registry.js";

/**
 * The codes a failed step (and so a failed run) carries: the one vocabulary of step failures, used by
 * the executor, the store, the REST schemas and the gRPC edge. STEP_FAILED is the generic one.
 */
export const STEP_FAILURE_CODES = [
  "EXECUTION_TIMEOUT",
  "CANCELLED",
  "AGENT_EXITED",
  "AGENT_AUTH_REQUIRED",
  "NODE_UNREACHABLE",
  "WORKSPACE_ERROR",
  "PERMISSION_DENIED",
  "STEP_FAILED",
] as const;
export type StepFailureCode = (typeof STEP_FAILURE_CODES)[number];

/** The failure codes an error from a node call maps to (see hub/node-failure.ts). */
export type NodeFailureCode = Extract<
  StepFailureCode,
  "NODE_UNREACHABLE" | "WORKSPACE_ERROR" | "AGENT_EXITED" | "AGENT_AUTH_REQUIRED" | "STEP_FAILED"
>;

export function isStepFailureCode(v: unknown): v is StepFailureCode {
  return typeof v === "string" && (STEP_FAILURE_CODES as readonly string[]).includes(v);
}

/** A failure code from an edge that is not schema-checked (gRPC): one of STEP_FAILURE_CODES, or refused. */
export function stepFailureCode(code: string): StepFailureCode {
  if (!isStepFailureCode(code)) {
    throw new AppError(
      "BAD_REQUEST",
      { field: "code", allowed: [...STEP_FAILURE_CODES] },
      { message: `code must be one of: ${STEP_FAILURE_CODES.join(", ")}` },
    );
  }
  return code;
}

/**
 * Failure codes that say the hub stopped following a turn (it canceled the step, or lost its node),
 * not that the turn failed: if that same attempt's turn is later reported completed, it did complete.
 */
export const LOST_TURN_CODES: ReadonlySet<StepFailureCode> = new Set<StepFailureCode>([
  "CANCELLED",
  "NODE_UNREACHABLE",
]);

/** What a step's turn ended as: its completion with the reply, or a failure with a code and a cause. */
export type TurnOutcome =
  | { kind: "completed"; output: string }
  | { kind: "failed"; code: StepFailureCode; message: string };

/**
 * A `turn_ended` event's data (`stop_reason`, `reply`, `error`) as the step's outcome. `end_turn`
 * completes the step with the reply; an agent that exited fails it AGENT_EXITED with the agent's last
 * `agent_exited` data (its message and stderr tail) when known; a turn stopped with its agent (team
 * runtime stopped, hub restarted) or cancelled fails it CANCELLED; any other stop reason fails it
 * STEP_FAILED, naming the error or the reason. A turn the agent refused for missing credentials
 * (`error_code` AGENT_AUTH_REQUIRED, its error naming what to set) fails it AGENT_AUTH_REQUIRED.
 */
export function turnOutcome(
  data: Readonly<Record<string, unknown>>,
  lastExit?: Readonly<Record<string, unknown>> | undefined,
): TurnOutcome {
  const reason = String(data.stop_reason ?? "");
  if (reason === "end_turn") return { kind: "completed", output: String(data.reply ?? "") };
  const error = typeof data.error === "string" ? data.error : "";
  if (data.error_code === "AGENT_AUTH_REQUIRED") {
    return { kind: "failed", code: "AGENT_AUTH_REQUIRED", message: error || "the agent needs credentials" };
  }
  switch (reason) {
    case "agent_exited": {
      const tail = Array.isArray(lastExit?.stderr_tail) ? (lastExit.stderr_tail as string[]) : [];
      const msg = String(lastExit?.message || error || "agent exited");
      return {
        kind: "failed",
        code: "AGENT_EXITED",
        message: tail.length > 0 ? `${msg}\nstderr:\n${tail.join("\n")}` : msg,
      };
    }
    case "stopped":
      return {
        kind: "failed",
        code: "CANCELLED",
        message:
          "the member's agent was stopped during the step (team runtime stopped or hub restarted); resume the run to retry",
      };
    case "cancelled":
      return { kind: "failed", code: "CANCELLED", message: "the step's turn was cancelled" };
    default:
      return {
        kind: "failed",
        code: "STEP_FAILED",
        message: error
          ? `the turn failed: ${error}`
          : `the agent ended the turn with stop reason "${reason}"`,
      };
  }
}
