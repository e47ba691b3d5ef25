import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { MetricsScrape } from "../api/metrics-routes.js";
import type { SseStats } from "../api/sse-stream.js";
import type {
  HttpRequestObservation,
  MetricsSink,
  TurnKind,
  WebhookDeliveryOutcome,
} from "../contracts/metrics-sink.js";
import { RUN_STATUSES } from "../domain/run-state.js";
import { NODE_STATUSES } from "../hub/node-registry.js";
import type { MetricsRepo } from "../store/metrics-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { newMetricsRegistry, scrapeRegistry } from "./metrics-registry.js";

const WEBHOOK_OUTCOMES: readonly WebhookDeliveryOutcome[] = ["delivered", "failed", "given_up"];
const TURN_KINDS: readonly TurnKind[] = ["step", "mail"];

/** What the hub's gauges read at scrape time. */
export interface HubMetricsSources {
  /** The stored counts; undefined while the database is closed (no samples then). */
  counts: () => MetricsRepo | undefined;
  sse: () => SseStats;
  clock: Clock;
  logger: Logger;
}

/**
 * The hub's metrics over its own registry: what the services report through {@link MetricsSink}
 * (requests, turn starts, webhook deliveries) and the agent events stored, plus gauges read at scrape
 * time (runs and steps by status, mailbox backlog, pending reviews, nodes, SSE clients) with one
 * aggregate query each. A gauge whose read fails is left empty and counted in
 * `agenthub_metrics_collect_errors_total{collector}`; the scrape still answers.
 */
export class HubMetrics implements MetricsSink {
  readonly registry: Registry = newMetricsRegistry("hub");
  private readonly http: Histogram<"method" | "route" | "status">;
  private readonly turnStart: Histogram<"kind">;
  private readonly eventsIngested: Counter<"kind">;
  private readonly webhooks: Counter<"outcome">;
  private readonly collectErrors: Counter<"collector">;

  constructor(private readonly s: HubMetricsSources) {
    const registers = [this.registry];
    this.http = new Histogram({
      name: "agenthub_http_request_duration_seconds",
      help: "REST requests by route pattern, method and status, until the answer was sent (SSE streams are not counted).",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.turnStart = new Histogram({
      name: "agenthub_dispatch_to_turn_start_seconds",
      help: "From the hub sending a prompt turn (a step, or mail to an idle member) to its agent starting it; includes waiting behind the agent's earlier turns.",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    for (const kind of TURN_KINDS) this.turnStart.zero({ kind });
    this.eventsIngested = new Counter({
      name: "agenthub_agent_events_ingested_total",
      help: "Agent events the hub stored from its nodes, by kind.",
      labelNames: ["kind"],
      registers,
    });
    this.webhooks = new Counter({
      name: "agenthub_webhook_deliveries_total",
      help: "Webhook delivery attempts by outcome (delivered, failed and retried later, given_up after the last attempt).",
      labelNames: ["outcome"],
      registers,
    });
    for (const outcome of WEBHOOK_OUTCOMES) this.webhooks.inc({ outcome }, 0);
    this.collectErrors = new Counter({
      name: "agenthub_metrics_collect_errors_total",
      help: "Scrapes in which a gauge could not be read (see the hub's warn log).",
      labelNames: ["collector"],
      registers,
    });
    this.registerGauges(registers);
  }

  httpRequest(o: HttpRequestObservation): void {
    this.http.observe({ method: o.method, route: o.route, status: String(o.status) }, o.seconds);
  }

  turnStarted(kind: TurnKind, seconds: number): void {
    this.turnStart.observe({ kind }, seconds);
  }

  webhookDelivery(outcome: WebhookDeliveryOutcome): void {
    this.webhooks.inc({ outcome });
  }

  /** An agent event was stored (its parsed kind; `unknown` for kinds this hub does not know). */
  eventIngested(kind: string): void {
    this.eventsIngested.inc({ kind });
  }

  scrape(): Promise<MetricsScrape> {
    return scrapeRegistry(this.registry);
  }

  /** Runs a gauge's read against the stored counts; a failure is logged and counted, never thrown. */
  private read(collector: string, fn: (repo: MetricsRepo) => void): void {
    const repo = this.s.counts();
    if (!repo) return;
    try {
      fn(repo);
    } catch (err) {
      this.collectErrors.inc({ collector });
      this.s.logger.warn({ component: "metrics", collector, err: (err as Error).message }, "metric not read");
    }
  }

  private registerGauges(registers: Registry[]): void {
    const metrics = this;
    const byStatus = (
      name: string,
      help: string,
      rows: (repo: MetricsRepo) => { status: string; n: number }[],
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ["status"],
        registers,
        collect() {
          this.reset();
          metrics.read(name, (repo) => {
            const counts = new Map<string, number>(RUN_STATUSES.map((st) => [st, 0]));
            for (const r of rows(repo)) counts.set(r.status, r.n);
            for (const [status, n] of counts) this.set({ status }, n);
          });
        },
      });
    byStatus("agenthub_runs", "Runs by status.", (repo) => repo.runsByStatus());
    byStatus("agenthub_steps", "Run steps by status.", (repo) => repo.stepsByStatus());
    new Gauge({
      name: "agenthub_mailbox_backlog",
      help: "Mailbox deliveries waiting for their recipient (in runs that have not ended).",
      registers,
      collect() {
        this.reset();
        metrics.read("agenthub_mailbox_backlog", (repo) => this.set(repo.mailboxBacklog()));
      },
    });
    new Gauge({
      name: "agenthub_pending_reviews",
      help: "Permission reviews waiting for an answer.",
      registers,
      collect() {
        this.reset();
        metrics.read("agenthub_pending_reviews", (repo) => this.set(repo.pendingReviews().count));
      },
    });
    new Gauge({
      name: "agenthub_pending_review_oldest_age_seconds",
      help: "How long the oldest pending permission review has waited (0 when none waits).",
      registers,
      collect() {
        this.reset();
        metrics.read("agenthub_pending_review_oldest_age_seconds", (repo) => {
          const oldest = repo.pendingReviews().oldestCreatedAt;
          this.set(oldest === null ? 0 : Math.max(0, metrics.s.clock.now() - oldest) / 1000);
        });
      },
    });
    new Gauge({
      name: "agenthub_nodes",
      help: "Agent nodes (the built-in main included) by status.",
      labelNames: ["status"],
      registers,
      collect() {
        this.reset();
        metrics.read("agenthub_nodes", (repo) => {
          const counts = new Map<string, number>(NODE_STATUSES.map((st) => [st, 0]));
          for (const n of repo.nodes()) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
          for (const [status, n] of counts) this.set({ status }, n);
        });
      },
    });
    new Gauge({
      name: "agenthub_node_probe_latency_seconds",
      help: "Round trip of each node's last successful health probe.",
      labelNames: ["node"],
      registers,
      collect() {
        this.reset();
        metrics.read("agenthub_node_probe_latency_seconds", (repo) => {
          for (const n of repo.nodes())
            if (n.probe_latency_ms !== null) this.set({ node: n.id }, n.probe_latency_ms / 1000);
        });
      },
    });
    new Gauge({
      name: "agenthub_sse_clients",
      help: "Open SSE streams (agent and run events, attention).",
      registers,
      collect() {
        this.set(metrics.s.sse().open);
      },
    });
    new Counter({
      name: "agenthub_sse_clients_dropped_total",
      help: "SSE clients disconnected for falling more than [server] sse_max_buffered_bytes behind (they resume).",
      registers,
      collect() {
        this.reset();
        this.inc(metrics.s.sse().dropped);
      },
    });
  }
}
