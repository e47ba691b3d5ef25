import type { TeamSpec } from "./team-spec.js";

export type ReviewRoute = { kind: "member"; reviewer: string } | { kind: "human" };

/**
 * Who reviews a member's permission request: the leader (default `to_leader`), or a human when the
 * route is `to_human` or the requester is the leader itself. Never the requester.
 */
export function routeReview(spec: TeamSpec, requesterMemberId: string): ReviewRoute {
  const route = spec.permissions?.route ?? "to_leader";
  const leader = spec.leader_member_id;
  if (route === "to_human" || !leader || leader === requesterMemberId) return { kind: "human" };
  return { kind: "member", reviewer: leader };
}

/** The option a timed-out review picks: the first `reject_*` option, or null (then: cancelled). */
export function chooseRejectOption(options: readonly { option_id: string; kind?: string }[]): string | null {
  return options.find((o) => (o.kind ?? o.option_id).startsWith("reject"))?.option_id ?? null;
}
