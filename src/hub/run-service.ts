import { EventEmitter } from "node:events";
import type { RunEventKind } from "../contracts/run-events.js";
import { unmetDependencies } from "../domain/dag.js";
import { pageSize } from "../domain/paging.js";
import {
  acceptsTurnCompletion,
  assertCanRestart,
  assertCanResume,
  assertRunTransition,
  deriveRunStatus,
  isTerminal,
  planRestart,
  planResume,
  planRunSteps,
  type RunStatus,
} from "../domain/run-state.js";
import { type StepCommand, stepTransition } from "../domain/step-actions.js";
import type { StepWarning } from "../domain/step-outcome.js";
import { emptyUsage, sumUsage, type UsageTotals } from "../domain/turn-usage.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { type RunEvent, RunEventsRepo } from "../store/run-events-repo.js";
import { type Run, RunsRepo, type Step } from "../store/runs-repo.js";
import type { TeamsRepo } from "../store/teams-repo.js";
import { UsageRepo } from "../store/usage-repo.js";
import { jsonHash } from "../util/canonical-json.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { assertTeamVisible } from "./access.js";
import type { Principal } from "./auth-service.js";

/** A run with its steps and what its turns used (what run answers show). */
export interface RunDetail {
  run: Run;
  steps: Step[];
  usage: RunUsage;
}

/** What a run's turns used: in all, per member, and per step (its current attempt). */
export interface RunUsage {
  total: UsageTotals;
  /** The run's members in spec order, each with its turns' usage (zeros when it reported none). */
  members: { member_id: string; usage: UsageTotals }[];
  /** The current attempt of each step that reported usage, by step key. */
  steps: Map<string, UsageTotals>;
}

// ---- commands ----

export interface CreateRunCommand {
  /** Any JSON value; null when omitted. */
  input?: unknown;
  /** Retries with the same key (and the same input) answer the first run instead of creating another. */
  idempotencyKey?: string | undefined;
}

export interface ListRunsQuery {
  status?: RunStatus | undefined;
  limit?: number | undefined;
  /** `next_cursor` of the previous page. */
  cursor?: string | undefined;
}

export type RestartMode = "unfinished" | "all";

export interface AddStepCommand {
  stepKey: string;
  memberId: string;
  dependsOn: readonly string[];
  prompt: string;
  /** The step's own input; the run's applies when undefined. */
  input?: unknown;
}

export interface EventPageQuery {
  /** Events after this seq (0: from the start). */
  after?: number | undefined;
  limit?: number | undefined;
}

export interface RunServiceEvents {
  /** Something about the run changed (steps became ready, finished, the run was canceled...). */
  changed: [runId: string];
}

type Actor = { kind: "user"; principal: Principal } | { kind: "system" };

/**
 * The run event log: appends go to the store and are announced (`appended`), so live readers (SSE)
 * read what was committed. Listeners must read after the current tick: an append inside a transaction
 * is committed (or rolled back) by then. Observers (the webhook outbox) are called with each event
 * inside the transaction that appends it, so what they write commits with it.
 */
export class RunEventLog extends EventEmitter<{ appended: [runId: string] }> {
  private readonly repo: RunEventsRepo;
  private readonly observers: ((e: RunEvent) => void)[] = [];

  constructor(private readonly db: Database) {
    super();
    this.setMaxListeners(0);
    this.repo = new RunEventsRepo(db);
  }

  /** `fn` runs inside the transaction of every append from now on. */
  observe(fn: (e: RunEvent) => void): void {
    this.observers.push(fn);
  }

  append(runId: string, kind: RunEventKind, stepKey: string | null, data: unknown, now: number): RunEvent {
    const write = () => {
      const appended = this.repo.append(runId, kind, stepKey, data, now);
      for (const o of this.observers) o(appended);
      return appended;
    };
    // Most appends are inside their operation's transaction already; a lone one gets its own.
    const e = this.db.inTransaction || this.observers.length === 0 ? write() : this.db.transaction(write)();
    this.emit("appended", runId);
    return e;
  }

  page(runId: string, afterSeq: number, limit: number): RunEvent[] {
    return this.repo.page(runId, afterSeq, limit);
  }
}

/**
 * Runs and their steps: creation from a spec snapshot, the step state machine, run status derived
 * from steps, cancel/resume/restart, and the run's append-only event log. All writes of one
 * operation happen in one transaction with their events.
 */
export class RunService extends EventEmitter<RunServiceEvents> {
  readonly runs: RunsRepo;
  readonly events: RunEventLog;
  /** Turns' tokens and costs (stored as agents' turns end, summed here per run, member and step). */
  readonly usage: UsageRepo;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly teams: TeamsRepo,
  ) {
    super();
    this.runs = new RunsRepo(db);
    this.events = new RunEventLog(db);
    this.usage = new UsageRepo(db);
  }

  // ---- access ----

  /** The run, if the principal may see its team; otherwise `run not found`. */
  visibleRun(p: Principal, runId: string): Run {
    const run = this.runs.run(runId);
    if (!run) throw new AppError("RUN_NOT_FOUND");
    const team = this.teams.get(run.team_id);
    if (!team || (!p.is_root && team.owner_id !== p.user_id)) throw new AppError("RUN_NOT_FOUND");
    return run;
  }

  /** The newest unfinished run of a team (team-scoped actor tokens act in it by default). */
  latestActiveRun(teamId: string): Run | undefined {
    return this.runs
      .activeRuns()
      .filter((r) => r.team_id === teamId)
      .at(-1);
  }

  /** The run, whoever asks (internal callers and actor tokens, whose scope is checked at their edge). */
  byId(runId: string): Run {
    const run = this.runs.run(runId);
    if (!run) throw new AppError("RUN_NOT_FOUND");
    return run;
  }

  // ---- runs ----

  /**
   * Creates a run from the team's current spec. With an idempotency key, a retry with the same input
   * answers the first run (`created: false`); the same key with another input is refused.
   */
  create(p: Principal, teamId: string, cmd: CreateRunCommand): RunDetail & { created: boolean } {
    const { spec } = assertTeamVisible(p, this.teams.get(teamId));
    const planned = planRunSteps(spec);
    const input = cmd.input ?? null;
    const key = cmd.idempotencyKey;
    const requestHash = jsonHash({ input });
    const now = this.clock.now();
    const result = this.db.transaction(() => {
      if (key) {
        const existing = this.runs.byIdempotencyKey(teamId, key);
        if (existing) {
          const same =
            existing.request_hash !== null
              ? existing.request_hash === requestHash
              : jsonHash({ input: existing.input }) === requestHash;
          if (!same) {
            throw new AppError("IDEMPOTENCY_KEY_REUSED", {
              field: "Idempotency-Key",
              idempotency_key: key,
              run_id: existing.id,
            });
          }
          return { run: existing, created: false };
        }
      }
      const run: Run = {
        id: newId("run"),
        team_id: teamId,
        owner_id: p.user_id,
        status: "submitted",
        input,
        spec,
        idempotency_key: key ?? null,
        request_hash: requestHash,
        attempt: 1,
        error_code: null,
        error_message: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      this.runs.insertRun(run);
      planned.forEach((s, i) => {
        this.runs.insertStep(this.newStep(run.id, s, i, now));
      });
      this.events.append(run.id, "run.created", null, { steps: planned.map((s) => s.step_key) }, now);
      return { run, created: true };
    })();
    if (result.created) this.emit("changed", result.run.id);
    return { ...this.detail(result.run.id), created: result.created };
  }

  private newStep(
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
  ): Step {
    return {
      run_id: runId,
      step_key: s.step_key,
      member_id: s.member_id,
      depends_on: [...(s.depends_on ?? [])],
      prompt: s.prompt ?? "",
      input,
      timeout_seconds: s.timeout_seconds ?? null,
      position,
      status: "submitted",
      attempt: 1,
      output: null,
      error_code: null,
      error_message: null,
      warnings: [],
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
    };
  }

  list(p: Principal, teamId: string, q: ListRunsQuery): { runs: Run[]; nextCursor: string | null } {
    assertTeamVisible(p, this.teams.get(teamId));
    const limit = pageSize(q.limit);
    let after: { created_at: number; id: string } | undefined;
    if (q.cursor) {
      const [at, id] = Buffer.from(q.cursor, "base64url").toString().split(":");
      if (!at || !id || !/^\d+$/.test(at)) {
        throw new AppError(
          "BAD_REQUEST",
          { location: "query", field: "cursor" },
          { message: "cursor is invalid" },
        );
      }
      after = { created_at: Number(at), id };
    }
    const runs = this.runs.list({ teamId, status: q.status, after, limit });
    const last = runs.at(-1);
    return {
      runs,
      nextCursor:
        runs.length === limit && last
          ? Buffer.from(`${last.created_at}:${last.id}`).toString("base64url")
          : null,
    };
  }

  get(p: Principal, runId: string): RunDetail {
    this.visibleRun(p, runId);
    return this.detail(runId);
  }

  cancel(actor: Actor, runId: string, reason = "canceled by user"): RunDetail {
    const run = this.actorRun(actor, runId);
    if (isTerminal(run.status)) {
      throw new AppError(
        "ILLEGAL_TRANSITION",
        { status: run.status },
        { message: `run is already ${run.status}` },
      );
    }
    assertRunTransition(run.status, "canceled");
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
    return this.detail(runId);
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
      if (isTerminal(s.status)) continue;
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

  /**
   * Continues a paused, failed or canceled run where it stopped: every step that is not completed is
   * retried (in a finished run, `working` ones too: nothing runs them there), paused ones continue.
   */
  resume(actor: Actor, runId: string): RunDetail {
    const run = this.actorRun(actor, runId);
    assertCanResume(run.status);
    const now = this.clock.now();
    this.db.transaction(() => {
      const steps = this.runs.steps(runId);
      const plan = planResume(run.status, steps);
      const retry = new Set(plan.retry);
      const resume = new Set(plan.resume);
      for (const s of steps) {
        if (retry.has(s.step_key)) this.resetStep(s, now, "step.retried");
        else if (resume.has(s.step_key)) {
          this.runs.updateStep(runId, s.step_key, { status: "working" }, now);
          this.events.append(runId, "step.resumed", s.step_key, {}, now);
        }
      }
      this.events.append(runId, "run.resumed", null, { by: actorName(actor) }, now);
      this.runs.updateRun(runId, { error_code: null, error_message: null, finished_at: null }, now);
      this.refreshRunStatus(runId, now);
    })();
    this.emit("changed", runId);
    return this.detail(runId);
  }

  /**
   * A step's turn (attempt `attempt`) ended normally with `output`: the step completes, whatever the
   * run's state, unless it already has a result of its own (see acceptsTurnCompletion) or moved on to
   * another attempt. A completion that arrives after the run finished (or after the step was given up
   * on) is recorded as `step.completed` with `late: true`; the run keeps its status, and a resume no
   * longer retries the step. Returns whether it was recorded.
   */
  completeTurn(runId: string, stepKey: string, attempt: number, output: string): boolean {
    const run = this.runs.run(runId);
    const step = this.runs.step(runId, stepKey);
    if (!run || !step || step.attempt !== attempt || !acceptsTurnCompletion(step)) return false;
    if (!isTerminal(run.status) && !isTerminal(step.status)) {
      if (step.status === "awaiting_review") {
        this.transitionStep({ kind: "system" }, runId, stepKey, { action: "review_resolved" });
      }
      this.transitionStep({ kind: "system" }, runId, stepKey, { action: "complete", output });
      return true;
    }
    const now = this.clock.now();
    this.db.transaction(() => {
      this.runs.updateStep(
        runId,
        stepKey,
        { status: "completed", output, error_code: null, error_message: null, finished_at: now },
        now,
      );
      this.events.append(
        runId,
        "step.completed",
        stepKey,
        { output_chars: output.length, late: true, previous_status: step.status, run_status: run.status },
        now,
      );
      if (!isTerminal(run.status)) this.refreshRunStatus(runId, now);
    })();
    this.emit("changed", runId);
    return true;
  }

  /** A new attempt of the unfinished (default) or all steps; earlier attempts stay in the history. */
  restart(actor: Actor, runId: string, mode: RestartMode = "unfinished"): RunDetail {
    const run = this.actorRun(actor, runId);
    assertCanRestart(run.status);
    const now = this.clock.now();
    this.db.transaction(() => {
      const steps = this.runs.steps(runId);
      const keys = new Set(planRestart(steps, mode));
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
    return this.detail(runId);
  }

  private resetStep(s: Step, now: number, kind: RunEventKind): void {
    this.runs.archiveAttempt(s);
    this.runs.clearStepWarnings(s.run_id, s.step_key, now);
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

  steps(p: Principal, runId: string): Step[] {
    this.visibleRun(p, runId);
    return this.runs.steps(runId);
  }

  addStep(p: Principal, runId: string, cmd: AddStepCommand): Step {
    const run = this.visibleRun(p, runId);
    const { stepKey, memberId } = cmd;
    if (stepKey.trim() === "") throw new AppError("STEP_KEY_REQUIRED", { field: "step_key" });
    if (memberId.trim() === "") throw new AppError("MEMBER_ID_REQUIRED", { field: "member_id" });
    if (!run.spec.members.some((m) => m.member_id === memberId)) {
      throw new AppError(
        "UNKNOWN_MEMBER",
        { field: "member_id", member_id: memberId },
        { message: `unknown member "${memberId}"` },
      );
    }
    const deps = cmd.dependsOn;
    if (deps.some((d) => d.trim() === "")) {
      throw new AppError(
        "SPEC_INVALID",
        { field: "depends_on" },
        { message: "depends_on entries must be non-empty strings" },
      );
    }
    if (isTerminal(run.status)) {
      throw new AppError("ILLEGAL_TRANSITION", undefined, {
        message: `cannot add a step to a ${run.status} run`,
      });
    }
    const now = this.clock.now();
    const step = this.db.transaction(() => {
      const existing = this.runs.steps(runId);
      if (existing.some((s) => s.step_key === stepKey))
        throw new AppError("STEP_EXISTS", { step_key: stepKey });
      for (const d of deps) {
        if (!existing.some((s) => s.step_key === d)) {
          throw new AppError(
            "SPEC_INVALID",
            { field: "depends_on", depends_on: d },
            { message: `depends_on references unknown step "${d}"` },
          );
        }
      }
      const st = this.newStep(
        runId,
        { step_key: stepKey, member_id: memberId, depends_on: deps, prompt: cmd.prompt },
        existing.length,
        now,
        cmd.input,
      );
      this.runs.insertStep(st);
      this.events.append(runId, "step.added", stepKey, { member_id: memberId, depends_on: deps }, now);
      this.refreshRunStatus(runId, now);
      return st;
    })();
    this.emit("changed", runId);
    return step;
  }

  /**
   * Moves a step through its state machine and re-derives the run's status, in one transaction.
   * `actor` system is the executor; users go through access checks.
   */
  transitionStep(actor: Actor, runId: string, stepKey: string, cmd: StepCommand): Step {
    const run = this.actorRun(actor, runId);
    const step = this.runs.step(runId, stepKey);
    if (!step) throw new AppError("STEP_NOT_FOUND", { step_key: stepKey });
    const now = this.clock.now();
    const unmet =
      cmd.action === "start" && step.depends_on.length > 0
        ? unmetDependencies(step, new Map(this.runs.steps(runId).map((s) => [s.step_key, s.status])))
        : [];
    const t = stepTransition(step, cmd, { runStatus: run.status, unmetDependencies: unmet, now });
    this.db.transaction(() => {
      this.runs.updateStep(runId, stepKey, { ...t.fields, status: t.to }, now);
      if (t.warning) this.recordWarning(runId, step, t.warning, now);
      this.events.append(runId, t.event, stepKey, t.data, now);
      if (t.runFailure) {
        assertRunTransition(run.status, "failed");
        this.runs.updateRun(
          runId,
          {
            status: "failed",
            error_code: t.runFailure.code,
            error_message: t.runFailure.message,
            finished_at: now,
          },
          now,
        );
        this.events.append(runId, "run.failed", stepKey, t.runFailure.data, now);
      } else {
        this.refreshRunStatus(runId, now);
      }
    })();
    this.emit("changed", runId);
    return this.runs.step(runId, stepKey)!;
  }

  /** Re-derives a non-terminal run's status from its steps; records a change as an event. */
  private refreshRunStatus(runId: string, now: number): void {
    const run = this.runs.run(runId)!;
    // Derived from the set of step statuses: one small query, not every step row per transition.
    const next = deriveRunStatus(this.runs.stepStatuses(runId));
    if (next === run.status) return;
    const fields: Parameters<RunsRepo["updateRun"]>[1] = { status: next };
    if (isTerminal(next)) fields.finished_at = now;
    this.runs.updateRun(runId, fields, now);
    this.events.append(runId, `run.${next}` as const, null, { from: run.status }, now);
  }

  // ---- events ----

  eventsPage(
    p: Principal,
    runId: string,
    q: EventPageQuery,
  ): { events: RunEvent[]; nextCursor: string | null } {
    this.visibleRun(p, runId);
    const limit = pageSize(q.limit);
    const events = this.events.page(runId, q.after ?? 0, limit);
    return { events, nextCursor: events.length === limit ? String(events.at(-1)!.seq) : null };
  }

  /**
   * The step (its current attempt) went on without something it was asked to do: stored on the step
   * (its outcome becomes `with_warnings`) and logged as a `step.warning` run event.
   */
  addStepWarning(runId: string, stepKey: string, warning: StepWarning): void {
    const step = this.runs.step(runId, stepKey);
    if (!step) return;
    const now = this.clock.now();
    this.db.transaction(() => this.recordWarning(runId, step, warning, now))();
  }

  private recordWarning(runId: string, step: Step, warning: StepWarning, now: number): void {
    this.runs.addStepWarning(runId, step.step_key, warning, now);
    this.events.append(runId, "step.warning", step.step_key, { ...warning, attempt: step.attempt }, now);
  }

  appendEvent(runId: string, kind: RunEventKind, stepKey: string | null, data: unknown): void {
    this.events.append(runId, kind, stepKey, data, this.clock.now());
  }

  /** The run and its steps, as they are now. */
  detail(runId: string): RunDetail {
    const run = this.byId(runId);
    const steps = this.runs.steps(runId);
    return { run, steps, usage: this.runUsage(run, steps) };
  }

  /** What the run's turns used: its total, each member's, each step's current attempt's. */
  runUsage(run: Run, steps: readonly Step[]): RunUsage {
    const byMember = this.usage.byRunMember(run.id);
    const members = run.spec.members.map((m) => m.member_id);
    for (const id of byMember.keys()) if (!members.includes(id)) members.push(id);
    // Every turn of a run is a member's (only team members' agents take part in runs).
    return {
      total: sumUsage([...byMember.values()]),
      members: members.map((member_id) => ({ member_id, usage: byMember.get(member_id) ?? emptyUsage() })),
      steps: this.stepsUsage(run.id, steps),
    };
  }

  /** The usage of the steps' current attempts, by step key (steps without usage are absent). */
  stepsUsage(runId: string, steps: readonly Pick<Step, "step_key" | "attempt">[]): Map<string, UsageTotals> {
    const attempts = this.usage.byRunStepAttempt(runId);
    const out = new Map<string, UsageTotals>();
    for (const s of steps) {
      const a = attempts.find((x) => x.step_key === s.step_key && x.attempt === s.attempt);
      if (a) out.set(s.step_key, a.usage);
    }
    return out;
  }

  private actorRun(actor: Actor, runId: string): Run {
    return actor.kind === "user" ? this.visibleRun(actor.principal, runId) : this.byId(runId);
  }
}

function actorName(a: Actor): string {
  return a.kind === "user" ? a.principal.username : "system";
}

export type { Actor };
