import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** One entry of a run's event log, decoded. */
export interface RunEvent {
  run_id: string;
  seq: number;
  kind: string;
  step_key: string | null;
  data: unknown;
  created_at: number;
}

interface RunEventRow extends Omit<RunEvent, "data"> {
  data_json: string;
}

function decode(r: RunEventRow): RunEvent {
  const { data_json, ...rest } = r;
  return { ...rest, data: JSON.parse(data_json) as unknown };
}

/** The append-only event log of a run; `seq` is dense per run and is the pagination cursor. */
export class RunEventsRepo {
  constructor(private readonly db: Database) {}

  append(runId: string, kind: string, stepKey: string | null, data: unknown, now: number): RunEvent {
    const row = prepareCached(
      this.db,

      `INSERT INTO run_events (run_id, seq, kind, step_key, data_json, created_at)
         VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = ?), ?, ?, ?, ?)
         RETURNING *`,
    ).get(runId, runId, kind, stepKey, JSON.stringify(data ?? {}), now) as RunEventRow;
    return { run_id: row.run_id, seq: row.seq, kind, step_key: stepKey, data: data ?? {}, created_at: now };
  }

  page(runId: string, afterSeq: number, limit: number): RunEvent[] {
    const rows = prepareCached(
      this.db,
      "SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(runId, afterSeq, limit) as RunEventRow[];
    return rows.map(decode);
  }
}
