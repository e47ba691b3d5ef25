import type { AgentEvent } from "../../contracts/agent-events.js";
import { turnOutcome } from "../../domain/step-failure.js";
import { parseTurnId, stepTurnId } from "../../domain/turn-id.js";
import type { Agent } from "../../store/agents-repo.js";
import type { Logger } from "../../util/logger.js";
import type { StoredAgentEvent } from "../agent-event-bus.js";
import type { AgentService } from "../agent-service.js";
import type { HubServices } from "../hub-services.js";
import { lostAgentCause } from "../node-failure.js";
import type { NodeRegistry } from "../node-registry.js";
import type { ReviewService } from "../review-service.js";
import { AgentActivity } from "./agent-activity.js";
import { failStep } from "./fail-step.js";
import type { RunPump } from "./run-pump.js";
import type { TurnTracker } from "./turn-tracker.js";

type Ev<K extends AgentEvent["kind"]> = Extract<AgentEvent, { kind: K }>;

export interface AgentEventRouterDeps {
  services: HubServices;
  agents: Pick<AgentService, "repo">;
  reviews: Pick<ReviewService, "onRequest" | "onResolved">;
  nodes: Pick<NodeRegistry, "row">;
  turns: TurnTracker;
  pump: Pick<RunPump, "kick" | "kickTeam">;
  logger: Logger;
}

/**
 * What the agents' stored events mean for runs. A step turn's end finishes its step: completed with
 * the reply (recorded whatever the run's state, so a resume never runs it again), or failed with the
 * code its stop reason maps to (domain `turnOutcome`); a turn of an attempt a resume or restart replaced
 * is recorded as `step.stale_turn_ignored` and changes nothing. An agent a restart reaped fails the
 * steps it was running. Permission requests and resolutions go to the reviews (which record warnings).
 * A node lost to probes fails the steps whose turns ran there. What members' agents do in run turns
 * (tool calls, plans, mode changes) and what became of their sessions after a restart is summarised
 * in the runs' events (AgentActivity).
 */
export class AgentEventRouter {
  /** Each agent's last exit, for the message of the turn that ended with it. */
  private readonly lastExit = new Map<string, Ev<"agent_exited">>();
  private readonly activity: AgentActivity;

  constructor(private readonly d: AgentEventRouterDeps) {
    this.activity = new AgentActivity(d.services.runs);
  }

  private get runs() {
    return this.d.services.runs;
  }

  route(events: readonly StoredAgentEvent[]): void {
    for (const { agent_id: agentId, event: e, at } of events) {
      try {
        switch (e.kind) {
          case "agent_exited":
            this.lastExit.set(agentId, e);
            if (e.reaped) this.failOrphanedSteps(agentId, Date.parse(at));
            break;
          case "turn_started":
            this.d.turns.started(e.turnId);
            break;
          case "turn_ended":
            this.turnEnded(agentId, e);
            break;
          case "permission_request":
            this.d.reviews.onRequest(agentId, e);
            break;
          case "permission_resolved":
            this.d.reviews.onResolved(agentId, e);
            break;
          case "session_update":
            // Message chunks (most updates) are never summarised: no lookup for them.
            if (e.update.type === "message_chunk" || e.update.type === "other") break;
            this.withMember(agentId, (a) => this.activity.sessionUpdate(a, e));
            break;
          case "session_started":
            this.withMember(agentId, (a) => this.activity.sessionStarted(a, e));
            break;
          default:
            break;
        }
      } catch (err) {
        this.d.logger.error(
          { component: "executor", agent_id: agentId, kind: e.kind, err },
          "agent event not applied to its run",
        );
      }
    }
  }

  /** Runs `fn` with the agent when it is a team member's (only those take part in runs). */
  private withMember(agentId: string, fn: (agent: Agent) => void): void {
    const agent = this.d.agents.repo.byId(agentId);
    if (agent?.team_id) fn(agent);
  }

  /** A node that went offline fails the steps whose turns were running there. */
  nodeOffline(nodeId: string): void {
    const node = this.d.nodes.row(nodeId);
    for (const t of this.d.turns.onNode(nodeId)) {
      this.d.turns.untrack(t.turnId);
      if (!t.stepKey) continue;
      failStep(
        this.runs,
        t.runId,
        t.stepKey,
        "NODE_UNREACHABLE",
        `node "${nodeId}" became unreachable during the step: ${node.last_error ?? "probes failed"}`,
      );
    }
  }

  /**
   * A node restarted (or the hub crashed with `main`'s agents) and killed an agent left over from
   * before: its in-flight turns will never report an end, so the member's steps that were running
   * then fail now, naming what crashed, instead of staying `working` forever. In a run that already
   * finished, its pump stops them.
   */
  private failOrphanedSteps(agentId: string, at: number): void {
    const agent = this.d.agents.repo.byId(agentId);
    if (!agent?.team_id || !agent.member_id) return;
    for (const run of this.runs.runs.runsToRecover()) {
      if (run.team_id !== agent.team_id) continue;
      for (const st of this.runs.runs.steps(run.id)) {
        if (st.member_id !== agent.member_id) continue;
        if (st.status !== "working" && st.status !== "awaiting_review") continue;
        if ((st.started_at ?? 0) > at) continue;
        this.d.turns.untrack(stepTurnId(run.id, st.step_key, st.attempt));
        failStep(
          this.runs,
          run.id,
          st.step_key,
          "AGENT_EXITED",
          `${lostAgentCause(agent.node_id)}; its turn for this step was lost — resume the run to retry`,
        );
      }
      this.d.pump.kick(run.id);
    }
  }

  private turnEnded(agentId: string, e: Ev<"turn_ended">): void {
    this.d.turns.untrack(e.turnId);
    const ref = parseTurnId(e.turnId);
    if (ref?.kind === "step") this.finishStep(agentId, ref.runId, ref.stepKey, ref.attempt, e);
    // The member is idle again: its mail and the run's next steps go out.
    const agent = this.d.agents.repo.byId(agentId);
    if (agent?.team_id) this.d.pump.kickTeam(agent.team_id);
  }

  private finishStep(
    agentId: string,
    runId: string,
    stepKey: string,
    attempt: number,
    e: Ev<"turn_ended">,
  ): void {
    const step = this.runs.runs.step(runId, stepKey);
    if (!step) return;
    if (step.attempt !== attempt) {
      // A resume (or restart) gave the step a new attempt after this turn started: only the new one counts.
      this.runs.appendEvent(runId, "step.stale_turn_ignored", stepKey, {
        turn_id: e.turnId,
        attempt,
        current_attempt: step.attempt,
        stop_reason: e.stopReason,
      });
      return;
    }
    const agent = this.d.agents.repo.byId(agentId);
    const exit = this.lastExit.get(agentId);
    const outcome = turnOutcome(e, {
      lastExit: exit,
      provider: agent?.spec.provider ?? agent?.spec.command ?? agent?.name,
    });
    // A completed turn is recorded whatever the run's state (so a resume never runs it again).
    if (outcome.kind === "completed") this.runs.completeTurn(runId, stepKey, attempt, outcome.output);
    else failStep(this.runs, runId, stepKey, outcome.code, outcome.message);
  }
}
