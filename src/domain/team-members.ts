import { worktreeRefProblem } from "./git-ref.js";
import {
  ID_PATTERN,
  ID_RULE,
  isNonEmptyString,
  isObject,
  isStringArray,
  type JsonObject,
  type ProblemList,
} from "./problem-list.js";
import { isEnvName, parseSessionSettings } from "./session-settings-spec.js";
import { closest, keyPath, refuseUnknownKeys, SPEC_KEYS } from "./spec-keys.js";
import type { MemberAgentSpec, MemberSpec } from "./team-spec.js";

export { BUILTIN_PROVIDERS } from "../config/config-schema.js";

/** Longest path the OS takes (Linux PATH_MAX, 4096 with its terminating NUL); a longer one could never be used. */
export const MAX_PATH = 4095;
/** Longest single argument or environment value a process can be given (Linux MAX_ARG_STRLEN). */
export const MAX_ARG = 128 * 1024;
const utf8 = new TextEncoder();
const utf8Length = (s: string) => utf8.encode(s).length;
const PATH_FIELDS = ["command", "workdir", "worktree_repo"] as const;

const AGENT_STRING_FIELDS = [
  "provider",
  "command",
  "node_id",
  "workdir",
  "worktree_repo",
  "worktree_ref",
] as const;
export const WORKTREE_MODES = ["use_existing", "create_worktree"] as const;

/** A member as parsed, before the leader is known (its role may still be unset). */
export interface ParsedMember extends Omit<MemberSpec, "role"> {
  role: MemberSpec["role"] | undefined;
  index: number;
}

/**
 * Parses spec.members; problems go to `p`. Members with an unusable member_id are dropped.
 * `providers` are the provider names an agent may use.
 */
export function parseMembers(raw: unknown, providers: readonly string[], p: ProblemList): ParsedMember[] {
  if (!Array.isArray(raw)) {
    p.add("spec.members", "spec.members must be an array");
    return [];
  }
  if (raw.length === 0) {
    p.add("spec.members", "spec.members must not be empty");
    return [];
  }
  const out: ParsedMember[] = [];
  const seen = new Set<string>();
  raw.forEach((m, i) => {
    const field = `spec.members[${i}]`;
    if (isObject(m)) refuseUnknownKeys(m, SPEC_KEYS.member, field, p);
    if (!isObject(m) || !isNonEmptyString(m.member_id)) {
      p.add(`${field}.member_id`, "spec.members[].member_id is required");
      return;
    }
    const id = m.member_id;
    if (!ID_PATTERN.test(id)) p.add(`${field}.member_id`, `${field}.member_id ${ID_RULE}`);
    if (seen.has(id)) p.add(`${field}.member_id`, `duplicate member_id "${id}"`);
    seen.add(id);
    if (m.role !== undefined && m.role !== "leader" && m.role !== "worker") {
      p.add(`${field}.role`, `${field}.role must be "leader" or "worker"`);
    }
    if (m.description !== undefined && typeof m.description !== "string") {
      p.add(`${field}.description`, `${field}.description must be a string`);
    }
    if (m.skills !== undefined && !isStringArray(m.skills)) {
      p.add(`${field}.skills`, `${field}.skills must be an array of strings`);
    }
    const agent = m.agent === undefined ? undefined : parseAgent(m.agent, `${field}.agent`, providers, p);
    out.push({
      index: i,
      member_id: id,
      role: m.role === "leader" || m.role === "worker" ? m.role : undefined,
      description: typeof m.description === "string" ? m.description : "",
      skills: isStringArray(m.skills) ? [...m.skills] : [],
      ...(agent ? { agent } : {}),
    });
  });
  return out;
}

/** The agent fields, each checked; unknown keys are refused (never silently dropped). */
function parseAgent(
  raw: unknown,
  field: string,
  providers: readonly string[],
  p: ProblemList,
): MemberAgentSpec | undefined {
  if (!isObject(raw)) {
    p.add(field, `${field} must be an object`);
    return undefined;
  }
  refuseUnknownKeys(raw, SPEC_KEYS.agent, field, p);
  const agent: MemberAgentSpec = {};
  Object.assign(agent, parseSessionSettings(raw, field, p));
  for (const key of AGENT_STRING_FIELDS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== "string") p.add(`${field}.${key}`, `${field}.${key} must be a string`);
    else agent[key] = v;
  }
  if (agent.provider !== undefined && !providers.includes(agent.provider)) {
    const near = closest(agent.provider, providers);
    const shown = JSON.stringify(
      agent.provider.length > 64 ? `${agent.provider.slice(0, 64)}…` : agent.provider,
    );
    p.add(
      `${field}.provider`,
      `${field}.provider: unknown provider ${shown}${near ? `; did you mean "${near}"?` : ""} (known: ${providers.join(", ")}; others are configured in [agents.providers.NAME])`,
    );
  }
  for (const key of PATH_FIELDS) {
    const v = agent[key];
    if (v !== undefined && utf8Length(v) > MAX_PATH) {
      p.add(`${field}.${key}`, `${field}.${key} is longer than ${MAX_PATH} bytes (the OS path limit)`);
    }
  }
  if (agent.worktree_ref !== undefined) {
    const problem = worktreeRefProblem(agent.worktree_ref);
    if (problem) p.add(`${field}.worktree_ref`, `${field}.worktree_ref ${problem}`, "WORKTREE_REF_INVALID");
  }
  if (raw.args !== undefined) {
    if (!isStringArray(raw.args)) p.add(`${field}.args`, `${field}.args must be an array of strings`);
    else {
      raw.args.forEach((a, n) => {
        if (a.length > MAX_ARG)
          p.add(`${field}.args[${n}]`, `${field}.args[${n}] is longer than ${MAX_ARG} characters`);
      });
      agent.args = [...raw.args];
    }
  }
  if (raw.env !== undefined) {
    const env = raw.env;
    if (!isObject(env) || Object.values(env).some((v) => typeof v !== "string")) {
      p.add(`${field}.env`, `${field}.env must be an object of string values`);
    } else {
      for (const [k, v] of Object.entries(env as Record<string, string>)) {
        const at = keyPath(`${field}.env`, k);
        if (!isEnvName(k))
          p.add(at, `${at}: an environment variable name must not be empty or contain "=" or NUL bytes`);
        else if (v.length > MAX_ARG) p.add(at, `${at} is longer than ${MAX_ARG} characters`);
      }
      agent.env = { ...(env as Record<string, string>) };
    }
  }
  if (raw.worktree_mode !== undefined) {
    const mode = raw.worktree_mode;
    if (mode === "use_existing" || mode === "create_worktree") agent.worktree_mode = mode;
    else
      p.add(`${field}.worktree_mode`, `${field}.worktree_mode must be one of: ${WORKTREE_MODES.join(", ")}`);
  }
  return agent;
}

/**
 * The leader: `leader_member_id` when given, else the one member whose role is "leader". Roles
 * that contradict leader_member_id are problems; missing roles are inferred (leader or worker).
 * null means "no leader, and that problem is already reported" (undefined: simply none named).
 */
export function resolveLeader(
  spec: JsonObject,
  members: readonly ParsedMember[],
  p: ProblemList,
): string | undefined | null {
  const raw = spec.leader_member_id;
  if (raw !== undefined) {
    const leader = isNonEmptyString(raw) ? members.find((m) => m.member_id === raw) : undefined;
    if (!leader) {
      // With no usable members the members problem already explains it.
      if (members.length > 0 || !isNonEmptyString(raw)) {
        p.add("spec.leader_member_id", "spec.leader_member_id must reference a defined member");
      }
      return null;
    }
    if (leader.role === "worker") {
      p.add(
        `spec.members[${leader.index}].role`,
        `member "${leader.member_id}" is spec.leader_member_id but has role "worker"`,
      );
    }
    for (const m of members) {
      if (m !== leader && m.role === "leader") {
        p.add(
          `spec.members[${m.index}].role`,
          `member "${m.member_id}" has role "leader" but spec.leader_member_id is "${leader.member_id}"`,
        );
      }
    }
    return leader.member_id;
  }
  const leaders = members.filter((m) => m.role === "leader");
  if (leaders.length > 1) {
    p.add(
      "spec.members",
      `only one member may have role "leader" (found ${leaders.map((m) => `"${m.member_id}"`).join(", ")})`,
    );
    return null;
  }
  return leaders[0]?.member_id;
}

/** Members with their final role: the leader is "leader", everyone else "worker". */
export function finalizeMembers(
  members: readonly ParsedMember[],
  leader: string | undefined | null,
): MemberSpec[] {
  return members.map(({ index: _index, ...m }) => ({
    ...m,
    role: m.member_id === leader ? "leader" : "worker",
  }));
}
