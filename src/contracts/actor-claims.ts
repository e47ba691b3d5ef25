/**
 * Who calls the hub's AuthorityService (and a node's NodeService): the scoped claims of an internal
 * token, as the grpc edge verified them. Shared by grpc (which mints and verifies tokens) and the hub
 * services that enforce what an actor may do.
 */
export const ACTOR_ROLES = ["leader", "worker", "hub", "admin"] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Scoped claims of an internal gRPC token. */
export interface ActorClaims {
  role: ActorRole;
  team_id?: string | undefined;
  run_id?: string | undefined;
  actor_id?: string | undefined;
  permissions: string[];
}

/** The hub itself and administrators act for any actor in any run; agents' tokens only as themselves. */
export function isUnrestrictedActor(claims: Pick<ActorClaims, "role">): boolean {
  return claims.role === "hub" || claims.role === "admin";
}
