import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { registerActorTokenRoutes } from "../api/actor-token-routes.js";
import { registerAgentRoutes } from "../api/agent-routes.js";
import { buildApp } from "../api/build-app.js";
import { registerConsole } from "../api/console-routes.js";
import { registerRunRoutes } from "../api/run-routes.js";
import { registerRuntimeRoutes } from "../api/runtime-routes.js";
import { SseStreams } from "../api/sse-stream.js";
import { registerTeamRoutes } from "../api/team-routes.js";
import type { Config } from "../config/config-schema.js";
import type { NodeClient } from "../contracts/node-client.js";
import { NodeRuntime } from "../node/node-runtime.js";
import { agentRuntimeSecurity } from "../node/sandbox.js";
import { type Database, openDatabase } from "../store/database.js";
import { type Clock, systemClock } from "../util/clock.js";
import { assertCanListen, listenErrorFrom } from "../util/listen.js";
import type { Logger } from "../util/logger.js";
import { secureDataDir } from "../util/private-files.js";
import { VERSION } from "../util/version.js";
import { AgentEventBus } from "./agent-event-bus.js";
import { AgentService } from "./agent-service.js";
import { AttentionService } from "./attention-service.js";
import { AuthService } from "./auth-service.js";
import type { ReviewResponder } from "./authority-service.js";
import { HistoryCleanup } from "./history-cleanup.js";
import { HubServices } from "./hub-services.js";
import { InternalGrpc } from "./internal-grpc.js";
import { LocalNodeClient } from "./local-node-client.js";
import { type NodeConnectSpec, NodeRegistry } from "./node-registry.js";
import { ReviewService } from "./review-service.js";
import { ensureRootChallenge } from "./root-bootstrap.js";
import { RunExecutor } from "./run-executor.js";
import { TeamRuntime } from "./team-runtime.js";

export type HubState = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

export interface HubOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Where the bootstrap challenge is printed; defaults to stderr. */
  console?: (text: string) => void;
  /** Builds clients for remote nodes (TLS gRPC); without it only `main` can run agents. */
  connectNode?: (spec: NodeConnectSpec) => NodeClient;
}

export function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(":");
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(listen.slice(i + 1)) };
}

/** How long shutdown waits for in-flight requests before closing their connections. */
const DRAIN_MS = 5_000;

/**
 * The hub daemon. Lifecycle: created -> starting -> running -> stopping -> stopped (or failed).
 * Owns the database, the REST API, the built-in `main` node, the node registry and internal gRPC.
 */
export class HubDaemon {
  state: HubState = "created";
  readonly clock: Clock;
  private db: Database | undefined;
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
  /** Answers permission reviews for the actor CLI (a member answering as the routed reviewer). */
  reviewResponder: ReviewResponder = async (run, reviewId, actorId, outcome) => {
    const answer = "cancelled" in outcome ? { outcome: "cancelled" } : { option_id: outcome.option_id };
    const r = await this.reviews.respond(run, reviewId, { kind: "member", memberId: actorId }, answer);
    const chosen = r.review.outcome as { option_id?: string; cancelled?: boolean } | null;
    return {
      request_id: r.review.id,
      outcome: r.already_resolved ? "already_resolved" : chosen?.option_id ? "selected" : "cancelled",
      option_id: chosen?.option_id ?? "",
    };
  };
  /** The URL the REST API actually listens on (port 0 resolved). */
  url = "";
  /** Hooks that start extra listeners (internal gRPC) after the services exist. */
  readonly startHooks: ((hub: HubDaemon) => Promise<void>)[] = [];
  readonly stopHooks: (() => Promise<void>)[] = [];

  constructor(private readonly opts: HubOptions) {
    this.clock = opts.clock ?? systemClock;
    this.sse = new SseStreams(opts.config.server.sse_max_buffered_bytes);
  }

  get config(): Config {
    return this.opts.config;
  }

  get logger(): Logger {
    return this.opts.logger;
  }

  get database(): Database {
    if (!this.db) throw new Error("hub is not started");
    return this.db;
  }

  async start(): Promise<void> {
    if (this.state !== "created") throw new Error(`hub cannot start from state ${this.state}`);
    this.state = "starting";
    const { config, logger } = this.opts;
    try {
      // An address in use refuses the start (one line: address and config key) before anything is changed.
      await assertCanListen(config.server.listen, "server.listen");
      if (config.internal_grpc.enabled)
        await assertCanListen(config.internal_grpc.listen, "internal_grpc.listen");
      // Owner-only data dir (0700, files 0600), also when an older version left it readable.
      secureDataDir({
        home: config.home,
        trees: [join(config.home, "node-main"), config.internal_grpc.security.cert_dir],
        worktreeRoot: config.worktree.default_root,
        safePaths: config.safe_paths,
      });
      const db = openDatabase(join(config.home, "agenthub.db"));
      this.db = db;
      this.auth = new AuthService(db, this.clock, config.server.session_ttl_hours * 3_600_000);
      const services = new HubServices(db, this.clock, this.auth);
      // Team specs may name the built-in providers and the ones configured here.
      services.teams.configuredProviders = Object.keys(config.agents.providers);
      this.services = services;

      this.mainRuntime = new NodeRuntime({
        nodeId: "main",
        dataDir: join(config.home, "node-main"),
        safePaths: config.safe_paths,
        worktreeRoot: config.worktree.default_root,
        providers: config.agents.providers,
        ...(await agentRuntimeSecurity(config, logger)),
      });
      await this.mainRuntime.start();
      this.internalGrpc = new InternalGrpc(config, logger);
      if (config.internal_grpc.enabled) await this.internalGrpc.prepare();
      const internalGrpc = this.internalGrpc;
      const connect = this.opts.connectNode ?? ((spec: NodeConnectSpec) => internalGrpc.connectNode(spec));
      this.nodes = new NodeRegistry({
        db,
        clock: this.clock,
        logger: logger.child({ component: "nodes" }),
        bus: this.bus,
        mainClient: new LocalNodeClient(this.mainRuntime),
        connect,
        probeIntervalMs: config.node.probe_interval_seconds * 1000,
        offlineGraceMs: config.node.offline_grace_seconds * 1000,
        // Runs inside the ingestor's transaction: a batch of events and what it changes commit together.
        onEvents: (events) => {
          this.agents.applyEvents(events);
          this.executor?.onEvents(events);
        },
        onNodeOffline: (nodeId) => this.executor?.onNodeOffline(nodeId),
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
      this.reviews = new ReviewService(
        services,
        this.agents,
        this.nodes,
        this.clock,
        logger.child({ component: "reviews" }),
        config.permissions.review_timeout_seconds * 1000,
      );
      this.executor = new RunExecutor({
        services,
        agents: this.agents,
        nodes: this.nodes,
        runtime: this.runtime,
        reviews: this.reviews,
        clock: this.clock,
        logger: logger.child({ component: "executor" }),
      });
      services.beforeTeamDelete.push((teamId) => this.runtime.remove(teamId));
      services.teams.specGuards.push((ownerId, spec) => this.agents.assertTeamCommandsAllowed(ownerId, spec));
      this.nodes.start();
      this.history = new HistoryCleanup(db, config.history, this.clock, logger);
      this.history.start();
      await this.internalGrpc.start(services, this.agents, (...args) => this.reviewResponder(...args));

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
        bodyLimitBytes: config.server.body_limit_bytes,
        authRateLimitPerMinute: config.server.auth_rate_limit_per_minute,
        version: VERSION,
        // The sandbox `main`'s agents run in, for monitoring (remote nodes: the admin node health route).
        health: () => ({ agents: { isolation: this.mainRuntime?.info().isolation ?? "none" } }),
        registerRoutes: [
          (app) => registerTeamRoutes(app, services),
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
                pollMs: config.node.probe_interval_seconds * 1000,
              }),
            }),
        ],
      });
      for (const hook of this.startHooks) await hook(this);
      const { host, port } = splitListen(config.server.listen);
      await this.app.listen({ host, port }).catch((err: unknown) => {
        throw listenErrorFrom(err, config.server.listen, "server.listen");
      });
      const addr = this.app.server.address();
      const boundPort = typeof addr === "object" && addr ? addr.port : port;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      this.url = `http://${urlHost}:${boundPort}`;
      logger.info(
        {
          component: "hub",
          url: this.url,
          version: VERSION,
          home: config.home,
          agent_isolation: this.mainRuntime?.info().isolation ?? "none",
        },
        "hub listening",
      );
      const banner = await ensureRootChallenge(this.auth, config.home, this.url);
      if (banner) (this.opts.console ?? ((t) => process.stderr.write(t)))(banner);
      this.executor.start();
      this.reviews.recover();
      this.state = "running";
      // Agents of started teams on the built-in node died with the previous process; start them again.
      void this.runtime.recover();
    } catch (err) {
      this.state = "failed";
      await this.closeResources();
      throw err;
    }
  }

  /** Drains: stops accepting, lets in-flight requests finish, stops agents, then closes the database. */
  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "stopping") return;
    this.state = "stopping";
    await this.closeResources();
    this.state = "stopped";
    this.opts.logger.info({ component: "hub" }, "hub stopped");
  }

  private async closeResources(): Promise<void> {
    this.bus.emit("shutdown");
    this.sse.closeAll();
    this.executor?.stop();
    this.reviews?.stop();
    const app = this.app;
    if (app) {
      // In-flight requests get a bounded drain; a client that stalls mid-response cannot hold shutdown.
      const force = setTimeout(() => {
        this.opts.logger.warn(
          { component: "hub", drain_ms: DRAIN_MS },
          "closing connections still open after the drain",
        );
        app.server.closeAllConnections();
      }, DRAIN_MS);
      await app.close();
      clearTimeout(force);
    }
    this.app = undefined;
    for (const hook of this.stopHooks) await hook().catch(() => undefined);
    await this.internalGrpc?.stop();
    this.history?.stop();
    this.nodes?.stop();
    await this.mainRuntime?.shutdown();
    this.mainRuntime = undefined;
    this.db?.close();
    this.db = undefined;
  }
}
