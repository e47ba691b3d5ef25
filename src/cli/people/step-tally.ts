import type { RunEvent } from "./hub-types.js";

/**
 * Progress as of each event of a run's log, replayed in order: every step starts unfinished, and each
 * `step.<status>` event (`step.completed`, `step.resumed`, `step.restarted`, …) moves its step; a
 * step added to the run (`step.added`) counts from then on.
 */
export class StepTally {
  private readonly completed = new Set<string>();
  private readonly keys: Set<string>;

  constructor(stepKeys: readonly string[]) {
    this.keys = new Set(stepKeys);
  }

  apply(e: RunEvent): void {
    if (!e.step_key || !e.kind.startsWith("step.")) return;
    if (e.kind === "step.added") this.keys.add(e.step_key);
    // Events that do not move a step (a warning, a dispatch) leave it as it was.
    if (e.kind === "step.warning" || e.kind === "step.dispatched" || e.kind === "step.added") return;
    if (e.kind === "step.completed") this.completed.add(e.step_key);
    else this.completed.delete(e.step_key);
  }

  progress(): string {
    return `${this.completed.size}/${this.keys.size} steps`;
  }
}
