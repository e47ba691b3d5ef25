import {
  type AutoAllowRule,
  DEFAULT_AUTO_ALLOW,
  type PermissionPolicySpec,
  type PermissionRoute,
  type TimeoutAnswer,
  TOOL_KINDS,
  type ToolKind,
} from "./permission-policy.js";
import { isNonEmptyString, isObject, type ProblemList } from "./problem-list.js";
import { closest, refuseUnknownKeys, SPEC_KEYS } from "./spec-keys.js";

/**
 * `spec.permissions`, validated: the route (never to a worker), whether agents may choose
 * `allow_always`, the timeout answer and the auto-allow rules. Defaults are filled in, so a stored spec
 * shows the policy in force.
 */

const ROUTE_CHOICES = "spec.permissions.route must be one of: to_leader, to_human";
const TIMEOUT_ANSWERS: readonly TimeoutAnswer[] = ["reject", "allow"];
/** Most auto-allow rules a spec may have, and the longest pattern or name. */
export const MAX_AUTO_ALLOW = 50;
const MAX_PATTERN = 500;
const MAX_RULE_NAME = 64;
const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** `value` is not one of `choices`: the message names them and the closest one. */
function notOneOf(field: string, value: unknown, choices: readonly string[]): string {
  const near = typeof value === "string" ? closest(value, choices) : undefined;
  return `${field} must be one of: ${choices.join(", ")}${near ? ` (did you mean "${near}"?)` : ""}`;
}

export interface ParsedPermissions {
  permissions: PermissionPolicySpec;
  /** The route is usable (otherwise it was reported, and no follow-up leader problem is). */
  routeOk: boolean;
}

/** Reads `spec.permissions` (members' ids and the leader known when the members were valid). */
export function parsePermissions(
  raw: unknown,
  ids: ReadonlySet<string> | null,
  leader: string | undefined | null,
  p: ProblemList,
): ParsedPermissions {
  const defaults: PermissionPolicySpec = {
    route: "to_leader",
    agent_may_allow_always: false,
    on_timeout: "reject",
    auto_allow: DEFAULT_AUTO_ALLOW.map((r) => ({ ...r })),
  };
  if (raw === undefined) return { permissions: defaults, routeOk: true };
  if (!isObject(raw)) {
    p.add("spec.permissions", "spec.permissions must be an object");
    return { permissions: defaults, routeOk: false };
  }
  refuseUnknownKeys(raw, SPEC_KEYS.permissions, "spec.permissions", p);
  const route = parseRoute(raw, ids, leader, p);
  const out: PermissionPolicySpec = { ...defaults, route: route ?? "to_leader" };
  if (raw.agent_may_allow_always !== undefined) {
    if (typeof raw.agent_may_allow_always !== "boolean") {
      p.add(
        "spec.permissions.agent_may_allow_always",
        "spec.permissions.agent_may_allow_always must be true or false",
      );
    } else out.agent_may_allow_always = raw.agent_may_allow_always;
  }
  if (raw.on_timeout !== undefined) {
    if (!TIMEOUT_ANSWERS.includes(raw.on_timeout as TimeoutAnswer)) {
      p.add(
        "spec.permissions.on_timeout",
        notOneOf("spec.permissions.on_timeout", raw.on_timeout, TIMEOUT_ANSWERS),
      );
    } else out.on_timeout = raw.on_timeout as TimeoutAnswer;
  }
  if (raw.auto_allow !== undefined) out.auto_allow = parseRules(raw.auto_allow, ids, p);
  return { permissions: out, routeOk: route !== null };
}

/** The route, or null when it is unusable (reported). */
function parseRoute(
  raw: Record<string, unknown>,
  ids: ReadonlySet<string> | null,
  leader: string | undefined | null,
  p: ProblemList,
): PermissionRoute | null {
  const route = raw.route ?? "to_leader";
  if (route === "to_leader" || route === "to_human") {
    // Only `route: "to_member"` names a reviewer, and that route is refused below: never ignore it.
    if (raw.reviewer_member_id !== undefined) {
      p.add(
        "spec.permissions.reviewer_member_id",
        `spec.permissions.reviewer_member_id is not used with route "${route}": reviews go ${route === "to_leader" ? "to the leader" : "to humans"}; remove it`,
      );
    }
    return route;
  }
  // A route that would put a worker in charge of reviews, named either way.
  const target = route === "to_member" ? raw.reviewer_member_id : route;
  if (typeof target === "string" && target === leader) {
    p.add("spec.permissions.route", `${ROUTE_CHOICES} (use "to_leader" to send reviews to the leader)`);
  } else if (typeof target === "string" && ids?.has(target)) {
    p.add(
      "spec.permissions.route",
      "worker-originated permission review cannot route to worker",
      "REVIEW_ROUTE_TO_WORKER",
    );
  } else p.add("spec.permissions.route", ROUTE_CHOICES);
  return null;
}

function parseRules(raw: unknown, ids: ReadonlySet<string> | null, p: ProblemList): AutoAllowRule[] {
  const field = "spec.permissions.auto_allow";
  if (!Array.isArray(raw)) {
    p.add(field, `${field} must be an array of rules`);
    return [];
  }
  if (raw.length > MAX_AUTO_ALLOW) {
    p.add(field, `${field} may have at most ${MAX_AUTO_ALLOW} rules`);
    return [];
  }
  const names = new Set<string>();
  return raw.flatMap((r, i) => {
    const rule = parseRule(r, `${field}[${i}]`, ids, p);
    if (rule?.name !== undefined) {
      if (names.has(rule.name))
        p.add(`${field}[${i}].name`, `${field}[${i}].name "${rule.name}" is used twice`);
      names.add(rule.name);
    }
    return rule ? [rule] : [];
  });
}

function parseRule(
  raw: unknown,
  field: string,
  ids: ReadonlySet<string> | null,
  p: ProblemList,
): AutoAllowRule | undefined {
  if (!isObject(raw)) {
    p.add(field, `${field} must be an object (member, and tool_kind, title_matches or actor_call)`);
    return undefined;
  }
  refuseUnknownKeys(raw, SPEC_KEYS.auto_allow_rule, field, p);
  const rule: AutoAllowRule = { member: "*" };
  const before = p.items.length + p.more;
  if (raw.name !== undefined) {
    if (typeof raw.name !== "string" || raw.name.length > MAX_RULE_NAME || !RULE_NAME.test(raw.name)) {
      p.add(
        `${field}.name`,
        `${field}.name must be letters, digits, "_", "." or "-" (at most ${MAX_RULE_NAME} characters)`,
      );
    } else rule.name = raw.name;
  }
  const member = raw.member;
  if (!isNonEmptyString(member)) {
    p.add(`${field}.member`, `${field}.member is required: a member_id, or "*" for every member`);
  } else if (member !== "*" && ids && !ids.has(member)) {
    const near = closest(member, [...ids]);
    p.add(
      `${field}.member`,
      `${field}.member "${member}" is not a member of the team${near ? ` (did you mean "${near}"?)` : ""}; use a member_id or "*"`,
    );
  } else rule.member = member;
  if (raw.tool_kind !== undefined) {
    if (!(TOOL_KINDS as readonly unknown[]).includes(raw.tool_kind)) {
      p.add(`${field}.tool_kind`, notOneOf(`${field}.tool_kind`, raw.tool_kind, TOOL_KINDS));
    } else rule.tool_kind = raw.tool_kind as ToolKind;
  }
  if (raw.title_matches !== undefined) {
    const pattern = raw.title_matches;
    const error = typeof pattern === "string" ? patternError(pattern) : "must be a string";
    if (error) p.add(`${field}.title_matches`, `${field}.title_matches ${error}`);
    else rule.title_matches = pattern as string;
  }
  if (raw.actor_call !== undefined) {
    if (raw.actor_call !== true) {
      p.add(`${field}.actor_call`, `${field}.actor_call must be true (leave it out to match any tool call)`);
    } else rule.actor_call = true;
  }
  return p.items.length + p.more === before ? rule : undefined;
}

/** Why `pattern` is not a usable regular expression, or undefined. */
function patternError(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN) {
    return `must be a regular expression of 1 to ${MAX_PATTERN} characters`;
  }
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message}`;
  }
}
