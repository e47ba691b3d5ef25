import { AppError } from "../errors/registry.js";
import type { TeamSpec } from "./team-spec.js";

export const ROUTES = ["broadcast", "to_leader", "to_member"] as const;
export type Route = (typeof ROUTES)[number];

/** Humans send as `human:<username>`; anyone else must be a member of the spec. */
export function isHumanActor(actorId: string): boolean {
  return actorId.startsWith("human:");
}

/**
 * Who receives a message: `broadcast` every member but the sender, `to_leader` the leader,
 * `to_member` the named member.
 */
export function resolveRecipients(
  msg: { route: string; from_actor_id: string; to_actor_id?: string | undefined },
  spec: TeamSpec,
): string[] {
  if (!(ROUTES as readonly string[]).includes(msg.route))
    throw new AppError("INVALID_ROUTE", { route: msg.route });
  const ids = spec.members.map((m) => m.member_id);
  if (!isHumanActor(msg.from_actor_id) && !ids.includes(msg.from_actor_id)) {
    throw new AppError(
      "UNKNOWN_MEMBER",
      { from_actor_id: msg.from_actor_id },
      {
        message: `unknown member "${msg.from_actor_id}" (from_actor_id must be a team member or human:<name>)`,
      },
    );
  }
  switch (msg.route as Route) {
    case "broadcast":
      return ids.filter((id) => id !== msg.from_actor_id);
    case "to_leader":
      if (!spec.leader_member_id || !ids.includes(spec.leader_member_id))
        throw new AppError("ROUTE_REQUIRES_LEADER");
      return [spec.leader_member_id];
    case "to_member": {
      const to = msg.to_actor_id;
      if (!to) throw new AppError("TO_ACTOR_REQUIRED");
      if (!ids.includes(to)) {
        throw new AppError("UNKNOWN_MEMBER", { to_actor_id: to }, { message: `unknown member "${to}"` });
      }
      return [to];
    }
  }
}
