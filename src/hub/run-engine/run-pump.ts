import { isTerminal } from "../../domain/run-state.js";
import type { Run, Step } from "../../store/runs-repo.js";
import type { Team } from "../../store/teams-repo.js";
import type { Logger } from "../../util/logger.js";
import type { HubServices } from "../hub-services.js";
import type { TeamRuntime } from "../team-runtime.js";
import type { Dispatcher } from "./dispatcher.js";
import type { MailDelivery } from "./mail-delivery.js";
import type { TurnTracker } from "./turn-tracker.js";

export interface RunPumpDeps {
  services: HubServices;
  runtime: Pick<TeamRuntime, "isStarted">;
  turns: TurnTracker;
  dispatcher: Pick<Dispatcher, "dispatchReady">;
  mail: Pick<MailDelivery, "deliver">;
  logger: Logger;
}

/**
 * Moves each run on after anything about it changed (a kick): a failed or canceled run stops its
 * leftover steps and turns; an active run cancels turns of attempts a resume replaced, waits (once
 * noted in its log) while its team's runtime is stopped, dispatches its ready steps and delivers pending
 * mail to idle members. A run is pumped one at a time; a kick while it runs makes it run once more.
 * Until `open()`, kicks are only noted (at start, events of a restart are applied first).
 */
export class RunPump {
  private readonly pumps = new Map<string, { again: boolean }>();
  private readonly waitingNoted = new Set<string>();
  private readonly deferred = new Set<string>();
  private opened = false;
  private stopped = false;

  constructor(private readonly d: RunPumpDeps) {}

  private get runs() {
    return this.d.services.runs;
  }

  /** Starts pumping, first the runs kicked before. */
  open(): void {
    this.opened = true;
    for (const runId of this.deferred) this.kick(runId);
    this.deferred.clear();
  }

  /** Pumps the run now, or once more after the pump that runs (never two at once). */
  kick(runId: string): void {
    if (this.stopped) return;
    if (!this.opened) {
      this.deferred.add(runId);
      return;
    }
    const running = this.pumps.get(runId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.pumps.set(runId, state);
    void (async () => {
      try {
        do {
          state.again = false;
          await this.pump(runId);
        } while (state.again && !this.stopped);
      } catch (err) {
        this.d.logger.error({ component: "executor", run_id: runId, err }, "run dispatch failed");
      } finally {
        this.pumps.delete(runId);
      }
    })();
  }

  /** Kicks every active run of the team (its runtime started, a member's turn ended). */
  kickTeam(teamId: string): void {
    for (const run of this.runs.runs.activeRuns()) if (run.team_id === teamId) this.kick(run.id);
  }

  stop(): void {
    this.stopped = true;
  }

  private async pump(runId: string): Promise<void> {
    const run = this.runs.runs.run(runId);
    if (!run) return;
    if (run.status === "failed" || run.status === "canceled") {
      await this.stopRunTurns(run);
      return;
    }
    if (isTerminal(run.status)) return;
    // Read once for both: only cancelling stale turns (which waits for nodes) makes them worth reading again.
    let steps = this.runs.runs.steps(run.id);
    if (await this.cancelStaleTurns(run, steps)) steps = this.runs.runs.steps(run.id);
    const team = this.d.services.teams.repo.get(run.team_id);
    if (!team) return;
    if (!this.d.runtime.isStarted(team)) {
      this.noteWaiting(run, team);
      return;
    }
    await this.d.dispatcher.dispatchReady(run, team, steps);
    for (const m of run.spec.members) this.d.mail.deliver(run, team, m.member_id);
  }

  /** A failed or canceled run: its other steps stop, their in-flight turns are cancelled (ACP cancel). */
  private async stopRunTurns(run: Run): Promise<void> {
    if (run.status === "failed") {
      this.runs.cancelUnfinishedSteps(run.id, `canceled because the run failed: ${run.error_message ?? ""}`);
    }
    await Promise.all(this.d.turns.ofRun(run.id).map((t) => this.d.turns.cancel(t)));
  }

  /**
   * Turns of an earlier attempt (a resume retried their step) are cancelled: only the new one counts.
   * Returns whether it cancelled any (then it waited for nodes, and the steps may have changed).
   */
  private async cancelStaleTurns(run: Run, steps: readonly Step[]): Promise<boolean> {
    const mine = this.d.turns.ofRun(run.id).filter((t) => t.stepKey !== undefined);
    if (mine.length === 0) return false;
    const attempts = new Map(steps.map((s) => [s.step_key, s.attempt]));
    const stale = mine.filter((t) => attempts.get(t.stepKey!) !== t.attempt);
    if (stale.length === 0) return false;
    await Promise.all(stale.map((t) => this.d.turns.cancel(t)));
    return true;
  }

  private noteWaiting(run: Run, team: Team): void {
    if (this.waitingNoted.has(run.id)) return;
    this.waitingNoted.add(run.id);
    this.runs.appendEvent(run.id, "run.waiting_for_runtime", null, {
      message: `team runtime is not started; start it with POST /api/teams/${team.id}/runtime/start and the run proceeds`,
    });
  }
}
