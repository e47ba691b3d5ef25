import type { MetricsSink } from "../../contracts/metrics-sink.js";
import type { Step } from "../../store/runs-repo.js";
import type { Clock } from "../../util/clock.js";
import type { Logger } from "../../util/logger.js";
import type { NodeRegistry } from "../node-registry.js";
import type { RunService } from "../run-service.js";
import { failStep } from "./fail-step.js";

/** A prompt turn the engine dispatched and has not seen end. */
export interface InFlightTurn {
  turnId: string;
  agentId: string;
  nodeId: string;
  runId: string;
  /** The step the turn runs; undefined for a mail turn. */
  stepKey: string | undefined;
  /** The step's attempt the turn runs (0 for a mail turn). */
  attempt: number;
  /** When (clock ms) the step times out; undefined without `timeout_seconds`. */
  deadline: number | undefined;
  /**
   * When (clock ms) this process sent the turn, until its agent reports it started; undefined for a
   * turn followed again after a restart (sent by the previous process).
   */
  sentAt: number | undefined;
}

export interface TurnTrackerDeps {
  runs: RunService;
  nodes: Pick<NodeRegistry, "client">;
  clock: Clock;
  logger: Logger;
  /** Told how long each sent turn took to start (dispatch-to-turn-start latency). */
  metrics?: Pick<MetricsSink, "turnStarted">;
}

type Member = { id: string; node_id: string };

/**
 * The turns in flight (one per step attempt, one per mail delivery), by turn id, and the steps'
 * execution timeouts: a step whose turn is still running `timeout_seconds` after it started (by the
 * injected clock) fails EXECUTION_TIMEOUT and its turn is cancelled on its node. One timer waits for
 * the earliest deadline and then checks them all against the clock.
 */
export class TurnTracker {
  private readonly turns = new Map<string, InFlightTurn>();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly d: TurnTrackerDeps) {}

  /**
   * Follows the turn of a step attempt that started (or, after a restart, was started) at `startedAt`;
   * `sentAt` when this process sends it now.
   */
  trackStep(
    runId: string,
    step: Pick<Step, "step_key" | "attempt" | "timeout_seconds">,
    turnId: string,
    agent: Member,
    startedAt: number,
    sentAt?: number,
  ): InFlightTurn {
    const t: InFlightTurn = {
      turnId,
      agentId: agent.id,
      nodeId: agent.node_id,
      runId,
      stepKey: step.step_key,
      attempt: step.attempt,
      deadline: step.timeout_seconds ? startedAt + step.timeout_seconds * 1000 : undefined,
      sentAt,
    };
    this.turns.set(turnId, t);
    this.arm();
    return t;
  }

  /** Follows a mail turn (no step, no timeout): its member counts as busy until it ends. */
  trackMail(turnId: string, runId: string, agent: Member): void {
    this.turns.set(turnId, {
      turnId,
      agentId: agent.id,
      nodeId: agent.node_id,
      runId,
      stepKey: undefined,
      attempt: 0,
      deadline: undefined,
      sentAt: this.d.clock.now(),
    });
  }

  /** The turn's agent began it: the time since it was sent is observed, once. */
  started(turnId: string): void {
    const t = this.turns.get(turnId);
    if (t?.sentAt === undefined) return;
    const seconds = Math.max(0, this.d.clock.now() - t.sentAt) / 1000;
    t.sentAt = undefined;
    this.d.metrics?.turnStarted(t.stepKey === undefined ? "mail" : "step", seconds);
  }

  has(turnId: string): boolean {
    return this.turns.has(turnId);
  }

  /** Stops following a turn (it ended, or its dispatch failed). */
  untrack(turnId: string): InFlightTurn | undefined {
    const t = this.turns.get(turnId);
    this.turns.delete(turnId);
    if (t?.deadline !== undefined) this.arm();
    return t;
  }

  /** Whether the agent has a turn in flight (a busy member gets its mail in its next turn). */
  busy(agentId: string): boolean {
    for (const t of this.turns.values()) if (t.agentId === agentId) return true;
    return false;
  }

  ofRun(runId: string): InFlightTurn[] {
    return [...this.turns.values()].filter((t) => t.runId === runId);
  }

  onNode(nodeId: string): InFlightTurn[] {
    return [...this.turns.values()].filter((t) => t.nodeId === nodeId);
  }

  /** Stops following the turn and cancels it on its node (ACP cancel); a failure there is logged. */
  async cancel(t: InFlightTurn): Promise<void> {
    this.untrack(t.turnId);
    try {
      await this.d.nodes.client(t.nodeId).cancelTurn(t.agentId, t.turnId);
    } catch (err) {
      this.d.logger.warn(
        { component: "executor", agent_id: t.agentId, turn_id: t.turnId, err: (err as Error).message },
        "could not cancel a turn",
      );
    }
  }

  /**
   * Every step turn whose deadline has passed by the clock: the step fails EXECUTION_TIMEOUT (unless it
   * already finished) and the turn is cancelled. The timer calls this; so may anyone who moved the clock.
   */
  async expireOverdue(): Promise<void> {
    const now = this.d.clock.now();
    const overdue = [...this.turns.values()].filter((t) => t.deadline !== undefined && t.deadline <= now);
    await Promise.all(overdue.map((t) => this.timeOut(t)));
    this.arm();
  }

  private async timeOut(t: InFlightTurn): Promise<void> {
    const stepKey = t.stepKey!;
    try {
      const step = this.d.runs.runs.step(t.runId, stepKey);
      // A turn of an attempt a resume replaced times out nothing but itself.
      if (step?.attempt === t.attempt) {
        failStep(
          this.d.runs,
          t.runId,
          stepKey,
          "EXECUTION_TIMEOUT",
          `step "${stepKey}" did not finish within ${step.timeout_seconds ?? 0} s`,
        );
      }
    } catch (err) {
      this.d.logger.error(
        { component: "executor", run_id: t.runId, step_key: stepKey, err },
        "could not fail a step that timed out",
      );
    }
    await this.cancel(t);
  }

  /** One timer, due at the earliest deadline (re-armed when that changes). */
  private arm(): void {
    if (this.stopped) return;
    let due = Number.POSITIVE_INFINITY;
    for (const t of this.turns.values()) if (t.deadline !== undefined && t.deadline < due) due = t.deadline;
    if (due === this.timerDue && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = due;
    if (due === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.expireOverdue();
      },
      Math.max(0, due - this.d.clock.now()),
    );
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.turns.clear();
  }
}
