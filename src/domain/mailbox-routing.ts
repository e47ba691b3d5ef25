import { AppError } from "../errors/registry.js";
import type { TeamSpec } from "./team-spec.js";

export const ROUTES = ["broadcast", "to_leader", "to_member"] as const;
export type Route = (typeof ROUTES)[number];

export const HUMAN_ACTOR_PREFIX = "human:";

/**
 * Humans act as `human:<username>` (REST users, CLI operators). They may send to a run's
 * mailbox but are not members, so they never receive member-routed deliveries.
 */
export function isHumanActor(actorId: string): boolean {
  return actorId.startsWith(HUMAN_ACTOR_PREFIX) && actorId.length > HUMAN_ACTOR_PREFIX.length;
}

export function humanActorId(username: string): string {
  return `${HUMAN_ACTOR_PREFIX}${username}`;
}

export function isRoute(v: unknown): v is Route {
  return typeof v === "string" && (ROUTES as readonly string[]).includes(v);
}

export interface RoutedMessage {
  route: string;
  from_actor_id: string;
  to_actor_id?: string | undefined;
}

/**
 * Who receives a message, as member ids: `broadcast` every member but the sender, `to_leader`
 * the leader, `to_member` the named member. The sender must be a member or a human actor.
 * A member may address itself with to_member/to_leader (a note to self); broadcast never echoes.
 */
export function resolveRecipients(
  msg: RoutedMessage,
  spec: Pick<TeamSpec, "members" | "leader_member_id">,
): string[] {
  if (!isRoute(msg.route)) throw new AppError("INVALID_ROUTE", { route: msg.route });
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
  switch (msg.route) {
    case "broadcast":
      return ids.filter((id) => id !== msg.from_actor_id);
    case "to_leader":
      if (!spec.leader_member_id || !ids.includes(spec.leader_member_id)) {
        throw new AppError("ROUTE_REQUIRES_LEADER");
      }
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
