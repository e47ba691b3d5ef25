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
 * Steps that can start now (DAG readiness): `submitted` with every dependency `completed`, in input
 * order. A dependency on a step that does not exist is never satisfied.
 */
export function readySteps<T extends DagNode & { status: string }>(steps: readonly T[]): T[] {
  const status = new Map(steps.map((s) => [s.step_key, s.status]));
  return steps.filter(
    (s) => s.status === "submitted" && (s.depends_on ?? []).every((d) => status.get(d) === "completed"),
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
