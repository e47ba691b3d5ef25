import { actorCallOf } from "./actor-call.js";
import { optionKind, optionOfKind, type PermissionOption } from "./review-routing.js";

/**
 * A team's permission policy (`spec.permissions`): where reviews go (review-routing.ts), which options
 * a reviewing agent may choose, which requests are answered by rule without a reviewer, and what a
 * review nobody answers in time gets.
 */

export type PermissionRoute = "to_leader" | "to_human";
export type TimeoutAnswer = "reject" | "allow";

/** ACP tool kinds (ToolKind): what a rule's `tool_kind` may name. */
export const TOOL_KINDS = [
  "read",
  "edit",
  "delete",
  "move",
  "search",
  "execute",
  "think",
  "fetch",
  "switch_mode",
  "other",
] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

/**
 * A request answered automatically with an `allow_once` option when every condition given holds: the
 * requester (`member`, `"*"` for any), the tool call's kind, its title (a regular expression), and
 * `actor_call` (the tool call is one of agenthub's own actor calls: `agenthub actor …` or a tool of
 * the `agenthub` MCP server; see actor-call.ts).
 */
export interface AutoAllowRule {
  /** Named in `decided_by` (`policy:<name>`); default `auto_allow[<index>]`. */
  name?: string | undefined;
  member: string;
  tool_kind?: ToolKind | undefined;
  title_matches?: string | undefined;
  actor_call?: true | undefined;
}

export interface PermissionPolicySpec {
  route: PermissionRoute;
  /** A reviewing agent may choose an `allow_always` option (default false: only a human may). */
  agent_may_allow_always?: boolean | undefined;
  /** What a review nobody answers within `[permissions] review_timeout_seconds` gets (default reject). */
  on_timeout?: TimeoutAnswer | undefined;
  /** Requests answered by rule, first match wins (default: {@link DEFAULT_AUTO_ALLOW}). */
  auto_allow?: AutoAllowRule[] | undefined;
}

/** The rule a spec gets when it names none: members' own actor calls need no review. */
export const DEFAULT_AUTO_ALLOW: readonly AutoAllowRule[] = Object.freeze([
  Object.freeze({ name: "actor_calls", member: "*", actor_call: true }),
]);

export interface PermissionPolicy {
  route: PermissionRoute;
  agent_may_allow_always: boolean;
  on_timeout: TimeoutAnswer;
  auto_allow: readonly AutoAllowRule[];
}

/** The policy in force for a (stored, possibly older) spec's `permissions`: defaults filled in. */
export function policyOf(p: Partial<PermissionPolicySpec> | undefined): PermissionPolicy {
  return {
    route: p?.route ?? "to_leader",
    agent_may_allow_always: p?.agent_may_allow_always ?? false,
    on_timeout: p?.on_timeout ?? "reject",
    auto_allow: p?.auto_allow ?? DEFAULT_AUTO_ALLOW,
  };
}

export function ruleName(rule: AutoAllowRule, index: number): string {
  return rule.name ?? `auto_allow[${index}]`;
}

/** Longest title a rule's regular expression is run on (a hostile agent could send megabytes). */
const MAX_MATCHED_TITLE = 1000;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function matches(rule: AutoAllowRule, requester: string, call: unknown): boolean {
  if (rule.member !== "*" && rule.member !== requester) return false;
  const toolCall = isObj(call) ? call : undefined;
  const kind = typeof toolCall?.kind === "string" ? toolCall.kind : undefined;
  if (rule.tool_kind !== undefined && rule.tool_kind !== kind) return false;
  if (rule.title_matches !== undefined) {
    const title = typeof toolCall?.title === "string" ? toolCall.title : "";
    if (title.length > MAX_MATCHED_TITLE || !new RegExp(rule.title_matches).test(title)) return false;
  }
  if (rule.actor_call === true && actorCallOf(call) === null) return false;
  return true;
}

/**
 * The automatic answer to a request, when a rule allows it: the rule's name and the `allow_once`
 * option to choose. Never `allow_always` (a rule allows one call, not the agent's later ones); a
 * request without an `allow_once` option is left to its reviewer.
 */
export function autoAllow(
  policy: PermissionPolicy,
  requester: string,
  toolCall: unknown,
  options: readonly PermissionOption[],
): { rule: string; option_id: string } | null {
  const option = optionOfKind(options, ["allow_once"]);
  if (option === null) return null;
  for (const [i, rule] of policy.auto_allow.entries()) {
    if (matches(rule, requester, toolCall)) return { rule: ruleName(rule, i), option_id: option };
  }
  return null;
}

/**
 * Why a reviewing agent may not choose `option`, or null when it may: `allow_always` pre-approves the
 * requester's later calls of the kind without any review, so only a human chooses it unless the
 * spec says `agent_may_allow_always: true`.
 */
export function agentChoiceRefusal(policy: PermissionPolicy, option: PermissionOption): string | null {
  if (optionKind(option) !== "allow_always" || policy.agent_may_allow_always) return null;
  return "spec.permissions.agent_may_allow_always is false: only a human may choose an allow_always option; choose an allow_once option (or reject)";
}

/**
 * What a timed-out review answers: `reject` picks a reject option (`reject_once` before
 * `reject_always`), `allow` an `allow_once` option (never `allow_always`, and a reject option when
 * there is none); `cancelled` when the agent offered no such option at all.
 */
export function timeoutOutcome(
  policy: PermissionPolicy,
  options: readonly PermissionOption[],
): { option_id: string } | { cancelled: true } {
  const reject = optionOfKind(options, ["reject_once", "reject_always"]);
  const allow = optionOfKind(options, ["allow_once"]);
  const id = policy.on_timeout === "allow" ? (allow ?? reject) : reject;
  return id === null ? { cancelled: true } : { option_id: id };
}
