import { status } from "@grpc/grpc-js";
import type { NodeFailureCode } from "../domain/step-failure.js";
import { isAppError } from "../errors/registry.js";

/** The failure codes a step (or a member's start) can end with, by what went wrong on the node. */
export type FailureCode = NodeFailureCode;

/**
 * Classifies an error from a node call by its code, never its text: a transport failure (no typed
 * error from the node, gRPC UNAVAILABLE or DEADLINE_EXCEEDED) means the node is unreachable.
 */
export function classifyNodeError(err: unknown): { code: FailureCode; message: string } {
  if (isAppError(err)) {
    // A typed error (ours, or the node's carried over gRPC) keeps its text in `message`; `details` is data.
    const message = err.message;
    switch (err.code) {
      case "WORKSPACE_ERROR":
      case "WORKDIR_NOT_SAFE":
      case "WORKDIR_MISSING":
      case "WORKDIR_REQUIRED":
      case "WORKTREE_REF_INVALID":
        return { code: "WORKSPACE_ERROR", message };
      case "AGENT_EXITED":
        return { code: "AGENT_EXITED", message };
      case "AGENT_AUTH_REQUIRED":
        return { code: "AGENT_AUTH_REQUIRED", message };
      case "NODE_UNREACHABLE":
      case "NODE_CONNECT_FAILED":
        return { code: "NODE_UNREACHABLE", message };
      default:
        return { code: "STEP_FAILED", message };
    }
  }
  // A gRPC ServiceError carries the server's text in `details` (a string).
  const raw = err as { details?: unknown; message?: unknown };
  const message = typeof raw.details === "string" && raw.details ? raw.details : String(raw.message ?? err);
  const grpc = (err as { code?: unknown }).code;
  if (grpc === status.UNAVAILABLE || grpc === status.DEADLINE_EXCEEDED) {
    return { code: "NODE_UNREACHABLE", message };
  }
  return { code: "STEP_FAILED", message };
}

/**
 * Why a member's agent and the turn it was running are gone after a restart, naming what crashed:
 * agents on the built-in node `main` live in the hub's process, so their loss means the hub
 * restarted; an agent on another node was lost because that node restarted.
 */
export function lostAgentCause(nodeId: string): string {
  return nodeId === "main"
    ? `the hub restarted; the member's agent on its built-in node "main" died with it`
    : `node "${nodeId}" restarted; the member's agent there died with it`;
}
