import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** Deletes old history in bounded batches so a large cleanup never holds the write lock for long. */
export class HistoryRepo {
  constructor(private readonly db: Database) {}

  /** Events of runs that finished before `cutoff`; returns rows deleted in this batch. */
  deleteFinishedRunEvents(cutoff: number, batch: number): number {
    return prepareCached(
      this.db,

      `DELETE FROM run_events WHERE (run_id, seq) IN (
           SELECT e.run_id, e.seq FROM run_events e JOIN runs r ON r.id = e.run_id
           WHERE r.finished_at IS NOT NULL AND r.finished_at < ? LIMIT ?)`,
    ).run(cutoff, batch).changes;
  }

  /** Agent events recorded before `cutoff`. */
  deleteAgentEvents(cutoff: number, batch: number): number {
    return prepareCached(
      this.db,

      "DELETE FROM agent_events WHERE (agent_id, seq) IN (SELECT agent_id, seq FROM agent_events WHERE created_at < ? LIMIT ?)",
    ).run(cutoff, batch).changes;
  }

  vacuum(): void {
    this.db.exec("VACUUM");
  }
}
