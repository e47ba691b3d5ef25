import type { TeamSpec } from "../domain/team-spec.js";

/** Runs whose decoded spec is kept (most recently stored first out). */
const MAX_RUNS = 256;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A run's spec is written once (the team's spec when the run was created) and read at every step of
 * the run's life: a spec of many steps, parsed at each read, made the engine quadratic in the step
 * count. The decoded spec is kept per run and handed out frozen (every reader shares it); it is
 * parsed again only if the stored text is not the text it was decoded from.
 */
export class RunSpecCache {
  private readonly specs = new Map<string, { json: string; spec: TeamSpec }>();

  decode(runId: string, json: string): TeamSpec {
    const hit = this.specs.get(runId);
    if (hit && hit.json === json) return hit.spec;
    const spec = deepFreeze(JSON.parse(json) as TeamSpec);
    this.specs.delete(runId);
    this.specs.set(runId, { json, spec });
    if (this.specs.size > MAX_RUNS) this.specs.delete(this.specs.keys().next().value!);
    return spec;
  }
}
