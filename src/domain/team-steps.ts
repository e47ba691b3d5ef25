import { findCycle } from "./dag.js";
import { ID_PATTERN, ID_RULE, isNonEmptyString, isObject, type ProblemList } from "./problem-list.js";
import { refuseUnknownKeys, SPEC_KEYS } from "./spec-keys.js";
import type { StepSpec } from "./team-spec.js";

/**
 * Parses spec.steps (absent is fine: the run then uses the entrypoint). Checks keys, members,
 * dependency references, self-dependencies and cycles. `memberIds` null means the members were
 * unusable, so member references are not judged (that problem is already reported).
 */
export function parseSteps(
  raw: unknown,
  memberIds: ReadonlySet<string> | null,
  p: ProblemList,
): StepSpec[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    p.add("spec.steps", "spec.steps must be an array");
    return undefined;
  }
  const steps: StepSpec[] = [];
  const at: number[] = []; // spec index of each parsed step, for field names
  const indexOf = new Map<string, number>();
  raw.forEach((s, i) => {
    const field = `spec.steps[${i}]`;
    if (!isObject(s)) {
      p.add(field, `${field} must be an object`);
      return;
    }
    refuseUnknownKeys(s, SPEC_KEYS.step, field, p);
    if (!isNonEmptyString(s.step_key)) {
      p.add(`${field}.step_key`, "step_key is required", "STEP_KEY_REQUIRED");
      return;
    }
    const key = s.step_key;
    if (!ID_PATTERN.test(key)) p.add(`${field}.step_key`, `${field}.step_key ${ID_RULE}`);
    if (indexOf.has(key)) p.add(`${field}.step_key`, `duplicate step_key "${key}"`);
    else indexOf.set(key, i);
    if (!isNonEmptyString(s.member_id)) {
      p.add(`${field}.member_id`, "spec.steps[].member_id is required");
    } else if (memberIds && !memberIds.has(s.member_id)) {
      p.add(`${field}.member_id`, `step "${key}" names undefined member "${s.member_id}"`);
    }
    if (s.prompt !== undefined && typeof s.prompt !== "string") {
      p.add(`${field}.prompt`, `${field}.prompt must be a string`);
    }
    let deps: string[] = [];
    if (s.depends_on !== undefined) {
      if (!Array.isArray(s.depends_on) || !s.depends_on.every(isNonEmptyString)) {
        p.add(`${field}.depends_on`, "spec.steps[].depends_on entries must be non-empty strings");
      } else deps = [...new Set(s.depends_on)];
    }
    const timeout = s.timeout_seconds;
    if (timeout !== undefined && (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0)) {
      p.add(`${field}.timeout_seconds`, `${field}.timeout_seconds must be a positive number`);
    }
    at.push(i);
    steps.push({
      step_key: key,
      member_id: typeof s.member_id === "string" ? s.member_id : "",
      prompt: typeof s.prompt === "string" ? s.prompt : "",
      depends_on: deps,
      ...(typeof timeout === "number" && timeout > 0 ? { timeout_seconds: timeout } : {}),
    });
  });
  checkDependencies(steps, at, new Set(indexOf.keys()), p);
  return steps;
}

function checkDependencies(
  steps: readonly StepSpec[],
  at: readonly number[],
  keys: ReadonlySet<string>,
  p: ProblemList,
): void {
  steps.forEach((s, n) => {
    const field = `spec.steps[${at[n]}].depends_on`;
    for (const d of s.depends_on) {
      if (d === s.step_key) p.add(field, `step "${s.step_key}" depends on itself`);
      else if (!keys.has(d)) p.add(field, `step "${s.step_key}" depends on unknown step "${d}"`);
    }
  });
  // Self-dependencies are reported above; leave them out so the cycle message names a real loop.
  const cycle = findCycle(
    steps.map((s) => ({ step_key: s.step_key, depends_on: s.depends_on.filter((d) => d !== s.step_key) })),
  );
  if (cycle) p.add("spec.steps", `dependency cycle: ${cycle.join(" -> ")}`);
}
