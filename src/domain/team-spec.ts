import { AppError, type ErrorCode } from "../errors/registry.js";
import { findCycle } from "./dag.js";

export interface MemberAgentSpec {
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

export interface TeamSpec {
  spec_version: 1;
  leader_member_id?: string;
  members: MemberSpec[];
  entrypoint?: { member_id: string; prompt: string };
  steps?: StepSpec[];
  /** `to_leader` (default): workers' requests go to the leader, the leader's to a human. `to_human`: all to humans. */
  permissions: { route: "to_leader" | "to_human" };
}

export interface SpecProblem {
  field: string;
  message: string;
  code: ErrorCode;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/**
 * Validates a team's name and spec, collecting every problem. Throws an AppError whose code and
 * message are the first problem's (the contract's exact strings) with all of them in details.errors.
 */
export function validateTeamInput(name: unknown, spec: unknown): { name: string; spec: TeamSpec } {
  const problems: SpecProblem[] = [];
  const add = (field: string, message: string, code: ErrorCode = "SPEC_INVALID") =>
    problems.push({ field, message, code });
  if (!nonEmpty(name)) add("name", "team name is required", "TEAM_NAME_REQUIRED");
  let normalized: TeamSpec | undefined;
  if (!isObj(spec)) add("spec", "spec must be an object", "SPEC_NOT_OBJECT");
  else normalized = validateSpec(spec, add);
  if (problems.length > 0 || !normalized) {
    const first = problems[0]!;
    throw new AppError(
      first.code,
      { errors: problems.map(({ field, message }) => ({ field, message })) },
      { message: first.message },
    );
  }
  return { name: (name as string).trim(), spec: deepFreeze(normalized) };
}

function validateSpec(spec: Obj, add: (field: string, message: string, code?: ErrorCode) => void): TeamSpec {
  if (spec.spec_version !== undefined && spec.spec_version !== 1) {
    add("spec.spec_version", `spec.spec_version must be 1 (got ${JSON.stringify(spec.spec_version)})`);
  }
  const members: MemberSpec[] = [];
  if (!Array.isArray(spec.members)) add("spec.members", "spec.members must be an array");
  else if (spec.members.length === 0) add("spec.members", "spec.members must not be empty");
  else {
    const seen = new Set<string>();
    spec.members.forEach((raw, i) => {
      const field = `spec.members[${i}]`;
      if (!isObj(raw) || !nonEmpty(raw.member_id)) {
        add(`${field}.member_id`, "spec.members[].member_id is required", "MEMBER_ID_REQUIRED");
        return;
      }
      const id = raw.member_id.trim();
      if (seen.has(id)) add(`${field}.member_id`, `duplicate member_id "${id}"`);
      seen.add(id);
      if (raw.role !== undefined && raw.role !== "leader" && raw.role !== "worker") {
        add(`${field}.role`, `${field}.role must be "leader" or "worker"`);
      }
      if (
        raw.skills !== undefined &&
        (!Array.isArray(raw.skills) || raw.skills.some((s) => typeof s !== "string"))
      ) {
        add(`${field}.skills`, `${field}.skills must be an array of strings`);
      }
      if (raw.agent !== undefined && !isObj(raw.agent))
        add(`${field}.agent`, `${field}.agent must be an object`);
      members.push({
        member_id: id,
        role: raw.role === "leader" ? "leader" : "worker",
        description: typeof raw.description === "string" ? raw.description : "",
        skills: Array.isArray(raw.skills)
          ? (raw.skills.filter((s) => typeof s === "string") as string[])
          : [],
        ...(isObj(raw.agent) ? { agent: raw.agent as MemberAgentSpec } : {}),
      });
    });
  }
  const ids = new Set(members.map((m) => m.member_id));

  let leader: string | undefined;
  if (spec.leader_member_id !== undefined) {
    if (!nonEmpty(spec.leader_member_id) || (members.length > 0 && !ids.has(spec.leader_member_id))) {
      add("spec.leader_member_id", "spec.leader_member_id must reference a defined member");
    } else leader = spec.leader_member_id;
  } else {
    const leaders = members.filter((m) => m.role === "leader");
    if (leaders.length > 1) add("spec.members", 'only one member may have role "leader"');
    leader = leaders[0]?.member_id;
  }
  // The leader is the leader: its role follows leader_member_id.
  for (const m of members) m.role = m.member_id === leader ? "leader" : "worker";

  let entrypoint: TeamSpec["entrypoint"];
  if (spec.entrypoint !== undefined) {
    if (!isObj(spec.entrypoint)) add("spec.entrypoint", "spec.entrypoint must be an object");
    else if (!nonEmpty(spec.entrypoint.member_id) || !ids.has(spec.entrypoint.member_id)) {
      if (members.length > 0)
        add("spec.entrypoint.member_id", "spec.entrypoint.member_id must reference a defined member");
    } else {
      entrypoint = {
        member_id: spec.entrypoint.member_id,
        prompt: typeof spec.entrypoint.prompt === "string" ? spec.entrypoint.prompt : "",
      };
    }
  }

  const steps = validateSteps(spec.steps, ids, members.length > 0, add);

  let route: TeamSpec["permissions"]["route"] = "to_leader";
  if (spec.permissions !== undefined) {
    if (!isObj(spec.permissions)) add("spec.permissions", "spec.permissions must be an object");
    else {
      const r = spec.permissions.route ?? "to_leader";
      if (r === "to_human" || r === "to_leader") route = r;
      else if (r === "to_member") {
        const reviewer = spec.permissions.reviewer_member_id;
        const m = members.find((x) => x.member_id === reviewer);
        if (m && m.role === "worker") {
          add(
            "spec.permissions.route",
            "worker-originated permission review cannot route to worker",
            "REVIEW_ROUTE_TO_WORKER",
          );
        } else add("spec.permissions.route", "spec.permissions.route must be one of: to_leader, to_human");
      } else add("spec.permissions.route", "spec.permissions.route must be one of: to_leader, to_human");
    }
  }
  if (route === "to_leader" && members.length > 0 && !leader) {
    add(
      "spec.permissions.route",
      "route=to_leader requires a leader member in spec.members",
      "ROUTE_REQUIRES_LEADER",
    );
  }

  return {
    spec_version: 1,
    ...(leader ? { leader_member_id: leader } : {}),
    members,
    ...(entrypoint ? { entrypoint } : {}),
    ...(steps ? { steps } : {}),
    permissions: { route },
  };
}

function validateSteps(
  raw: unknown,
  ids: ReadonlySet<string>,
  checkMembers: boolean,
  add: (field: string, message: string, code?: ErrorCode) => void,
): StepSpec[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    add("spec.steps", "spec.steps must be an array");
    return undefined;
  }
  const steps: StepSpec[] = [];
  const keys = new Set<string>();
  raw.forEach((s, i) => {
    const field = `spec.steps[${i}]`;
    if (!isObj(s)) {
      add(field, `${field} must be an object`);
      return;
    }
    if (!nonEmpty(s.step_key)) {
      add(`${field}.step_key`, "step_key is required", "STEP_KEY_REQUIRED");
      return;
    }
    const key = s.step_key.trim();
    if (keys.has(key)) add(`${field}.step_key`, `duplicate step_key "${key}"`);
    keys.add(key);
    if (!nonEmpty(s.member_id)) add(`${field}.member_id`, "member_id is required", "MEMBER_ID_REQUIRED");
    else if (checkMembers && !ids.has(s.member_id)) {
      add(`${field}.member_id`, `step "${key}" names undefined member "${s.member_id}"`);
    }
    let deps: string[] = [];
    if (s.depends_on !== undefined) {
      if (!Array.isArray(s.depends_on) || s.depends_on.some((d) => !nonEmpty(d))) {
        add(`${field}.depends_on`, "spec.steps[].depends_on entries must be non-empty strings");
      } else deps = (s.depends_on as string[]).map((d) => d.trim());
    }
    if (
      s.timeout_seconds !== undefined &&
      (typeof s.timeout_seconds !== "number" || s.timeout_seconds <= 0)
    ) {
      add(`${field}.timeout_seconds`, `${field}.timeout_seconds must be a positive number`);
    }
    steps.push({
      step_key: key,
      member_id: typeof s.member_id === "string" ? s.member_id : "",
      prompt: typeof s.prompt === "string" ? s.prompt : "",
      depends_on: deps,
      ...(typeof s.timeout_seconds === "number" ? { timeout_seconds: s.timeout_seconds } : {}),
    });
  });
  steps.forEach((s, i) => {
    for (const d of s.depends_on) {
      if (d === s.step_key) add(`spec.steps[${i}].depends_on`, `step "${s.step_key}" depends on itself`);
      else if (!keys.has(d))
        add(`spec.steps[${i}].depends_on`, `step "${s.step_key}" depends on unknown step "${d}"`);
    }
  });
  const cycle = findCycle(
    steps.map((s) => ({ step_key: s.step_key, depends_on: s.depends_on.filter((d) => d !== s.step_key) })),
  );
  if (cycle) add("spec.steps", `dependency cycle: ${cycle.join(" -> ")}`);
  return steps;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
