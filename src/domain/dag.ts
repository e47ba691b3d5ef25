import { AppError } from "../errors/registry.js";

export interface DagNode {
  step_key: string;
  depends_on?: readonly string[] | undefined;
}

/** Statuses by step key; a Map or a plain record. */
export type StatusLookup = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/**
 * A dependency cycle as a closed path in depends-on direction (`a -> b -> a` reads "a depends on
 * b, b depends on a"), starting at the first cycle member met in input order; or null.
 * References to unknown steps are ignored here (validation reports them separately).
 */
export function findCycle(nodes: readonly DagNode[]): string[] | null {
  const deps = new Map(nodes.map((n) => [n.step_key, n.depends_on ?? []]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  // Iterative DFS would avoid deep recursion, but specs are small (tens of steps).
  const visit = (key: string): string[] | null => {
    const st = state.get(key);
    if (st === "done") return null;
    if (st === "visiting") return [...stack.slice(stack.indexOf(key)), key];
    state.set(key, "visiting");
    stack.push(key);
    for (const d of deps.get(key) ?? []) {
      if (!deps.has(d)) continue;
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(key, "done");
    return null;
  };
  for (const n of nodes) {
    const c = visit(n.step_key);
    if (c) return c;
  }
  return null;
}

/**
 * Keys in an order where every step comes after its dependencies; among steps that are ready at
 * the same time, input order wins (so the order is deterministic and reads like the spec).
 * Throws SPEC_INVALID naming a duplicate key, an unknown dependency or the cycle.
 */
export function topologicalOrder(nodes: readonly DagNode[]): string[] {
  const keys = new Set<string>();
  for (const n of nodes) {
    if (keys.has(n.step_key)) {
      throw new AppError(
        "SPEC_INVALID",
        { step_key: n.step_key },
        { message: `duplicate step_key "${n.step_key}"` },
      );
    }
    keys.add(n.step_key);
  }
  for (const n of nodes) {
    const unknown = (n.depends_on ?? []).find((d) => !keys.has(d));
    if (unknown !== undefined) {
      throw new AppError(
        "SPEC_INVALID",
        { step_key: n.step_key, depends_on: unknown },
        { message: `step "${n.step_key}" depends on unknown step "${unknown}"` },
      );
    }
  }
  const cycle = findCycle(nodes);
  if (cycle) {
    throw new AppError("SPEC_INVALID", { cycle }, { message: `dependency cycle: ${cycle.join(" -> ")}` });
  }
  const done = new Set<string>();
  const out: string[] = [];
  // Repeated passes in input order: O(n^2) worst case, fine for spec-sized graphs.
  while (out.length < nodes.length) {
    for (const n of nodes) {
      if (done.has(n.step_key)) continue;
      if ((n.depends_on ?? []).every((d) => done.has(d))) {
        done.add(n.step_key);
        out.push(n.step_key);
        break;
      }
    }
  }
  return out;
}

/**
 * Steps that can start now: `submitted` with every dependency `completed`. Statuses come from
 * `statuses` when given, else from each step's own `status` field. A dependency on a step that
 * does not exist is never satisfied.
 */
export function readySteps<T extends DagNode & { status?: string }>(
  steps: readonly T[],
  statuses?: StatusLookup,
): T[] {
  const own = new Map(steps.map((s) => [s.step_key, s.status]));
  const statusOf = (key: string): string | undefined =>
    statuses === undefined ? own.get(key) : lookup(statuses, key);
  return steps.filter(
    (s) =>
      statusOf(s.step_key) === "submitted" && (s.depends_on ?? []).every((d) => statusOf(d) === "completed"),
  );
}

/** The step's dependencies that have not completed (a dependency on an unknown step never has). */
export function unmetDependencies(step: DagNode, statuses: StatusLookup): string[] {
  return (step.depends_on ?? []).filter((d) => lookup(statuses, d) !== "completed");
}

function lookup(statuses: StatusLookup, key: string): string | undefined {
  if (statuses instanceof Map) return statuses.get(key);
  const rec = statuses as Readonly<Record<string, string>>;
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}
