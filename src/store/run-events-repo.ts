import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface RunEventRow {
  run_id: string;
  seq: number;
  kind: string;
  step_key: string | null;
  data_json: string;
  created_at: number;
}

/** The append-only event log of a run; `seq` is dense per run and is the pagination cursor. */
export class RunEventsRepo {
  constructor(private readonly db: Database) {}

  append(runId: string, kind: string, stepKey: string | null, data: unknown, now: number): RunEventRow {
    const row = prepareCached(
      this.db,

      `INSERT INTO run_events (run_id, seq, kind, step_key, data_json, created_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = ?), ?, ?, ?, ?)
         RETURNING *`,
    ).get(runId, runId, kind, stepKey, JSON.stringify(data ?? {}), now) as RunEventRow;
    return row;
  }

  page(runId: string, afterSeq: number, limit: number): RunEventRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(runId, afterSeq, limit) as RunEventRow[];
  }
}
