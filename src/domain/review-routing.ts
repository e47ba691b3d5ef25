import { AppError } from "../errors/registry.js";
import type { TeamSpec } from "./team-spec.js";

export type ReviewRoute = { kind: "member"; reviewer: string } | { kind: "human" };

/**
 * Who reviews a member's permission request. `to_leader` (default): a worker's request goes to
 * the leader; the leader's own request goes to a human, since nobody may approve themselves.
 * `to_human`: every request goes to a human. Never a worker (the spec validator refuses such
 * routes with REVIEW_ROUTE_TO_WORKER) and never the requester.
 */
export function routeReview(
  spec: Pick<TeamSpec, "members" | "leader_member_id" | "permissions">,
  requesterMemberId: string,
): ReviewRoute {
  if (!spec.members.some((m) => m.member_id === requesterMemberId)) {
    throw new AppError(
      "UNKNOWN_MEMBER",
      { member_id: requesterMemberId },
      { message: `unknown member "${requesterMemberId}"` },
    );
  }
  const route = spec.permissions?.route ?? "to_leader";
  if (route === "to_human") return { kind: "human" };
  const leader = spec.leader_member_id;
  // A validated spec always has a leader under to_leader; should a snapshot lack one, a human
  // can still answer, whereas an error here would leave the agent's request hanging.
  if (!leader || leader === requesterMemberId || !spec.members.some((m) => m.member_id === leader)) {
    return { kind: "human" };
  }
  return { kind: "member", reviewer: leader };
}

/** ACP permission option kinds (session/request_permission). */
export const PERMISSION_OPTION_KINDS = [
  "allow_once",
  "allow_always",
  "reject_once",
  "reject_always",
] as const;
export type PermissionOptionKind = (typeof PERMISSION_OPTION_KINDS)[number];

export interface PermissionOption {
  /** Stored/REST spelling. */
  option_id?: string | undefined;
  /** ACP SDK spelling. */
  optionId?: string | undefined;
  kind?: string | undefined;
}

/** What a chosen option means: allowed (`allow_*`), rejected (`reject_*`), or cancelled (no option). */
export type PermissionDecision = "allowed" | "rejected" | "cancelled";

function isKind(k: string | undefined): k is PermissionOptionKind {
  return k !== undefined && (PERMISSION_OPTION_KINDS as readonly string[]).includes(k);
}

/**
 * An option's ACP kind. Agents name options freely (Gemini `proceed_once`, Codex
 * `accept_execpolicy_amendment`), so the kind decides, never the id; only an option that carries no
 * valid kind is judged by its id, as simple agents use the kind names as ids. Null when neither tells.
 */
export function optionKind(o: PermissionOption): PermissionOptionKind | null {
  if (isKind(o.kind)) return o.kind;
  const id = o.option_id ?? o.optionId;
  return isKind(id) ? id : null;
}

/**
 * The decision an outcome stands for, by the chosen option's kind among the options the agent
 * offered. An option of unknown kind counts as rejected: nothing claims it allowed the work.
 */
export function decisionOf(
  outcome: { option_id: string } | { cancelled: true },
  options: readonly PermissionOption[],
): PermissionDecision {
  if (!("option_id" in outcome)) return "cancelled";
  const chosen = options.find((o) => (o.option_id ?? o.optionId) === outcome.option_id);
  const kind = chosen ? optionKind(chosen) : null;
  return kind?.startsWith("allow") ? "allowed" : "rejected";
}

/** The first option of one of `kinds` (in that order of preference), by its ACP kind; null if none. */
export function optionOfKind(
  options: readonly PermissionOption[],
  kinds: readonly PermissionOptionKind[],
): string | null {
  for (const k of kinds) {
    const o = options.find((x) => optionKind(x) === k);
    const id = o?.option_id ?? o?.optionId;
    if (id !== undefined) return id;
  }
  return null;
}
