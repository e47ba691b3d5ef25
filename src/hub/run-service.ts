import { EventEmitter } from "node:events";
import {
  assertCanRestart,
  assertCanResume,
  assertStepTransition,
  deriveRunStatus,
  isTerminal,
  planRestart,
  planRunSteps,
  type RunStatus,
  type StepStatus,
} from "../domain/run-state.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { RunEventsRepo } from "../store/run-events-repo.js";
import { type RunRow, RunsRepo, type StepRow } from "../store/runs-repo.js";
import type { TeamsRepo } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { assertTeamVisible, iso, parseJson } from "./access.js";
import type { Principal } from "./auth-service.js";

export const STEP_FAILURE_CODES = [
  "EXECUTION_TIMEOUT",
  "CANCELLED",
  "AGENT_EXITED",
  "NODE_UNREACHABLE",
  "WORKSPACE_ERROR",
  "PERMISSION_DENIED",
  "STEP_FAILED",
] as const;

export interface StepView {
  step_key: string;
  member_id: string;
  depends_on: string[];
  prompt: string;
  input: unknown;
  status: string;
  attempt: number;
  output: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface RunView {
  id: string;
  team_id: string;
  status: string;
  input: unknown;
  attempt: number;
  error: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  steps?: StepView[];
}

export function stepView(s: StepRow): StepView {
  return {
    step_key: s.step_key,
    member_id: s.member_id,
    depends_on: JSON.parse(s.depends_on_json) as string[],
    prompt: s.prompt,
    input: parseJson(s.input_json),
    status: s.status,
    attempt: s.attempt,
    output: s.output,
    error: s.error_code ? { code: s.error_code, message: s.error_message ?? "" } : null,
    created_at: iso(s.created_at)!,
    started_at: iso(s.started_at),
    finished_at: iso(s.finished_at),
  };
}

export function runView(r: RunRow, steps?: StepRow[]): RunView {
  const v: RunView = {
    id: r.id,
    team_id: r.team_id,
    status: r.status,
    input: parseJson(r.input_json),
    attempt: r.attempt,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? "" } : null,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
    finished_at: iso(r.finished_at),
  };
  if (steps) v.steps = steps.map(stepView);
  return v;
}

export interface RunServiceEvents {
  /** Something about the run changed (steps became ready, finished, the run was canceled...). */
  changed: [runId: string];
}

type Actor = { kind: "user"; principal: Principal } | { kind: "system" };

/**
 * Runs and their steps: creation from a spec snapshot, the step state machine, run status derived
 * from steps, cancel/resume/restart, and the run's append-only event log. All writes of one
 * operation happen in one transaction with their events.
 */
export class RunService extends EventEmitter<RunServiceEvents> {
  readonly runs: RunsRepo;
  readonly events: RunEventsRepo;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly teams: TeamsRepo,
  ) {
    super();
    this.runs = new RunsRepo(db);
    this.events = new RunEventsRepo(db);
  }

  // ---- access ----

  /** The run, if the principal may see its team; otherwise `run not found`. */
  visibleRun(p: Principal, runId: string): RunRow {
    const run = this.runs.run(runId);
    if (!run) throw new AppError("RUN_NOT_FOUND");
    const team = this.teams.byId(run.team_id);
    if (!team || (!p.is_root && team.owner_id !== p.user_id)) throw new AppError("RUN_NOT_FOUND");
    return run;
  }

  /** The newest unfinished run of a team (team-scoped actor tokens act in it by default). */
  latestActiveRun(teamId: string): RunRow | undefined {
    return this.runs
      .activeRuns()
      .filter((r) => r.team_id === teamId)
      .at(-1);
  }

  runRow(runId: string): RunRow {
    const run = this.runs.run(runId);
    if (!run) throw new AppError("RUN_NOT_FOUND");
    return run;
  }

  spec(run: RunRow): TeamSpec {
    return JSON.parse(run.spec_json) as TeamSpec;
  }

  // ---- runs ----

  create(
    p: Principal,
    teamId: string,
    body: Record<string, unknown>,
    idempotencyKey: string | undefined,
  ): { run: RunView; created: boolean } {
    const team = assertTeamVisible(p, this.teams.byId(teamId));
    const spec = JSON.parse(team.spec_json) as TeamSpec;
    const planned = planRunSteps(spec);
    const now = this.clock.now();
    const result = this.db.transaction(() => {
      if (idempotencyKey) {
        const existing = this.runs.byIdempotencyKey(teamId, idempotencyKey);
        if (existing) return { row: existing, created: false };
      }
      const row: RunRow = {
        id: newId("run"),
        team_id: teamId,
        owner_id: p.user_id,
        status: "submitted",
        input_json: JSON.stringify(body.input ?? null),
        spec_json: team.spec_json,
        idempotency_key: idempotencyKey ?? null,
        attempt: 1,
        error_code: null,
        error_message: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      this.runs.insertRun(row);
      planned.forEach((s, i) => {
        this.runs.insertStep(this.newStepRow(row.id, s, i, now));
      });
      this.events.append(row.id, "run.created", null, { steps: planned.map((s) => s.step_key) }, now);
      return { row, created: true };
    })();
    if (result.created) this.emit("changed", result.row.id);
    return { run: runView(result.row, this.runs.steps(result.row.id)), created: result.created };
  }

  private newStepRow(
    runId: string,
    s: {
      step_key: string;
      member_id: string;
      depends_on?: readonly string[];
      prompt?: string;
      timeout_seconds?: number;
    },
    position: number,
    now: number,
    input?: unknown,
  ): StepRow {
    return {
      run_id: runId,
      step_key: s.step_key,
      member_id: s.member_id,
      depends_on_json: JSON.stringify(s.depends_on ?? []),
      prompt: s.prompt ?? "",
      input_json: input === undefined ? null : JSON.stringify(input),
      timeout_seconds: s.timeout_seconds ?? null,
      position,
      status: "submitted",
      attempt: 1,
      output: null,
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
    };
  }

  list(
    p: Principal,
    teamId: string,
    q: { status?: string | undefined; limit?: string | undefined; cursor?: string | undefined },
  ): { runs: RunView[]; next_cursor: string | null } {
    assertTeamVisible(p, this.teams.byId(teamId));
    const limit = clampLimit(q.limit);
    let after: { created_at: number; id: string } | undefined;
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, "base64url").toString().split(":");
      if (!at || !id || Number.isNaN(Number(at))) {
        throw new AppError("BAD_REQUEST", undefined, { message: "cursor is invalid" });
      }
      after = { created_at: Number(at), id };
    }
    const rows = this.runs.list({ teamId, status: q.status, after, limit });
    const last = rows.at(-1);
    return {
      runs: rows.map((r) => runView(r)),
      next_cursor:
        rows.length === limit && last
          ? Buffer.from(`${last.created_at}:${last.id}`).toString("base64url")
          : null,
    };
  }

  get(p: Principal, runId: string): RunView {
    const run = this.visibleRun(p, runId);
    return runView(run, this.runs.steps(runId));
  }

  cancel(actor: Actor, runId: string, reason = "canceled by user"): RunView {
    const run = this.actorRun(actor, runId);
    if (isTerminal(run.status as RunStatus)) {
      throw new AppError(
        "ILLEGAL_TRANSITION",
        { status: run.status },
        { message: `run is already ${run.status}` },
      );
    }
    const now = this.clock.now();
    this.db.transaction(() => {
      this.cancelOpenSteps(runId, reason, now);
      this.runs.updateRun(
        runId,
        { status: "canceled", error_code: "CANCELLED", error_message: reason, finished_at: now },
        now,
      );
      this.events.append(runId, "run.canceled", null, { reason, by: actorName(actor) }, now);
    })();
    this.emit("changed", runId);
    return this.view(runId);
  }

  /**
   * After a run failed: its other unfinished steps are canceled (their turns are stopped by the
   * executor), so a resume retries them instead of leaving them `working` with no turn behind them.
   */
  cancelUnfinishedSteps(runId: string, reason: string): string[] {
    const canceled = this.db.transaction(() => this.cancelOpenSteps(runId, reason, this.clock.now()))();
    if (canceled.length > 0) this.emit("changed", runId);
    return canceled;
  }

  /** Cancels every unfinished step of a run (inside the caller's transaction); returns their keys. */
  private cancelOpenSteps(runId: string, reason: string, now: number): string[] {
    const keys: string[] = [];
    for (const s of this.runs.steps(runId)) {
      if (isTerminal(s.status as StepStatus)) continue;
      this.runs.updateStep(
        runId,
        s.step_key,
        { status: "canceled", error_code: "CANCELLED", error_message: reason, finished_at: now },
        now,
      );
      this.events.append(runId, "step.canceled", s.step_key, { reason }, now);
      keys.push(s.step_key);
    }
    return keys;
  }

  /** Continues a paused, failed or canceled run where it stopped (failed/canceled steps are retried). */
  resume(actor: Actor, runId: string): RunView {
    const run = this.actorRun(actor, runId);
    assertCanResume(run.status as RunStatus);
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const s of this.runs.steps(runId)) {
        if (s.status === "failed" || s.status === "canceled") this.resetStep(s, now, "step.retried");
        else if (s.status === "input_required") {
          this.runs.updateStep(runId, s.step_key, { status: "working" }, now);
          this.events.append(runId, "step.resumed", s.step_key, {}, now);
        }
      }
      this.events.append(runId, "run.resumed", null, { by: actorName(actor) }, now);
      this.runs.updateRun(runId, { error_code: null, error_message: null, finished_at: null }, now);
      this.refreshRunStatus(runId, now);
    })();
    this.emit("changed", runId);
    return this.view(runId);
  }

  /** A new attempt of the unfinished (default) or all steps; earlier attempts stay in the history. */
  restart(actor: Actor, runId: string, body: Record<string, unknown>): RunView {
    const run = this.actorRun(actor, runId);
    const mode = body.mode ?? "unfinished";
    if (mode !== "unfinished" && mode !== "all") {
      throw new AppError("BAD_REQUEST", undefined, { message: "mode must be one of: unfinished, all" });
    }
    assertCanRestart(run.status as RunStatus);
    const now = this.clock.now();
    this.db.transaction(() => {
      const steps = this.runs.steps(runId);
      const keys = new Set(
        planRestart(
          steps.map((s) => ({ step_key: s.step_key, status: s.status as StepStatus })),
          mode,
        ),
      );
      for (const s of steps) if (keys.has(s.step_key)) this.resetStep(s, now, "step.restarted");
      this.runs.updateRun(
        runId,
        { attempt: run.attempt + 1, error_code: null, error_message: null, finished_at: null },
        now,
      );
      this.events.append(
        runId,
        "run.restarted",
        null,
        { mode, attempt: run.attempt + 1, steps: [...keys] },
        now,
      );
      this.refreshRunStatus(runId, now);
    })();
    this.emit("changed", runId);
    return this.view(runId);
  }

  private resetStep(s: StepRow, now: number, kind: string): void {
    this.runs.archiveAttempt(s);
    this.runs.updateStep(
      s.run_id,
      s.step_key,
      {
        status: "submitted",
        attempt: s.attempt + 1,
        output: null,
        error_code: null,
        error_message: null,
        started_at: null,
        finished_at: null,
      },
      now,
    );
    this.events.append(
      s.run_id,
      kind,
      s.step_key,
      { attempt: s.attempt + 1, previous_status: s.status },
      now,
    );
  }

  // ---- steps ----

  steps(p: Principal, runId: string): StepView[] {
    this.visibleRun(p, runId);
    return this.runs.steps(runId).map(stepView);
  }

  addStep(p: Principal, runId: string, body: Record<string, unknown>): StepView {
    const run = this.visibleRun(p, runId);
    const stepKey = body.step_key;
    const memberId = body.member_id;
    if (typeof stepKey !== "string" || stepKey.trim() === "") throw new AppError("STEP_KEY_REQUIRED");
    if (typeof memberId !== "string" || memberId.trim() === "") throw new AppError("MEMBER_ID_REQUIRED");
    const spec = this.spec(run);
    if (!spec.members.some((m) => m.member_id === memberId)) {
      throw new AppError(
        "UNKNOWN_MEMBER",
        { member_id: memberId },
        { message: `unknown member "${memberId}"` },
      );
    }
    const deps = body.depends_on ?? [];
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== "string" || d.trim() === "")) {
      throw new AppError("SPEC_INVALID", undefined, {
        message: "depends_on entries must be non-empty strings",
      });
    }
    if (isTerminal(run.status as RunStatus)) {
      throw new AppError("ILLEGAL_TRANSITION", undefined, {
        message: `cannot add a step to a ${run.status} run`,
      });
    }
    const now = this.clock.now();
    const row = this.db.transaction(() => {
      const existing = this.runs.steps(runId);
      if (existing.some((s) => s.step_key === stepKey)) throw new AppError("STEP_EXISTS");
      for (const d of deps as string[]) {
        if (!existing.some((s) => s.step_key === d)) {
          throw new AppError(
            "SPEC_INVALID",
            { depends_on: d },
            { message: `depends_on references unknown step "${d}"` },
          );
        }
      }
      const prompt = typeof body.prompt === "string" ? body.prompt : "";
      const r = this.newStepRow(
        runId,
        { step_key: stepKey, member_id: memberId, depends_on: deps as string[], prompt },
        existing.length,
        now,
        body.input,
      );
      this.runs.insertStep(r);
      this.events.append(runId, "step.added", stepKey, { member_id: memberId, depends_on: deps }, now);
      this.refreshRunStatus(runId, now);
      return r;
    })();
    this.emit("changed", runId);
    return stepView(row);
  }

  /**
   * Moves a step through its state machine and re-derives the run's status, in one transaction.
   * `actor` system is the executor; users go through access checks.
   */
  transitionStep(
    actor: Actor,
    runId: string,
    stepKey: string,
    action:
      | "start"
      | "complete"
      | "fail"
      | "input_required"
      | "resume"
      | "awaiting_review"
      | "review_resolved",
    body: Record<string, unknown> = {},
  ): StepView {
    const run = this.actorRun(actor, runId);
    const step = this.runs.step(runId, stepKey);
    if (!step) throw new AppError("STEP_NOT_FOUND");
    const now = this.clock.now();
    const from = step.status as StepStatus;
    const fields: Parameters<RunsRepo["updateStep"]>[2] = {};
    let to: StepStatus;
    const data: Record<string, unknown> = {};
    switch (action) {
      case "start": {
        to = "working";
        const pending = this.unmetDependencies(runId, step);
        if (pending.length > 0 && from === "submitted") {
          throw new AppError(
            "ILLEGAL_TRANSITION",
            { waiting_for: pending },
            { message: `step "${stepKey}" is waiting for: ${pending.join(", ")}` },
          );
        }
        fields.started_at = now;
        break;
      }
      case "complete":
        to = "completed";
        fields.output = typeof body.output === "string" ? body.output : JSON.stringify(body.output ?? null);
        fields.finished_at = now;
        data.output_chars = fields.output.length;
        break;
      case "fail": {
        if (typeof body.error_text !== "string" || body.error_text.trim() === "") {
          throw new AppError("ERROR_TEXT_REQUIRED");
        }
        const code = body.code ?? "STEP_FAILED";
        if (typeof code !== "string" || !(STEP_FAILURE_CODES as readonly string[]).includes(code)) {
          throw new AppError("BAD_REQUEST", undefined, {
            message: `code must be one of: ${STEP_FAILURE_CODES.join(", ")}`,
          });
        }
        to = "failed";
        fields.error_code = code;
        fields.error_message = body.error_text;
        fields.finished_at = now;
        data.code = code;
        data.message = body.error_text;
        break;
      }
      case "input_required":
        to = "input_required";
        if (typeof body.reason === "string") data.reason = body.reason;
        break;
      case "awaiting_review":
        to = "awaiting_review";
        Object.assign(data, body);
        break;
      case "resume":
      case "review_resolved":
        to = "working";
        break;
    }
    if (isTerminal(run.status as RunStatus) && action !== "fail") {
      throw new AppError(
        "ILLEGAL_TRANSITION",
        { run_status: run.status },
        { message: `run is ${run.status}; step "${stepKey}" cannot ${action}` },
      );
    }
    assertStepTransition(stepKey, from, to);
    this.db.transaction(() => {
      this.runs.updateStep(runId, stepKey, { ...fields, status: to }, now);
      this.events.append(
        runId,
        `step.${to === "working" && from !== "submitted" ? "resumed" : to}`,
        stepKey,
        data,
        now,
      );
      if (to === "failed" && !isTerminal(run.status as RunStatus)) {
        this.runs.updateRun(
          runId,
          {
            status: "failed",
            error_code: fields.error_code ?? "STEP_FAILED",
            error_message: `step "${stepKey}" failed: ${fields.error_message ?? ""}`,
            finished_at: now,
          },
          now,
        );
        this.events.append(
          runId,
          "run.failed",
          stepKey,
          { code: fields.error_code, message: fields.error_message },
          now,
        );
      } else {
        this.refreshRunStatus(runId, now);
      }
    })();
    this.emit("changed", runId);
    return stepView(this.runs.step(runId, stepKey)!);
  }

  private unmetDependencies(runId: string, step: StepRow): string[] {
    const deps = JSON.parse(step.depends_on_json) as string[];
    if (deps.length === 0) return [];
    const byKey = new Map(this.runs.steps(runId).map((s) => [s.step_key, s.status]));
    return deps.filter((d) => byKey.get(d) !== "completed");
  }

  /** Re-derives a non-terminal run's status from its steps; records a change as an event. */
  private refreshRunStatus(runId: string, now: number): void {
    const run = this.runs.run(runId)!;
    // Derived from the set of step statuses: one small query, not every step row per transition.
    const next = deriveRunStatus(this.runs.stepStatuses(runId) as StepStatus[]);
    if (next === run.status) return;
    const fields: Parameters<RunsRepo["updateRun"]>[1] = { status: next };
    if (isTerminal(next)) fields.finished_at = now;
    this.runs.updateRun(runId, fields, now);
    this.events.append(runId, `run.${next}`, null, { from: run.status }, now);
  }

  // ---- events ----

  eventsPage(
    p: Principal,
    runId: string,
    q: { after?: string | undefined; limit?: string | undefined },
  ): { events: unknown[]; next_cursor: string | null } {
    this.visibleRun(p, runId);
    const after = q.after === undefined ? 0 : Number(q.after);
    if (!Number.isInteger(after) || after < 0) {
      throw new AppError("BAD_REQUEST", undefined, { message: "after must be a non-negative integer" });
    }
    const limit = clampLimit(q.limit);
    const rows = this.events.page(runId, after, limit);
    return {
      events: rows.map((e) => ({
        seq: e.seq,
        kind: e.kind,
        step_key: e.step_key,
        data: JSON.parse(e.data_json) as unknown,
        at: iso(e.created_at),
      })),
      next_cursor: rows.length === limit ? String(rows.at(-1)!.seq) : null,
    };
  }

  appendEvent(runId: string, kind: string, stepKey: string | null, data: unknown): void {
    this.events.append(runId, kind, stepKey, data, this.clock.now());
  }

  view(runId: string): RunView {
    return runView(this.runs.run(runId)!, this.runs.steps(runId));
  }

  private actorRun(actor: Actor, runId: string): RunRow {
    return actor.kind === "user" ? this.visibleRun(actor.principal, runId) : this.runRow(runId);
  }
}

function actorName(a: Actor): string {
  return a.kind === "user" ? a.principal.username : "system";
}

export function clampLimit(raw: string | undefined, def = 50, max = 500): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError("BAD_REQUEST", undefined, { message: "limit must be a positive integer" });
  }
  return Math.min(n, max);
}

export type { Actor };
