import type { SessionSettings } from "./agent.js";
import type { PermissionPolicySpec } from "./permission-policy.js";
import { parsePermissions } from "./permissions-spec.js";
import { deepFreeze, isNonEmptyString, isObject, type JsonObject, ProblemList } from "./problem-list.js";
import { refuseNulBytes, refuseUnknownKeys, SPEC_KEYS } from "./spec-keys.js";
import { BUILTIN_PROVIDERS, finalizeMembers, parseMembers, resolveLeader } from "./team-members.js";
import { parseSteps } from "./team-steps.js";

export { BUILTIN_PROVIDERS } from "./team-members.js";

export interface MemberAgentSpec extends SessionSettings {
  provider?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  node_id?: string;
  worktree_mode?: "use_existing" | "create_worktree";
  workdir?: string;
  worktree_repo?: string;
  worktree_ref?: string;
}

export interface MemberSpec {
  member_id: string;
  role: "leader" | "worker";
  description: string;
  skills: string[];
  agent?: MemberAgentSpec;
}

export interface StepSpec {
  step_key: string;
  member_id: string;
  prompt: string;
  depends_on: string[];
  timeout_seconds?: number;
}

export type { AutoAllowRule, PermissionPolicySpec, PermissionRoute } from "./permission-policy.js";

export interface TeamSpec {
  spec_version: 1;
  leader_member_id?: string;
  members: MemberSpec[];
  entrypoint?: { member_id: string; prompt: string };
  steps?: StepSpec[];
  /**
   * The permission policy. `route`: where members' permission requests go; `to_leader` (default): a
   * worker's to the leader, the leader's own to a human; `to_human`: all to humans. Workers never
   * review: a spec asking for that (`route: "to_member"` with a worker `reviewer_member_id`, or
   * `route` naming a worker) is refused with REVIEW_ROUTE_TO_WORKER. The other keys (which options
   * agents may choose, automatic answers, the timeout answer) are in permission-policy.ts; a stored
   * spec from before them has `route` only.
   */
  permissions: PermissionPolicySpec;
}

/** What validateTeamInput returns: the trimmed name and a normalized, deep-frozen spec. */
export interface ValidTeam {
  name: string;
  spec: TeamSpec;
}

export interface SpecRules {
  /**
   * Every `provider` a member's agent may name. Default: the built-in names (BUILTIN_PROVIDERS); the
   * hub adds the providers of its own `[agents.providers.*]`.
   */
  providers?: readonly string[];
}

/** Longest team name (the API's bound for names and ids). */
export const MAX_TEAM_NAME = 200;

/**
 * Validates a team's name and spec, collecting every problem. Throws an AppError whose code and
 * message are the first problem's (the contract's exact strings) with all of them as
 * details.errors[{field, message}]. Defaults: spec_version 1, role inferred, description "",
 * skills [], prompt "", depends_on [], permissions (route "to_leader", the default policy).
 */
export function validateTeamInput(name: unknown, spec: unknown, rules: SpecRules = {}): ValidTeam {
  const p = new ProblemList();
  if (!isNonEmptyString(name)) p.add("name", "team name is required", "TEAM_NAME_REQUIRED");
  else if (name.trim().length > MAX_TEAM_NAME) {
    p.add("name", `team name must be at most ${MAX_TEAM_NAME} characters`, "BAD_REQUEST");
  } else if (name.includes("\u0000")) p.add("name", "team name must not contain NUL bytes", "BAD_REQUEST");
  if (!isObject(spec)) p.add("spec", "spec must be an object", "SPEC_NOT_OBJECT");
  const normalized = isObject(spec) ? validateSpec(spec, rules.providers ?? BUILTIN_PROVIDERS, p) : undefined;
  p.throwIfAny();
  // Both are set when there were no problems; the guard keeps the types honest.
  if (!normalized || typeof name !== "string")
    throw new Error("unreachable: validation passed without a spec");
  return { name: name.trim(), spec: deepFreeze(normalized) };
}

function validateSpec(spec: JsonObject, providers: readonly string[], p: ProblemList): TeamSpec {
  refuseUnknownKeys(spec, SPEC_KEYS.spec, "spec", p);
  if (spec.spec_version !== undefined && spec.spec_version !== 1) {
    p.add("spec.spec_version", `spec.spec_version must be 1 (got ${JSON.stringify(spec.spec_version)})`);
  }
  const parsed = parseMembers(spec.members, providers, p);
  const leader = resolveLeader(spec, parsed, p);
  const members = finalizeMembers(parsed, leader);
  const ids = parsed.length > 0 ? new Set(parsed.map((m) => m.member_id)) : null;
  const entrypoint = parseEntrypoint(spec.entrypoint, ids, p);
  const steps = parseSteps(spec.steps, ids, p);
  const { permissions, routeOk } = parsePermissions(spec.permissions, ids, leader, p);
  if (routeOk && permissions.route === "to_leader" && ids && leader === undefined) {
    p.add(
      "spec.permissions.route",
      "route=to_leader requires a leader member in spec.members",
      "ROUTE_REQUIRES_LEADER",
    );
  }
  refuseNulBytes(spec, "spec", p);
  return {
    spec_version: 1,
    ...(leader ? { leader_member_id: leader } : {}),
    members,
    ...(entrypoint ? { entrypoint } : {}),
    ...(steps ? { steps } : {}),
    permissions,
  };
}

function parseEntrypoint(
  raw: unknown,
  ids: ReadonlySet<string> | null,
  p: ProblemList,
): TeamSpec["entrypoint"] | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) {
    p.add("spec.entrypoint", "spec.entrypoint must be an object");
    return undefined;
  }
  refuseUnknownKeys(raw, SPEC_KEYS.entrypoint, "spec.entrypoint", p);
  if (raw.prompt !== undefined && typeof raw.prompt !== "string") {
    p.add("spec.entrypoint.prompt", "spec.entrypoint.prompt must be a string");
  }
  const member = raw.member_id;
  if (!isNonEmptyString(member) || (ids && !ids.has(member))) {
    if (ids || !isNonEmptyString(member)) {
      p.add("spec.entrypoint.member_id", "spec.entrypoint.member_id must reference a defined member");
    }
    return undefined;
  }
  return { member_id: member, prompt: typeof raw.prompt === "string" ? raw.prompt : "" };
}
