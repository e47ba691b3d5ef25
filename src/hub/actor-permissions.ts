import type { ActorClaims } from "../contracts/actor-claims.js";
import { AppError } from "../errors/registry.js";

/** Permissions an actor token can carry; a leader has all, a worker all but answering reviews. */
export const ACTOR_PERMISSIONS = {
  mailboxRead: "mailbox:read",
  mailboxWrite: "mailbox:write",
  teamRead: "team:read",
  tasksWrite: "tasks:write",
  stepsWrite: "steps:write",
  reviewsRespond: "reviews:respond",
} as const;
export type ActorPermission = (typeof ACTOR_PERMISSIONS)[keyof typeof ACTOR_PERMISSIONS];

export const LEADER_PERMISSIONS: readonly ActorPermission[] = Object.values(ACTOR_PERMISSIONS);
export const WORKER_PERMISSIONS: readonly ActorPermission[] = LEADER_PERMISSIONS.filter(
  (p) => p !== ACTOR_PERMISSIONS.reviewsRespond,
);

/** The permissions a member's actor token carries for its role in the team. */
export function memberPermissions(role: "leader" | "worker"): string[] {
  return [...(role === "leader" ? LEADER_PERMISSIONS : WORKER_PERMISSIONS)];
}

/** Throws FORBIDDEN naming `permission` when the token's claims lack it. */
export function requirePermission(claims: ActorClaims, permission: string): void {
  if (claims.permissions.includes(permission)) return;
  throw new AppError(
    "FORBIDDEN",
    { missing_permission: permission, role: claims.role },
    {
      message: `permission denied: token lacks permission "${permission}"`,
    },
  );
}
