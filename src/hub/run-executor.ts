import { isLiveAgentState } from "../contracts/agent-states.js";
import { readySteps } from "../domain/dag.js";
import { isTerminal } from "../domain/run-state.js";
import { type StepFailureCode, turnOutcome } from "../domain/step-failure.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { mailTurnId, parseTurnId, stepTurnId } from "../domain/turn-id.js";
import { buildMailPrompt, buildStepPrompt, type PromptMessage } from "../domain/turn-prompt.js";
import type { Agent } from "../store/agents-repo.js";
import type { Run, Step } from "../store/runs-repo.js";
import type { Team } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { StoredAgentEvent } from "./agent-event-bus.js";
import type { AgentService } from "./agent-service.js";
import type { HubServices } from "./hub-services.js";
import { classifyNodeError, lostAgentCause } from "./node-failure.js";
import { MAIN_NODE_ID, type NodeRegistry } from "./node-registry.js";
import type { ReviewService } from "./review-service.js";
import type { TeamRuntime } from "./team-runtime.js";

export interface RunExecutorDeps {
  services: HubServices;
  agents: AgentService;
  nodes: NodeRegistry;
  runtime: TeamRuntime;
  reviews: ReviewService;
  clock: Clock;
  logger: Logger;
}

/** A prompt turn the executor dispatched and has not seen end. */
interface InFlight {
  turnId: string;
  agentId: string;
  nodeId: string;
  runId: string;
  stepKey: string | undefined;
  /** The step's attempt the turn runs (0 for a mail turn). */
  attempt: number;
  timer: NodeJS.Timeout | undefined;
}

const MAIL_BATCH = 50;

/**
 * Drives runs of started teams: every ready step becomes one prompt turn to its member's agent;
 * the turn's end (or `agenthub actor step-complete|step-fail`) finishes the step; pending mailbox
 * messages reach idle members as a turn of their own. Reacts to run changes, mailbox sends and the
 * agents' stored events; keeps only in-flight turns in memory (rebuilt from the steps at start).
 */
export class RunExecutor {
  private readonly turns = new Map<string, InFlight>();
  private readonly pumps = new Map<string, { again: boolean }>();
  private readonly waitingNoted = new Set<string>();
  private readonly lastExit = new Map<string, Record<string, unknown>>();
  private stopped = false;
  /** Until start(), runs to look at are only noted (events of a restart are applied before it). */
  private started = false;
  private readonly deferred = new Set<string>();
  /** Turns on `main` that started before this moment ran in a previous hub process. */
  private readonly bootedAt: number;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly d: RunExecutorDeps) {
    this.bootedAt = d.clock.now();
  }

  private get runs() {
    return this.d.services.runs;
  }

  start(): void {
    const s = this.d.services;
    const onRun = (runId: string) => this.kick(runId);
    // Deferred: a send answers its sender first; delivery to idle members follows on the next tick.
    const onSent = (runId: string, recipients: string[]) =>
      void setImmediate(() => this.onMail(runId, recipients));
    const onTeam = (teamId: string) => this.kickTeam(teamId);
    const onTeamEdit = (teamId: string) => void this.d.runtime.reconcile(teamId);
    s.runs.on("changed", onRun);
    s.mailbox.on("sent", onSent);
    this.d.runtime.on("started", onTeam);
    s.teams.on("changed", onTeamEdit);
    this.unsubscribe.push(
      () => s.runs.off("changed", onRun),
      () => s.mailbox.off("sent", onSent),
      () => this.d.runtime.off("started", onTeam),
      () => s.teams.off("changed", onTeamEdit),
    );
    this.recover();
    this.started = true;
    for (const runId of this.deferred) this.kick(runId);
    this.deferred.clear();
  }

  /**
   * After a restart, every run that is active or still has a running step (a finished run can hold
   * one: the events replayed at start may have failed the run before this executor listened): steps
   * whose turn ran on `main` died with the previous hub and fail, saying so; turns on other nodes are
   * followed again (and re-sent in an active run: the hub may have died between claiming the step and
   * sending it; a node that has the turn ignores it). Then each run is pumped, which also stops the
   * leftover steps of a failed or canceled run.
   */
  private recover(): void {
    for (const run of this.runs.runs.runsToRecover()) {
      const team = this.d.services.teams.repo.get(run.team_id);
      const steps = this.runs.runs.steps(run.id);
      for (const st of steps) {
        if (st.status !== "working" && st.status !== "awaiting_review") continue;
        const agent = this.d.runtime.memberAgent(run.team_id, st.member_id);
        // A team whose runtime is stopped never dispatched this step: a person (or the REST step
        // actions) moves it, and a restart leaves it as it was.
        if (!agent && team?.runtime_status !== "started") continue;
        if (!agent) {
          this.fail(
            run.id,
            st.step_key,
            "AGENT_EXITED",
            `the hub restarted and member "${st.member_id}" has no agent any more; its turn for this step was lost — resume the run to retry`,
          );
          continue;
        }
        if (agent.node_id === MAIN_NODE_ID && (st.started_at ?? 0) < this.bootedAt) {
          this.fail(
            run.id,
            st.step_key,
            "AGENT_EXITED",
            `${lostAgentCause(MAIN_NODE_ID)}; its turn for this step was lost — resume the run to retry`,
          );
          continue;
        }
        this.track(run.id, st, agent.id, agent.node_id, st.started_at ?? this.d.clock.now());
        if (team && st.status === "working" && agent.node_id !== MAIN_NODE_ID && !isTerminal(run.status))
          this.resend(run, team, st, steps, agent);
      }
      this.deferred.add(run.id);
    }
  }

  private resend(run: Run, team: Team, step: Step, all: Step[], agent: Agent): void {
    const text = this.stepPrompt(run, team, run.spec, step, all, []);
    const turnId = stepTurnId(run.id, step.step_key, step.attempt);
    this.d.nodes
      .client(agent.node_id)
      .sendInput(agent.id, text, turnId)
      .catch((err: unknown) => {
        this.d.logger.warn(
          { component: "executor", run_id: run.id, step_key: step.step_key, err: (err as Error).message },
          "could not re-send a step's turn after restart; node probes decide what happens to it",
        );
      });
  }

  private stepPrompt(
    run: Run,
    team: Team,
    spec: TeamSpec,
    step: Step,
    all: Step[],
    messages: PromptMessage[],
  ): string {
    const deps = step.depends_on;
    return buildStepPrompt({
      runId: run.id,
      teamName: team.name,
      memberId: step.member_id,
      role: spec.members.find((m) => m.member_id === step.member_id)?.role ?? "worker",
      stepKey: step.step_key,
      attempt: step.attempt,
      runInput: step.input === undefined ? run.input : step.input,
      dependencies: deps.map((dk) => ({
        step_key: dk,
        output: all.find((x) => x.step_key === dk)?.output ?? null,
      })),
      messages,
      prompt: step.prompt,
    });
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    for (const t of this.turns.values()) if (t.timer) clearTimeout(t.timer);
    this.turns.clear();
  }

  private kickTeam(teamId: string): void {
    for (const run of this.runs.runs.activeRuns()) if (run.team_id === teamId) this.kick(run.id);
  }

  /** Runs `pump` for a run, one at a time; a kick while it runs makes it run once more after. */
  private kick(runId: string): void {
    if (this.stopped) return;
    if (!this.started) {
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

  private async pump(runId: string): Promise<void> {
    const run = this.runs.runs.run(runId);
    if (!run) return;
    const status = run.status;
    if (status === "failed" || status === "canceled") {
      await this.stopRunTurns(run);
      return;
    }
    if (isTerminal(status)) return;
    await this.cancelStaleTurns(run);
    const team = this.d.services.teams.repo.get(run.team_id);
    if (!team) return;
    if (!this.d.runtime.isStarted(team)) {
      this.noteWaiting(run, team);
      return;
    }
    const steps = this.runs.runs.steps(runId);
    const ready = readySteps(steps);
    // Independent steps go out together; each member's agent runs its own turns in order.
    if (ready.length > 0) await this.dispatchReady(run, team, ready, steps);
    for (const m of run.spec.members) this.deliverMail(run, team, m.member_id);
  }

  /** Turns of an earlier attempt (a resume retried their step) are cancelled: only the new one counts. */
  private async cancelStaleTurns(run: Run): Promise<void> {
    const mine = [...this.turns.values()].filter((t) => t.runId === run.id && t.stepKey !== undefined);
    if (mine.length === 0) return;
    const attempts = new Map(this.runs.runs.steps(run.id).map((s) => [s.step_key, s.attempt]));
    await Promise.all(
      mine.filter((t) => attempts.get(t.stepKey!) !== t.attempt).map((t) => this.cancelTurn(t)),
    );
  }

  private noteWaiting(run: Run, team: Team): void {
    if (this.waitingNoted.has(run.id)) return;
    this.waitingNoted.add(run.id);
    this.runs.appendEvent(run.id, "run.waiting_for_runtime", null, {
      message: `team runtime is not started; start it with POST /api/teams/${team.id}/runtime/start and the run proceeds`,
    });
  }

  /** The member's running agent, starting a fresh one if it died; undefined (step failed) if impossible. */
  private async agentFor(run: Run, team: Team, step: Step): Promise<Agent | undefined> {
    let agent = this.d.runtime.memberAgent(team.id, step.member_id);
    try {
      if (!agent || !isLiveAgentState(agent.status)) {
        // The member's agent crashed in an earlier step (or the hub restarted): a fresh one takes the step.
        agent = await this.d.runtime.restartMember(team, step.member_id);
      }
    } catch (err) {
      const f = classifyNodeError(err);
      this.fail(run.id, step.step_key, f.code, `member "${step.member_id}" could not start: ${f.message}`);
      return undefined;
    }
    const node = this.d.nodes.row(agent.node_id);
    if (node.status === "offline") {
      this.fail(
        run.id,
        step.step_key,
        "NODE_UNREACHABLE",
        `node "${node.id}" is unreachable: ${node.last_error ?? "offline"}`,
      );
      return undefined;
    }
    return agent;
  }

  /**
   * Dispatches ready steps: claims them all in one transaction (so no other pump dispatches them and
   * one commit covers them), sends each as a prompt turn, then records the dispatches in one more.
   */
  private async dispatchReady(run: Run, team: Team, ready: Step[], all: Step[]): Promise<void> {
    const usable: { step: Step; agent: Agent }[] = [];
    const byMember = new Map<string, Agent | undefined>();
    for (const step of ready) {
      if (!byMember.has(step.member_id)) byMember.set(step.member_id, await this.agentFor(run, team, step));
      const agent = byMember.get(step.member_id);
      if (agent) usable.push({ step, agent });
    }
    const spec = run.spec;
    const claimed = this.d.services.db.transaction(() => {
      const out: { step: Step; agent: Agent; text: string; turnId: string; messages: string[] }[] = [];
      const gotMail = new Set<string>();
      for (const { step, agent } of usable) {
        const current = this.runs.runs.step(run.id, step.step_key);
        if (current?.status !== "submitted" || current.attempt !== step.attempt) continue;
        this.runs.transitionStep({ kind: "system" }, run.id, step.step_key, { action: "start" });
        // A member's new messages go into its first step turn of this batch.
        const messages = gotMail.has(step.member_id) ? [] : this.pendingMessages(run, step.member_id);
        gotMail.add(step.member_id);
        const text = this.stepPrompt(run, team, spec, step, all, messages);
        const turnId = stepTurnId(run.id, step.step_key, step.attempt);
        out.push({ step, agent, text, turnId, messages: messages.map((m) => m.message_id) });
      }
      return out;
    })();
    const sent = await Promise.all(
      claimed.map(async (c) => {
        this.track(run.id, c.step, c.agent.id, c.agent.node_id, this.d.clock.now());
        try {
          await this.d.nodes.client(c.agent.node_id).sendInput(c.agent.id, c.text, c.turnId);
          return c;
        } catch (err) {
          this.untrack(c.turnId);
          const f = classifyNodeError(err);
          this.fail(
            run.id,
            c.step.step_key,
            f.code,
            `dispatch to member "${c.step.member_id}" failed: ${f.message}`,
          );
          return undefined;
        }
      }),
    );
    this.d.services.db.transaction(() => {
      for (const c of sent) {
        if (!c) continue;
        if (c.messages.length > 0) this.d.services.mailbox.markDelivered(run, c.step.member_id, c.messages);
        this.runs.appendEvent(run.id, "step.dispatched", c.step.step_key, {
          member_id: c.step.member_id,
          agent_id: c.agent.id,
          node_id: c.agent.node_id,
          turn_id: c.turnId,
        });
      }
    })();
  }

  private track(runId: string, step: Step, agentId: string, nodeId: string, startedAt: number): void {
    const turnId = stepTurnId(runId, step.step_key, step.attempt);
    const t: InFlight = {
      turnId,
      agentId,
      nodeId,
      runId,
      stepKey: step.step_key,
      attempt: step.attempt,
      timer: undefined,
    };
    if (step.timeout_seconds) {
      const due = startedAt + step.timeout_seconds * 1000 - this.d.clock.now();
      t.timer = setTimeout(() => void this.timeoutStep(t, step.timeout_seconds!), Math.max(0, due));
      t.timer.unref();
    }
    this.turns.set(turnId, t);
  }

  private untrack(turnId: string): InFlight | undefined {
    const t = this.turns.get(turnId);
    if (t?.timer) clearTimeout(t.timer);
    this.turns.delete(turnId);
    return t;
  }

  private async timeoutStep(t: InFlight, seconds: number): Promise<void> {
    if (!this.turns.has(t.turnId) || !t.stepKey) return;
    this.fail(
      t.runId,
      t.stepKey,
      "EXECUTION_TIMEOUT",
      `step "${t.stepKey}" did not finish within ${seconds} s`,
    );
    await this.cancelTurn(t);
  }

  private async cancelTurn(t: InFlight): Promise<void> {
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

  /** A failed or canceled run: its other steps stop, their in-flight turns are cancelled (ACP cancel). */
  private async stopRunTurns(run: Run): Promise<void> {
    if (run.status === "failed") {
      this.runs.cancelUnfinishedSteps(run.id, `canceled because the run failed: ${run.error_message ?? ""}`);
    }
    const mine = [...this.turns.values()].filter((t) => t.runId === run.id);
    await Promise.all(mine.map((t) => this.cancelTurn(t)));
  }

  /** Fails a step unless it already finished (a late timeout, a second failure report). */
  private fail(runId: string, stepKey: string, code: StepFailureCode, message: string): void {
    const step = this.runs.runs.step(runId, stepKey);
    const run = this.runs.runs.run(runId);
    if (!step || !run || isTerminal(step.status) || isTerminal(run.status)) return;
    this.runs.transitionStep({ kind: "system" }, runId, stepKey, {
      action: "fail",
      errorText: message,
      code,
    });
  }

  /** A node that went offline fails the steps whose turns were running there. */
  onNodeOffline(nodeId: string): void {
    const node = this.d.nodes.row(nodeId);
    for (const t of [...this.turns.values()]) {
      if (t.nodeId !== nodeId) continue;
      this.untrack(t.turnId);
      if (t.stepKey) {
        this.fail(
          t.runId,
          t.stepKey,
          "NODE_UNREACHABLE",
          `node "${nodeId}" became unreachable during the step: ${node.last_error ?? "probes failed"}`,
        );
      }
    }
  }

  // ---- events from agents (stored by the hub) ----

  onEvents(events: readonly StoredAgentEvent[]): void {
    for (const e of events) {
      try {
        switch (e.kind) {
          case "agent_exited":
            this.lastExit.set(e.agent_id, e.data);
            if (e.data.reaped === true) this.failOrphanedSteps(e);
            break;
          case "turn_ended":
            this.onTurnEnded(e);
            break;
          case "permission_request":
            this.d.reviews.onRequest(e);
            break;
          case "permission_resolved":
            this.d.reviews.onResolved(e);
            break;
          default:
            break;
        }
      } catch (err) {
        this.d.logger.error(
          { component: "executor", agent_id: e.agent_id, kind: e.kind, err },
          "agent event not applied to its run",
        );
      }
    }
  }

  /**
   * A node restarted (or the hub crashed with `main`'s agents) and killed an agent left over from
   * before: its in-flight turns will never report an end, so the member's steps that were running
   * then fail now, naming what crashed, instead of staying `working` forever. In a run that already
   * finished, its pump stops them.
   */
  private failOrphanedSteps(e: StoredAgentEvent): void {
    const agent = this.d.agents.repo.byId(e.agent_id);
    if (!agent?.team_id || !agent.member_id) return;
    const at = Date.parse(e.at);
    for (const run of this.runs.runs.runsToRecover()) {
      if (run.team_id !== agent.team_id) continue;
      for (const st of this.runs.runs.steps(run.id)) {
        if (st.member_id !== agent.member_id) continue;
        if (st.status !== "working" && st.status !== "awaiting_review") continue;
        if ((st.started_at ?? 0) > at) continue;
        this.untrack(stepTurnId(run.id, st.step_key, st.attempt));
        this.fail(
          run.id,
          st.step_key,
          "AGENT_EXITED",
          `${lostAgentCause(agent.node_id)}; its turn for this step was lost — resume the run to retry`,
        );
      }
      this.kick(run.id);
    }
  }

  private onTurnEnded(e: StoredAgentEvent): void {
    const turnId = String(e.data.turn_id ?? "");
    this.untrack(turnId);
    const ref = parseTurnId(turnId);
    if (!ref) return;
    if (ref.kind === "step") this.finishStep(ref.runId, ref.stepKey, ref.attempt, e);
    const agent = this.d.agents.repo.byId(e.agent_id);
    if (agent?.team_id) this.kickTeam(agent.team_id);
  }

  private finishStep(runId: string, stepKey: string, attempt: number, e: StoredAgentEvent): void {
    const outcome = turnOutcome(e.data, this.lastExit.get(e.agent_id));
    // A completed turn is recorded whatever the run's state (so a resume never runs it again).
    if (outcome.kind === "completed") {
      this.runs.completeTurn(runId, stepKey, attempt, outcome.output);
      return;
    }
    const step = this.runs.runs.step(runId, stepKey);
    const run = this.runs.runs.run(runId);
    if (!step || !run || step.attempt !== attempt) return;
    if (isTerminal(step.status) || isTerminal(run.status)) return;
    this.fail(runId, stepKey, outcome.code, outcome.message);
  }

  // ---- mailbox ----

  private onMail(runId: string, recipients: readonly string[]): void {
    if (this.stopped) return;
    const run = this.runs.runs.run(runId);
    if (!run || isTerminal(run.status)) return;
    const team = this.d.services.teams.repo.get(run.team_id);
    if (!team || !this.d.runtime.isStarted(team)) return;
    for (const r of recipients) this.deliverMail(run, team, r);
  }

  /** The member's pending messages, oldest first, as a prompt lists them (with `seq`). */
  private pendingMessages(run: Run, memberId: string): (PromptMessage & { seq: number })[] {
    return this.d.services.mailbox.inbox(run, { actorId: memberId, limit: MAIL_BATCH }).map((m) => ({
      message_id: m.id,
      seq: m.seq,
      from_actor_id: m.from_actor_id,
      route: m.route,
      kind: m.kind,
      payload: m.payload,
    }));
  }

  private busy(agentId: string): boolean {
    for (const t of this.turns.values()) if (t.agentId === agentId) return true;
    return false;
  }

  /** An idle member with pending messages gets them as a turn (a busy one in its next turn). */
  private deliverMail(run: Run, team: Team, memberId: string): void {
    if (this.stopped || isTerminal(run.status)) return;
    const agent = this.d.runtime.memberAgent(team.id, memberId);
    if (!agent || !isLiveAgentState(agent.status) || this.busy(agent.id)) return;
    const messages = this.pendingMessages(run, memberId);
    if (messages.length === 0) return;
    const turnId = mailTurnId(run.id, memberId, messages.at(-1)!.seq);
    if (this.turns.has(turnId)) return;
    const role = run.spec.members.find((m) => m.member_id === memberId)?.role ?? "worker";
    const text = buildMailPrompt({ runId: run.id, teamName: team.name, memberId, role, messages });
    this.turns.set(turnId, {
      turnId,
      agentId: agent.id,
      nodeId: agent.node_id,
      runId: run.id,
      stepKey: undefined,
      attempt: 0,
      timer: undefined,
    });
    this.d.nodes
      .client(agent.node_id)
      .sendInput(agent.id, text, turnId)
      .then(
        () => {
          this.d.services.mailbox.markDelivered(
            run,
            memberId,
            messages.map((m) => m.message_id),
          );
        },
        (err: unknown) => {
          this.untrack(turnId);
          this.d.logger.warn(
            { component: "executor", run_id: run.id, member_id: memberId, err: (err as Error).message },
            "mailbox delivery failed; messages stay pending",
          );
        },
      );
  }
}
