import type { FastifyInstance } from "fastify";
import { registerActorTokenRoutes } from "../api/actor-token-routes.js";
import { registerAgentRoutes } from "../api/agent-routes.js";
import { buildApp } from "../api/build-app.js";
import { registerConsole } from "../api/console-routes.js";
import { registerMetricsRoute } from "../api/metrics-routes.js";
import { MetricsServer } from "../api/metrics-server.js";
import { registerReadinessRoute } from "../api/readiness-routes.js";
import { registerRunRoutes } from "../api/run-routes.js";
import { registerRuntimeRoutes } from "../api/runtime-routes.js";
import { SseStreams } from "../api/sse-stream.js";
import { registerTeamRoutes } from "../api/team-routes.js";
import { registerWebhookRoutes } from "../api/webhook-routes.js";
import type { Config } from "../config/config-schema.js";
import { assertCanListen, listenErrorFrom } from "../config/listen.js";
import type { NodeClient } from "../contracts/node-client.js";
import { InternalGrpc } from "../grpc/internal-grpc.js";
import { ActorService } from "../hub/actor-service.js";
import { ActorTokenRenewal } from "../hub/actor-token-renewal.js";
import { AgentEventBus } from "../hub/agent-event-bus.js";
import { AgentService } from "../hub/agent-service.js";
import { AttentionService } from "../hub/attention-service.js";
import { AuthService } from "../hub/auth-service.js";
import { durableNodeClient } from "../hub/durable-node-client.js";
import { HistoryCleanup } from "../hub/history-cleanup.js";
import { HubServices } from "../hub/hub-services.js";
import { type NodeConnectSpec, NodeRegistry } from "../hub/node-registry.js";
import { notificationOptions } from "../hub/notifications.js";
import { ReviewService } from "../hub/review-service.js";
import { ensureRootChallenge } from "../hub/root-bootstrap.js";
import { RunExecutor } from "../hub/run-executor.js";
import { TeamRuntime } from "../hub/team-runtime.js";
import { NodeRuntime } from "../node/node-runtime.js";
import { agentRuntimeSecurity } from "../node/sandbox.js";
import { type Database, openDatabase } from "../store/database.js";
import { GroupCommit, type SyncFile } from "../store/group-commit.js";
import { MetricsRepo } from "../store/metrics-repo.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { secureDataDir } from "../util/private-files.js";
import { VERSION } from "../util/version.js";
import { DaemonLifecycle, type DaemonState } from "./daemon-lifecycle.js";
import type { HubMetrics } from "./hub-metrics.js";
import { compileHubOptions, type HubOptions } from "./hub-options.js";
import { removeHubPidfile, writeHubPidfile } from "./hub-pidfile.js";
import { checkHubReadiness } from "./hub-readiness.js";
import { LocalNodeClient } from "./local-node-client.js";
import { continueMainEventLog } from "./main-event-log.js";
import { readMetricsToken } from "./metrics-token.js";

export interface HubDaemonParams {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Where the bootstrap challenge is printed; defaults to stderr. */
  console?: (text: string) => void;
  /** Builds clients for remote nodes (TLS gRPC); without it only `main` can run agents. */
  connectNode?: (spec: NodeConnectSpec) => NodeClient;
  /** Syncs the database's WAL file (default: fdatasync on the thread pool); tests hold it. */
  syncFile?: SyncFile;
}

/**
 * The hub daemon, the composition root of the hub: compiles its Config once into options, builds the
 * services and wires them to the REST API, internal gRPC and the built-in `main` node. Its lifecycle
 * (created -> starting -> running -> stopping -> stopped, or failed) changes only through
 * {@link DaemonLifecycle.set}, which logs each transition.
 */
export class HubDaemon {
  readonly clock: Clock;
  /** The compiled options (durations in ms). */
  readonly options: HubOptions;
  private readonly lifecycle: DaemonLifecycle;
  private db: Database | undefined;
  private commits: GroupCommit | undefined;
  /** Undefined when every write so far is on disk, else a promise of that (see GroupCommit). */
  private readonly durable = () => this.commits?.durable();
  /** The REST app (tests read its route inventory). */
  app: FastifyInstance | undefined;
  private mainRuntime: NodeRuntime | undefined;
  auth!: AuthService;
  services!: HubServices;
  nodes!: NodeRegistry;
  agents!: AgentService;
  readonly bus = new AgentEventBus();
  /** Open SSE streams (agent and run events) with their back-pressure bound; tests read `sse.stats()`. */
  readonly sse: SseStreams;
  internalGrpc!: InternalGrpc;
  history!: HistoryCleanup;
  runtime!: TeamRuntime;
  reviews!: ReviewService;
  executor: RunExecutor | undefined;
  /** Renews member agents' actor tokens before they expire (when internal gRPC is enabled). */
  tokenRenewal: ActorTokenRenewal | undefined;
  /** What agents do through the actor CLI (the AuthorityService's rules). */
  actors!: ActorService;
  /** The URL the REST API actually listens on (port 0 resolved). */
  url = "";
  /** The hub's metrics when `/metrics` is served (`[metrics] listen` or `token_file`), else undefined. */
  metrics: HubMetrics | undefined;
  private metricsServer: MetricsServer | undefined;
  /** The separate metrics listener's URL (`[metrics] listen`, port 0 resolved); "" when there is none. */
  metricsUrl = "";
  /** Hooks that start extra listeners (internal gRPC) after the services exist. */
  readonly startHooks: ((hub: HubDaemon) => Promise<void>)[] = [];
  readonly stopHooks: (() => Promise<void>)[] = [];

  constructor(private readonly params: HubDaemonParams) {
    this.clock = params.clock ?? systemClock;
    this.options = compileHubOptions(params.config);
    this.lifecycle = new DaemonLifecycle("hub", params.logger.child({ component: "hub" }), this.clock);
    this.sse = new SseStreams(this.options.server.sseMaxBufferedBytes);
    this.sse.durable = this.durable;
  }

  get config(): Config {
    return this.params.config;
  }

  get state(): DaemonState {
    return this.lifecycle.state;
  }

  get logger(): Logger {
    return this.params.logger;
  }

  get database(): Database {
    if (!this.db) throw new Error("hub is not started");
    return this.db;
  }

  async start(): Promise<void> {
    this.lifecycle.set({ status: "starting" });
    const { config, logger } = this.params;
    const o = this.options;
    try {
      // An address in use refuses the start (one line: address and config key) before anything is changed.
      await assertCanListen(o.server.listen, "server.listen");
      if (o.internalGrpc.enabled) await assertCanListen(o.internalGrpc.listen, "internal_grpc.listen");
      if (o.metrics.listen) await assertCanListen(o.metrics.listen.address, "metrics.listen");
      const metricsToken = o.metrics.tokenFile ? readMetricsToken(o.metrics.tokenFile, logger) : undefined;
      // Owner-only data dir (0700, files 0600), also when an older version left it readable.
      secureDataDir(o.dataDir);
      const db = openDatabase(o.databasePath);
      this.db = db;
      // Commits stop waiting for the disk; whatever leaves the hub waits for `durable()` instead.
      this.commits = new GroupCommit(db, `${o.databasePath}-wal`, this.params.syncFile);
      // `agenthub restore` refuses while this names a live hub (rewritten with the address once it listens).
      writeHubPidfile(o.home, {
        pid: process.pid,
        url: "",
        started_at: new Date(this.clock.now()).toISOString(),
      });
      this.auth = new AuthService(db, this.clock, o.server.sessionTtlMs);
      const services = new HubServices(
        db,
        this.clock,
        this.auth,
        notificationOptions(config, logger, () => this.url),
      );
      // Team specs may name the built-in providers and the ones configured here.
      services.teams.configuredProviders = [...o.providerNames];
      this.services = services;
      const metrics = o.metrics.enabled ? await this.createMetrics(db) : undefined;
      this.metrics = metrics;
      if (metrics) services.notifications.worker.metrics = metrics;
      services.notifications.worker.durable = this.durable;

      this.mainRuntime = new NodeRuntime({
        ...o.mainNode,
        ...(await agentRuntimeSecurity(config, logger)),
        clock: this.clock,
        logger,
      });
      continueMainEventLog(db, this.mainRuntime.events, logger);
      await this.mainRuntime.start();
      this.internalGrpc = new InternalGrpc(o.internalGrpc, logger);
      if (o.internalGrpc.enabled) await this.internalGrpc.prepare();
      const internalGrpc = this.internalGrpc;
      const connectRaw =
        this.params.connectNode ?? ((spec: NodeConnectSpec) => internalGrpc.connectNode(spec));
      const connect = (spec: NodeConnectSpec) => durableNodeClient(connectRaw(spec), this.durable);
      this.nodes = new NodeRegistry({
        db,
        clock: this.clock,
        logger: logger.child({ component: "nodes" }),
        bus: this.bus,
        mainClient: durableNodeClient(new LocalNodeClient(this.mainRuntime), this.durable),
        connect,
        probeIntervalMs: o.nodes.probeIntervalMs,
        offlineGraceMs: o.nodes.offlineGraceMs,
        // Runs inside the ingestor's transaction: a batch of events and what it changes commit together.
        onEvents: (events) => {
          this.agents.applyEvents(events);
          this.executor?.onEvents(events);
        },
        onNodeOffline: (nodeId) => this.executor?.onNodeOffline(nodeId),
        onStatusChange: (change) => services.notifications.onNodeStatus(change),
      });
      this.agents = new AgentService(db, this.clock, this.nodes, logger.child({ component: "agents" }));
      this.runtime = new TeamRuntime({
        services,
        agents: this.agents,
        nodes: this.nodes,
        actorEnv: (teamId, memberId, role) => this.internalGrpc.actorEnv(teamId, memberId, role),
        clock: this.clock,
        logger: logger.child({ component: "runtime" }),
      });
      if (o.internalGrpc.enabled) {
        const renewal = new ActorTokenRenewal({
          services,
          agents: this.agents,
          nodes: this.nodes,
          credentials: (teamId, memberId, role) => this.internalGrpc.actorCredentials(teamId, memberId, role),
          tokenTtlMs: o.internalGrpc.tokenTtlMs,
          clock: this.clock,
          logger: logger.child({ component: "actor-tokens" }),
        });
        this.runtime.on("memberStarted", (agentId) => renewal.issued(agentId));
        this.tokenRenewal = renewal;
      }
      this.reviews = new ReviewService(
        services,
        this.agents,
        this.nodes,
        this.clock,
        logger.child({ component: "reviews" }),
        o.reviewTimeoutMs,
      );
      this.executor = new RunExecutor({
        services,
        agents: this.agents,
        nodes: this.nodes,
        runtime: this.runtime,
        reviews: this.reviews,
        clock: this.clock,
        logger: logger.child({ component: "executor" }),
        metrics,
      });
      this.actors = new ActorService(
        services,
        this.agents,
        this.reviews,
        logger.child({ component: "actors" }),
      );
      services.beforeTeamDelete.push((teamId, cmd) => this.runtime.remove(teamId, cmd.worktrees));
      services.teams.specGuards.push((ownerId, spec) => this.agents.assertTeamCommandsAllowed(ownerId, spec));
      this.nodes.start();
      this.history = new HistoryCleanup(db, o.history, this.clock, logger);
      this.history.start();
      await this.internalGrpc.start(this.actors, this.durable);

      const agentDeps = {
        auth: this.auth,
        agents: this.agents,
        nodes: this.nodes,
        bus: this.bus,
        sse: this.sse,
      };
      this.app = await buildApp({
        logger,
        auth: this.auth,
        bodyLimitBytes: o.server.bodyLimitBytes,
        authRateLimitPerMinute: o.server.authRateLimitPerMinute,
        version: VERSION,
        metrics,
        durable: this.durable,
        // The sandbox `main`'s agents run in, for monitoring (remote nodes: the admin node health route).
        health: () => ({ agents: { isolation: this.mainRuntime?.info().isolation ?? "none" } }),
        registerRoutes: [
          (app) => registerReadinessRoute(app, () => checkHubReadiness(this.db, this.internalGrpc)),
          ...(metrics && metricsToken
            ? [(app: FastifyInstance) => registerMetricsRoute(app, metricsToken, () => metrics.scrape())]
            : []),
          (app) => registerTeamRoutes(app, services),
          (app) => registerWebhookRoutes(app, services),
          (app) => registerRunRoutes(app, services, this.sse),
          (app) => registerAgentRoutes(app, agentDeps),
          (app) => registerActorTokenRoutes(app, services, internalGrpc),
          (app) =>
            registerRuntimeRoutes(app, {
              auth: this.auth,
              services,
              runtime: this.runtime,
              reviews: this.reviews,
            }),
          (app) =>
            registerConsole(app, {
              auth: this.auth,
              sse: this.sse,
              attention: new AttentionService({
                services,
                agents: this.agents,
                nodes: this.nodes,
                bus: this.bus,
                clock: this.clock,
                pollMs: o.nodes.probeIntervalMs,
              }),
            }),
        ],
      });
      for (const hook of this.startHooks) await hook(this);
      const { host, port } = o.server;
      await this.app.listen({ host, port }).catch((err: unknown) => {
        throw listenErrorFrom(err, o.server.listen, "server.listen");
      });
      const addr = this.app.server.address();
      const boundPort = typeof addr === "object" && addr ? addr.port : port;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      this.url = `http://${urlHost}:${boundPort}`;
      if (metrics && o.metrics.listen) await this.listenMetrics(metrics, o.metrics.listen);
      const banner = await ensureRootChallenge(this.auth, o.home, this.url);
      await this.durable();
      if (banner) (this.params.console ?? ((t) => process.stderr.write(t)))(banner);
      writeHubPidfile(o.home, {
        pid: process.pid,
        url: this.url,
        started_at: new Date(this.clock.now()).toISOString(),
      });
      this.executor.start();
      services.notifications.start();
      this.tokenRenewal?.start();
      this.reviews.recover();
      this.lifecycle.set(
        { status: "running", address: this.url },
        {
          url: this.url,
          ...(this.metricsUrl ? { metrics_url: `${this.metricsUrl}/metrics` } : {}),
          version: VERSION,
          home: o.home,
          agent_isolation: this.mainRuntime?.info().isolation ?? "none",
        },
      );
      // Agents of started teams on the built-in node died with the previous process; start them again.
      void this.runtime.recover();
    } catch (err) {
      this.lifecycle.set({ status: "failed", error: err instanceof Error ? err.message : String(err) });
      await this.closeResources();
      throw err;
    }
  }

  /**
   * The hub's metrics registry (prom-client, loaded only when metrics are on): the services' sink, the
   * stored counts read at scrape, `main`'s runtime gauges, and every stored agent event counted by kind.
   */
  private async createMetrics(db: Database): Promise<HubMetrics> {
    const { HubMetrics } = await import("./hub-metrics.js");
    const { registerNodeRuntimeMetrics } = await import("./node-metrics.js");
    const repo = new MetricsRepo(db);
    const metrics = new HubMetrics({
      counts: () => (this.db ? repo : undefined),
      sse: () => this.sse.stats(),
      clock: this.clock,
      logger: this.params.logger,
    });
    registerNodeRuntimeMetrics(metrics.registry, "main", () => this.mainRuntime);
    this.bus.on("event", (e) => metrics.eventIngested(e.event.kind));
    return metrics;
  }

  /** `[metrics] listen`: the separate loopback listener serving only `/metrics`. */
  private async listenMetrics(
    metrics: HubMetrics,
    listen: NonNullable<HubOptions["metrics"]["listen"]>,
  ): Promise<void> {
    const server = new MetricsServer(() => metrics.scrape(), this.params.logger);
    await server.listen(listen.host, listen.port).catch((err: unknown) => {
      throw listenErrorFrom(err, listen.address, "metrics.listen");
    });
    this.metricsServer = server;
    const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
    this.metricsUrl = `http://${host}:${server.port}`;
  }

  /** Drains: stops accepting, lets in-flight requests finish, stops agents, then closes the database. */
  async stop(): Promise<void> {
    const status = this.lifecycle.status;
    if (status === "stopped" || status === "stopping") return;
    this.lifecycle.set({ status: "stopping" });
    await this.closeResources();
    this.lifecycle.set({ status: "stopped" });
  }

  private async closeResources(): Promise<void> {
    this.bus.emit("shutdown");
    this.sse.closeAll();
    this.executor?.stop();
    this.services?.notifications.stop();
    this.tokenRenewal?.stop();
    this.reviews?.stop();
    const app = this.app;
    if (app) {
      // In-flight requests get a bounded drain; a client that stalls mid-response cannot hold shutdown.
      const drainMs = this.options.server.drainMs;
      const force = setTimeout(() => {
        this.params.logger.warn(
          { component: "hub", drain_ms: drainMs },
          "closing connections still open after the drain",
        );
        app.server.closeAllConnections();
      }, drainMs);
      await app.close();
      clearTimeout(force);
    }
    this.app = undefined;
    await this.metricsServer?.close();
    this.metricsServer = undefined;
    for (const hook of this.stopHooks) await hook().catch(() => undefined);
    await this.internalGrpc?.stop();
    this.history?.stop();
    this.nodes?.stop();
    await this.mainRuntime?.shutdown();
    this.mainRuntime = undefined;
    if (this.db) removeHubPidfile(this.options.home);
    this.commits?.close();
    this.commits = undefined;
    this.db?.close();
    this.db = undefined;
  }
}
