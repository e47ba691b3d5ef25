import type { ErrorCode } from "../errors/registry.js";
import { appErrorOfCall } from "../grpc/error-mapping.js";

/** A failed actor command as the CLI (`--json`) and the MCP tools report it. */
export interface ActorFailure {
  /** `{ error, code, details }`, as REST error bodies name them. */
  record: { error: string; code: ErrorCode; details: Record<string, unknown> | undefined };
  /** One line for people (and agents): the message, the code and a hint when there is one. */
  text: string;
}

/**
 * The server's code when it named one, else one from the gRPC status; only a transport failure (hub
 * down, TLS refused, unusable credentials) is INTERNAL_GRPC_UNAVAILABLE, saying what went wrong.
 */
export function actorFailure(err: unknown): ActorFailure {
  const e = appErrorOfCall(err);
  const hint = e.details?.hint ? `\n${String(e.details.hint)}` : "";
  return {
    record: { error: e.message, code: e.code, details: e.details },
    text: `${e.message} (${e.code})${hint}`,
  };
}
