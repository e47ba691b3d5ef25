import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

export interface RunRow {
  id: string;
  team_id: string;
  owner_id: string;
  status: string;
  input_json: string;
  spec_json: string;
  idempotency_key: string | null;
  attempt: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface StepRow {
  run_id: string;
  step_key: string;
  member_id: string;
  depends_on_json: string;
  prompt: string;
  input_json: string | null;
  timeout_seconds: number | null;
  position: number;
  status: string;
  attempt: number;
  output: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface RunListFilter {
  teamId: string;
  status?: string | undefined;
  /** Cursor: `created_at:id` of the last row of the previous page. */
  after?: { created_at: number; id: string } | undefined;
  limit: number;
}

export class RunsRepo {
  constructor(private readonly db: Database) {}

  insertRun(r: RunRow): void {
    prepareCached(
      this.db,

      `INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, idempotency_key, attempt,
           error_code, error_message, created_at, updated_at, finished_at)
         VALUES (@id, @team_id, @owner_id, @status, @input_json, @spec_json, @idempotency_key, @attempt,
           @error_code, @error_message, @created_at, @updated_at, @finished_at)`,
    ).run(r);
  }

  run(id: string): RunRow | undefined {
    return prepareCached(this.db, "SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
  }

  byIdempotencyKey(teamId: string, key: string): RunRow | undefined {
    return prepareCached(this.db, "SELECT * FROM runs WHERE team_id = ? AND idempotency_key = ?").get(
      teamId,
      key,
    ) as RunRow | undefined;
  }

  list(f: RunListFilter): RunRow[] {
    const where = ["team_id = @teamId"];
    if (f.status) where.push("status = @status");
    if (f.after) where.push("(created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))");
    return prepareCached(
      this.db,
      `SELECT * FROM runs WHERE ${where.join(" AND ")} ORDER BY created_at, id LIMIT @limit`,
    ).all({
      teamId: f.teamId,
      status: f.status ?? null,
      afterAt: f.after?.created_at ?? null,
      afterId: f.after?.id ?? null,
      limit: f.limit,
    }) as RunRow[];
  }

  updateRun(
    id: string,
    fields: Partial<Pick<RunRow, "status" | "error_code" | "error_message" | "finished_at" | "attempt">>,
    now: number,
  ): void {
    updateFields(this.db, "runs", "id = @id", fields, { now, id });
  }

  insertStep(s: StepRow): void {
    prepareCached(
      this.db,

      `INSERT INTO steps (run_id, step_key, member_id, depends_on_json, prompt, input_json, timeout_seconds, position,
           status, attempt, output, error_code, error_message, created_at, updated_at, started_at, finished_at)
         VALUES (@run_id, @step_key, @member_id, @depends_on_json, @prompt, @input_json, @timeout_seconds, @position,
           @status, @attempt, @output, @error_code, @error_message, @created_at, @updated_at, @started_at, @finished_at)`,
    ).run(s);
  }

  steps(runId: string): StepRow[] {
    return prepareCached(this.db, "SELECT * FROM steps WHERE run_id = ? ORDER BY position").all(
      runId,
    ) as StepRow[];
  }

  /** The distinct statuses of a run's steps (all a run's derived status depends on). */
  stepStatuses(runId: string): string[] {
    return (
      prepareCached(this.db, "SELECT DISTINCT status FROM steps WHERE run_id = ?").all(runId) as {
        status: string;
      }[]
    ).map((r) => r.status);
  }

  step(runId: string, stepKey: string): StepRow | undefined {
    return prepareCached(this.db, "SELECT * FROM steps WHERE run_id = ? AND step_key = ?").get(
      runId,
      stepKey,
    ) as StepRow | undefined;
  }

  updateStep(
    runId: string,
    stepKey: string,
    fields: Partial<
      Pick<
        StepRow,
        | "status"
        | "output"
        | "error_code"
        | "error_message"
        | "started_at"
        | "finished_at"
        | "attempt"
        | "input_json"
      >
    >,
    now: number,
  ): void {
    updateFields(this.db, "steps", "run_id = @runId AND step_key = @stepKey", fields, {
      now,
      runId,
      stepKey,
    });
  }

  /** Keeps a finished attempt's outcome before the step is reset for a new one. */
  archiveAttempt(s: StepRow): void {
    prepareCached(
      this.db,

      `INSERT OR REPLACE INTO step_attempts (run_id, step_key, attempt, status, output, error_code, error_message,
           started_at, finished_at)
         VALUES (@run_id, @step_key, @attempt, @status, @output, @error_code, @error_message, @started_at, @finished_at)`,
    ).run(s);
  }

  attempts(runId: string, stepKey: string): Record<string, unknown>[] {
    return prepareCached(
      this.db,
      "SELECT * FROM step_attempts WHERE run_id = ? AND step_key = ? ORDER BY attempt",
    ).all(runId, stepKey) as Record<string, unknown>[];
  }

  /** Runs still in flight (used at start-up to resume execution). */
  activeRuns(): RunRow[] {
    return prepareCached(
      this.db,

      "SELECT * FROM runs WHERE status NOT IN ('completed', 'failed', 'canceled') ORDER BY created_at",
    ).all() as RunRow[];
  }
}
