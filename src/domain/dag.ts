export interface DagNode {
  step_key: string;
  depends_on?: readonly string[] | undefined;
}

/** A dependency cycle as a closed path (`a -> b -> a`), or null. */
export function findCycle(nodes: readonly DagNode[]): string[] | null {
  const deps = new Map(nodes.map((n) => [n.step_key, n.depends_on ?? []]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
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
    if (c) return c.reverse();
  }
  return null;
}

/** Keys in an order where every step comes after its dependencies (input order among equals). */
export function topologicalOrder(nodes: readonly DagNode[]): string[] {
  const done = new Set<string>();
  const out: string[] = [];
  while (out.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n.step_key) && (n.depends_on ?? []).every((d) => done.has(d)));
    if (!next) throw new Error("dependency cycle");
    done.add(next.step_key);
    out.push(next.step_key);
  }
  return out;
}

/** Steps that can start now: `submitted` with every dependency `completed`. */
export function readySteps<T extends DagNode & { status: string }>(steps: readonly T[]): T[] {
  const status = new Map(steps.map((s) => [s.step_key, s.status]));
  return steps.filter(
    (s) => s.status === "submitted" && (s.depends_on ?? []).every((d) => status.get(d) === "completed"),
  );
}
