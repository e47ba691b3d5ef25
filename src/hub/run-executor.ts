import type { MetricsSink } from "../contracts/metrics-sink.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { StoredAgentEvent } from "./agent-event-bus.js";
import type { AgentService } from "./agent-service.js";
import type { HubServices } from "./hub-services.js";
import type { NodeRegistry } from "./node-registry.js";
import type { ReviewService } from "./review-service.js";
import { AgentEventRouter } from "./run-engine/agent-event-router.js";
import { Dispatcher } from "./run-engine/dispatcher.js";
import { MailDelivery } from "./run-engine/mail-delivery.js";
import { recoverRuns } from "./run-engine/recovery.js";
import { RunPump } from "./run-engine/run-pump.js";
import { TurnTracker } from "./run-engine/turn-tracker.js";
import type { TeamRuntime } from "./team-runtime.js";

export interface RunExecutorDeps {
  services: HubServices;
  agents: AgentService;
  nodes: NodeRegistry;
  runtime: TeamRuntime;
  reviews: ReviewService;
  clock: Clock;
  logger: Logger;
  /** Where dispatch-to-turn-start latencies go (none when metrics are off). */
  metrics?: Pick<MetricsSink, "turnStarted">;
}

/**
 * Drives runs of started teams (the run engine, composed of its parts in `run-engine/`): every ready
 * step becomes one prompt turn to its member's agent (Dispatcher); in-flight turns and step timeouts
 * are followed (TurnTracker); the turn's end (or `agenthub actor step-complete|step-fail`) finishes the
 * step (AgentEventRouter); pending mailbox messages reach idle members as a turn of their own
 * (MailDelivery). Reacts to run changes, mailbox sends and the agents' stored events (RunPump); keeps
 * only in-flight turns in memory, rebuilt from the steps at start (recoverRuns).
 */
export class RunExecutor {
  private readonly turns: TurnTracker;
  private readonly mail: MailDelivery;
  private readonly dispatcher: Dispatcher;
  private readonly pump: RunPump;
  private readonly router: AgentEventRouter;
  /** Turns on `main` that started before this moment ran in a previous hub process. */
  private readonly bootedAt: number;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly d: RunExecutorDeps) {
    this.bootedAt = d.clock.now();
    const { services, runtime, nodes, clock, logger, metrics } = d;
    this.turns = new TurnTracker({ runs: services.runs, nodes, clock, logger, metrics });
    this.mail = new MailDelivery({ services, runtime, nodes, turns: this.turns, logger });
    this.dispatcher = new Dispatcher({
      services,
      runtime,
      nodes,
      turns: this.turns,
      mail: this.mail,
      clock,
      logger,
    });
    this.pump = new RunPump({
      services,
      runtime,
      turns: this.turns,
      dispatcher: this.dispatcher,
      mail: this.mail,
      logger,
    });
    this.router = new AgentEventRouter({
      services,
      agents: d.agents,
      reviews: d.reviews,
      nodes,
      turns: this.turns,
      pump: this.pump,
      logger,
    });
  }

  start(): void {
    const s = this.d.services;
    const onRun = (runId: string) => this.pump.kick(runId);
    // Deferred: a send answers its sender first; delivery to idle members follows on the next tick.
    const onSent = (runId: string, recipients: string[]) =>
      void setImmediate(() => this.mail.onSent(runId, recipients));
    const onTeam = (teamId: string) => this.pump.kickTeam(teamId);
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
    recoverRuns(
      {
        services: s,
        runtime: this.d.runtime,
        turns: this.turns,
        dispatcher: this.dispatcher,
        pump: this.pump,
        clock: this.d.clock,
      },
      this.bootedAt,
    );
    this.pump.open();
  }

  stop(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.pump.stop();
    this.mail.stop();
    this.turns.stop();
  }

  /** A node that went offline fails the steps whose turns were running there. */
  onNodeOffline(nodeId: string): void {
    this.router.nodeOffline(nodeId);
  }

  /** Agent events the hub stored (called inside the ingestor's transaction). */
  onEvents(events: readonly StoredAgentEvent[]): void {
    this.router.route(events);
  }
}
