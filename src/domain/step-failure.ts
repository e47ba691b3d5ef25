import { fillMessage } from "../errors/message-template.js";
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

/** How a turn ended, as the node reported it (`turn_ended`). */
export interface EndedTurn {
  stopReason: string;
  reply: string;
  error: string | null;
  /** The registry code the node gave the failure (e.g. AGENT_AUTH_REQUIRED), when it had one. */
  errorCode?: string | null | undefined;
}

/** What the hub knows about the agent whose turn ended. */
export interface TurnAgentContext {
  /** The agent's last exit (its message and stderr tail), when it exited. */
  lastExit?: { message: string; stderrTail: readonly string[] } | undefined;
  /** The agent's provider (or command), for messages that name it. */
  provider?: string | undefined;
}

/**
 * A step's turn end as the step's outcome. `end_turn` completes the step with the reply; an agent that
 * exited fails it AGENT_EXITED with the agent's last exit (its message and stderr tail) when known; an
 * agent that refused the prompt until it has credentials fails it AGENT_AUTH_REQUIRED naming the
 * provider; a turn stopped with its agent (team runtime stopped, hub restarted) or cancelled fails it
 * CANCELLED; any other stop reason fails it STEP_FAILED, naming the error or the reason.
 */
export function turnOutcome(turn: EndedTurn, agent: TurnAgentContext = {}): TurnOutcome {
  const reason = turn.stopReason;
  if (reason === "end_turn") return { kind: "completed", output: turn.reply };
  const error = turn.error ?? "";
  // The node already named the provider and what to set (a preset's variables).
  if (turn.errorCode === "AGENT_AUTH_REQUIRED" && error) {
    return { kind: "failed", code: "AGENT_AUTH_REQUIRED", message: error };
  }
  switch (reason) {
    case "agent_exited": {
      const tail = agent.lastExit?.stderrTail ?? [];
      const msg = agent.lastExit?.message || error || "agent exited";
      return {
        kind: "failed",
        code: "AGENT_EXITED",
        message: tail.length > 0 ? `${msg}\nstderr:\n${tail.join("\n")}` : msg,
      };
    }
    case "auth_required":
      return {
        kind: "failed",
        code: "AGENT_AUTH_REQUIRED",
        message: fillMessage("AGENT_AUTH_REQUIRED", {
          provider: agent.provider || "agent",
          hint: `${error || "authentication required"}; log the agent in on its node, or set its credentials (e.g. an API key) in the member's agent env`,
        }),
      };
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
