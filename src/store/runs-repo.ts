import type { RunStatus, StepStatus } from "../domain/run-state.js";
import type { StepFailureCode } from "../domain/step-failure.js";
import { decodeWarnings, type StepWarning } from "../domain/step-outcome.js";
import type { TeamSpec } from "../domain/team-spec.js";
import type { Database } from "./database.js";
import { RunSpecCache } from "./run-spec-cache.js";
import { prepareCached, updateFields } from "./statement-cache.js";

/** A run as the hub works with it: JSON columns decoded, statuses typed. */
export interface Run {
  id: string;
  team_id: string;
  owner_id: string;
  status: RunStatus;
  /** The run's input as submitted (any JSON value; null when none was given). */
  input: unknown;
  /** The team's spec as it was when the run was created (a run never sees later edits). */
  spec: TeamSpec;
  idempotency_key: string | null;
  /** Hash of the creating request (Idempotency-Key reuse with another body is refused); null before migration 5. */
  request_hash: string | null;
  attempt: number;
  error_code: StepFailureCode | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** One step of a run (its current attempt). */
export interface Step {
  run_id: string;
  step_key: string;
  member_id: string;
  depends_on: string[];
  prompt: string;
  /** The step's own input; undefined when it has none (the run's input applies). */
  input: unknown;
  timeout_seconds: number | null;
  position: number;
  status: StepStatus;
  attempt: number;
  output: string | null;
  error_code: StepFailureCode | null;
  error_message: string | null;
  /** What the step went on without (denied or timed-out permissions, an empty reply); [] when none. */
  warnings: StepWarning[];
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface RunRow extends Omit<Run, "input" | "spec" | "status"> {
  status: string;
  input_json: string;
  spec_json: string;
}

interface StepRow extends Omit<Step, "depends_on" | "input" | "status" | "warnings"> {
  status: string;
  depends_on_json: string;
  input_json: string | null;
  warnings_json?: string | undefined;
}

function decodeRun(r: RunRow | undefined, specs: RunSpecCache): Run | undefined {
  if (!r) return undefined;
  const { input_json, spec_json, status, ...rest } = r;
  return {
    ...rest,
    status: status as RunStatus,
    input: JSON.parse(input_json) as unknown,
    spec: specs.decode(r.id, spec_json),
  };
}

/** One spec cache per database (every repository of it shares the decoded specs). */
const specCaches = new WeakMap<Database, RunSpecCache>();

function decodeStep(s: StepRow | undefined): Step | undefined {
  if (!s) return undefined;
  const { depends_on_json, input_json, status, warnings_json, ...rest } = s;
  return {
    ...rest,
    status: status as StepStatus,
    depends_on: JSON.parse(depends_on_json) as string[],
    input: input_json === null ? undefined : (JSON.parse(input_json) as unknown),
    warnings: decodeWarnings(warnings_json),
  };
}

function encodeRun(r: Run): RunRow {
  const { input, spec, ...rest } = r;
  return { ...rest, input_json: JSON.stringify(input ?? null), spec_json: JSON.stringify(spec) };
}

function encodeStep(s: Step): StepRow {
  const { depends_on, input, warnings, ...rest } = s;
  return {
    ...rest,
    depends_on_json: JSON.stringify(depends_on),
    input_json: input === undefined ? null : JSON.stringify(input),
    warnings_json: JSON.stringify(warnings),
  };
}

export interface RunListFilter {
  teamId: string;
  status?: RunStatus | undefined;
  /** Cursor: `created_at:id` of the last row of the previous page. */
  after?: { created_at: number; id: string } | undefined;
  limit: number;
}

/** A finished attempt of a step, kept when the step is reset for a new one. */
export interface StepAttempt {
  run_id: string;
  step_key: string;
  attempt: number;
  status: StepStatus;
  output: string | null;
  error_code: StepFailureCode | null;
  error_message: string | null;
  started_at: number | null;
  finished_at: number | null;
}

export class RunsRepo {
  private readonly specs: RunSpecCache;

  constructor(private readonly db: Database) {
    let specs = specCaches.get(db);
    if (!specs) {
      specs = new RunSpecCache();
      specCaches.set(db, specs);
    }
    this.specs = specs;
  }

  insertRun(r: Run): void {
    prepareCached(
      this.db,

      `INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, idempotency_key, request_hash, attempt,
           error_code, error_message, created_at, updated_at, finished_at)
         VALUES (@id, @team_id, @owner_id, @status, @input_json, @spec_json, @idempotency_key, @request_hash, @attempt,
           @error_code, @error_message, @created_at, @updated_at, @finished_at)`,
    ).run(encodeRun(r));
  }

  run(id: string): Run | undefined {
    return decodeRun(
      prepareCached(this.db, "SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined,
      this.specs,
    );
  }

  byIdempotencyKey(teamId: string, key: string): Run | undefined {
    return decodeRun(
      prepareCached(this.db, "SELECT * FROM runs WHERE team_id = ? AND idempotency_key = ?").get(
        teamId,
        key,
      ) as RunRow | undefined,
      this.specs,
    );
  }

  list(f: RunListFilter): Run[] {
    const where = ["team_id = @teamId"];
    if (f.status) where.push("status = @status");
    if (f.after) where.push("(created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))");
    const rows = prepareCached(
      this.db,
      `SELECT * FROM runs WHERE ${where.join(" AND ")} ORDER BY created_at, id LIMIT @limit`,
    ).all({
      teamId: f.teamId,
      status: f.status ?? null,
      afterAt: f.after?.created_at ?? null,
      afterId: f.after?.id ?? null,
      limit: f.limit,
    }) as RunRow[];
    return rows.map((r) => decodeRun(r, this.specs)!);
  }

  updateRun(
    id: string,
    fields: Partial<Pick<Run, "status" | "error_code" | "error_message" | "finished_at" | "attempt">>,
    now: number,
  ): void {
    updateFields(this.db, "runs", "id = @id", fields, { now, id });
  }

  insertStep(s: Step): void {
    prepareCached(
      this.db,

      `INSERT INTO steps (run_id, step_key, member_id, depends_on_json, prompt, input_json, timeout_seconds, position,
           status, attempt, output, error_code, error_message, warnings_json, created_at, updated_at, started_at, finished_at)
         VALUES (@run_id, @step_key, @member_id, @depends_on_json, @prompt, @input_json, @timeout_seconds, @position,
           @status, @attempt, @output, @error_code, @error_message, @warnings_json, @created_at, @updated_at, @started_at,
           @finished_at)`,
    ).run(encodeStep(s));
  }

  steps(runId: string): Step[] {
    const rows = prepareCached(this.db, "SELECT * FROM steps WHERE run_id = ? ORDER BY position").all(
      runId,
    ) as StepRow[];
    return rows.map((s) => decodeStep(s)!);
  }

  /** The distinct statuses of a run's steps (all a run's derived status depends on). */
  stepStatuses(runId: string): StepStatus[] {
    return (
      prepareCached(this.db, "SELECT DISTINCT status FROM steps WHERE run_id = ?").all(runId) as {
        status: StepStatus;
      }[]
    ).map((r) => r.status);
  }

  step(runId: string, stepKey: string): Step | undefined {
    return decodeStep(
      prepareCached(this.db, "SELECT * FROM steps WHERE run_id = ? AND step_key = ?").get(runId, stepKey) as
        | StepRow
        | undefined,
    );
  }

  updateStep(
    runId: string,
    stepKey: string,
    fields: Partial<
      Pick<
        Step,
        "status" | "output" | "error_code" | "error_message" | "started_at" | "finished_at" | "attempt"
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

  /** Appends a warning to the step's current attempt. */
  addStepWarning(runId: string, stepKey: string, w: StepWarning, now: number): void {
    prepareCached(
      this.db,
      `UPDATE steps SET warnings_json = json_insert(warnings_json, '$[#]', json(?)), updated_at = ?
         WHERE run_id = ? AND step_key = ?`,
    ).run(JSON.stringify(w), now, runId, stepKey);
  }

  /** A new attempt starts without the previous one's warnings. */
  clearStepWarnings(runId: string, stepKey: string, now: number): void {
    prepareCached(
      this.db,
      "UPDATE steps SET warnings_json = '[]', updated_at = ? WHERE run_id = ? AND step_key = ?",
    ).run(now, runId, stepKey);
  }

  /** Keeps a finished attempt's outcome before the step is reset for a new one. */
  archiveAttempt(s: Step): void {
    const a: StepAttempt = {
      run_id: s.run_id,
      step_key: s.step_key,
      attempt: s.attempt,
      status: s.status,
      output: s.output,
      error_code: s.error_code,
      error_message: s.error_message,
      started_at: s.started_at,
      finished_at: s.finished_at,
    };
    prepareCached(
      this.db,

      `INSERT OR REPLACE INTO step_attempts (run_id, step_key, attempt, status, output, error_code, error_message,
           started_at, finished_at)
         VALUES (@run_id, @step_key, @attempt, @status, @output, @error_code, @error_message, @started_at, @finished_at)`,
    ).run(a);
  }

  attempts(runId: string, stepKey: string): StepAttempt[] {
    return prepareCached(
      this.db,
      `SELECT run_id, step_key, attempt, status, output, error_code, error_message, started_at, finished_at
         FROM step_attempts WHERE run_id = ? AND step_key = ? ORDER BY attempt`,
    ).all(runId, stepKey) as StepAttempt[];
  }

  /**
   * Runs that are in flight or have a step that did not finish (a finished run can hold one a crash
   * stranded): what the executor recovers at start-up, oldest first.
   */
  runsToRecover(): Run[] {
    const rows = prepareCached(
      this.db,
      `SELECT * FROM runs r WHERE r.status NOT IN ('completed', 'failed', 'canceled')
          OR EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id
                     AND s.status NOT IN ('completed', 'failed', 'canceled', 'submitted'))
        ORDER BY created_at`,
    ).all() as RunRow[];
    return rows.map((r) => decodeRun(r, this.specs)!);
  }

  /** Steps in one status across every run, oldest change first (e.g. what waits for input). */
  stepsWithStatus(status: StepStatus): Step[] {
    const rows = prepareCached(
      this.db,
      "SELECT * FROM steps WHERE status = ? ORDER BY updated_at, run_id, position",
    ).all(status) as StepRow[];
    return rows.map((s) => decodeStep(s)!);
  }

  /** Runs that ended in `status` at or after `since` (ms), newest first. */
  finishedSince(status: RunStatus, since: number): Run[] {
    const rows = prepareCached(
      this.db,
      "SELECT * FROM runs WHERE status = ? AND finished_at >= ? ORDER BY finished_at DESC, id",
    ).all(status, since) as RunRow[];
    return rows.map((r) => decodeRun(r, this.specs)!);
  }

  /**
   * The ids of a team's runs, not completed, where `memberId` has a step not completed (work a resume
   * or the run itself still gives it), newest change first, at most `limit`.
   */
  runsWithMemberWork(teamId: string, memberId: string, limit: number): string[] {
    return prepareCached(
      this.db,
      `SELECT r.id FROM runs r WHERE r.team_id = ? AND r.status <> 'completed'
          AND EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id AND s.member_id = ? AND s.status <> 'completed')
        ORDER BY r.updated_at DESC, r.id LIMIT ?`,
    )
      .pluck()
      .all(teamId, memberId, limit) as string[];
  }

  /** Runs still in flight (used at start-up to resume execution). */
  activeRuns(): Run[] {
    const rows = prepareCached(
      this.db,

      "SELECT * FROM runs WHERE status NOT IN ('completed', 'failed', 'canceled') ORDER BY created_at",
    ).all() as RunRow[];
    return rows.map((r) => decodeRun(r, this.specs)!);
  }
}
