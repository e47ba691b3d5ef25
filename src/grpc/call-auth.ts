import type { Metadata } from "@grpc/grpc-js";
import { AppError } from "../errors/registry.js";
import { type ActorClaims, type TokenAudience, verifyActorToken } from "./token-auth.js";

/** The authenticated caller of an internal gRPC call. */
export type Principal = ActorClaims;

export interface CallAuthOptions extends TokenAudience {
  secret: string;
  clockToleranceSeconds?: number;
}

/** Returns the bearer token of call metadata, or throws MISSING_TOKEN / INVALID_TOKEN. */
export function bearerToken(metadata: Metadata): string {
  const header = metadata.get("authorization")[0];
  if (typeof header !== "string" || header.trim() === "") throw new AppError("MISSING_TOKEN");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new AppError(
      "INVALID_TOKEN",
      { reason: "not a bearer token" },
      {
        message: "invalid token: authorization must be 'Bearer <token>'",
      },
    );
  }
  return match[1];
}

/** An `authenticate` hook for the service adapter: metadata -> Principal (UNAUTHENTICATED on failure). */
export function tokenAuthenticator(opts: CallAuthOptions): (metadata: Metadata) => Promise<Principal> {
  return (metadata) => verifyActorToken(opts.secret, bearerToken(metadata), opts);
}

/** Throws PERMISSION_DENIED naming `permission` when the principal lacks it. */
export function requirePermission(principal: Principal, permission: string): void {
  if (principal.permissions.includes(permission)) return;
  throw new AppError(
    "FORBIDDEN",
    { missing_permission: permission, role: principal.role },
    {
      message: `permission denied: token lacks permission "${permission}"`,
    },
  );
}

/** Roles that may act for any actor in any run (the hub itself and administrators). */
function unrestricted(principal: Principal): boolean {
  return principal.role === "hub" || principal.role === "admin";
}

/**
 * Resolves the actor and run a request acts as: empty request values default to the token's. An agent
 * token (leader or worker) may act only as its own actor in its own run (PERMISSION_DENIED otherwise).
 */
export function requireSelf(
  principal: Principal,
  requested: { actor_id?: string | undefined; run_id?: string | undefined },
): { actor_id: string; run_id: string } {
  const actor_id = requested.actor_id || principal.actor_id || "";
  const run_id = requested.run_id || principal.run_id || "";
  if (!unrestricted(principal)) {
    if (principal.actor_id === undefined || actor_id !== principal.actor_id) {
      throw new AppError(
        "FORBIDDEN",
        { actor_id, token_actor_id: principal.actor_id ?? null },
        {
          message: `permission denied: token for actor "${principal.actor_id ?? ""}" may not act as actor "${actor_id}"`,
        },
      );
    }
    if (principal.run_id === undefined || run_id !== principal.run_id) {
      throw new AppError(
        "FORBIDDEN",
        { run_id, token_run_id: principal.run_id ?? null },
        {
          message: `permission denied: token for run "${principal.run_id ?? ""}" may not act in run "${run_id}"`,
        },
      );
    }
  }
  if (!actor_id)
    throw new AppError("BAD_REQUEST", { field: "actor_id" }, { message: "actor_id is required" });
  if (!run_id) throw new AppError("BAD_REQUEST", { field: "run_id" }, { message: "run_id is required" });
  return { actor_id, run_id };
}
