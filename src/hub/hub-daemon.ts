import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../api/build-app.js";
import type { Config } from "../config/config-schema.js";
import { type Database, openDatabase } from "../store/database.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { VERSION } from "../util/version.js";
import { AuthService } from "./auth-service.js";
import { ensureRootChallenge } from "./root-bootstrap.js";

export type HubState = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

export interface HubOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Where the bootstrap challenge is printed; defaults to stderr. */
  console?: (text: string) => void;
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(":");
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(listen.slice(i + 1)) };
}

/** The hub daemon: owns the database, the REST API and (later) internal gRPC and nodes. */
export class HubDaemon {
  state: HubState = "created";
  readonly clock: Clock;
  private db: Database | undefined;
  private app: FastifyInstance | undefined;
  auth!: AuthService;
  /** The URL the REST API actually listens on (port 0 resolved). */
  url = "";

  constructor(private readonly opts: HubOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get config(): Config {
    return this.opts.config;
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
      mkdirSync(config.home, { recursive: true, mode: 0o700 });
      this.db = openDatabase(join(config.home, "agenthub.db"));
      this.auth = new AuthService(this.db, this.clock, config.server.session_ttl_hours * 3_600_000);
      this.app = await buildApp({
        logger,
        auth: this.auth,
        bodyLimitBytes: config.server.body_limit_bytes,
        authRateLimitPerMinute: config.server.auth_rate_limit_per_minute,
        version: VERSION,
      });
      const { host, port } = splitListen(config.server.listen);
      await this.app.listen({ host, port });
      const addr = this.app.server.address();
      const boundPort = typeof addr === "object" && addr ? addr.port : port;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      this.url = `http://${urlHost}:${boundPort}`;
      logger.info({ component: "hub", url: this.url, version: VERSION, home: config.home }, "hub listening");
      const banner = await ensureRootChallenge(this.auth, config.home, this.url);
      if (banner) (this.opts.console ?? ((t) => process.stderr.write(t)))(banner);
      this.state = "running";
    } catch (err) {
      this.state = "failed";
      await this.closeResources();
      throw err;
    }
  }

  /** Drains: stops accepting, lets in-flight requests finish, then closes the database. */
  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "stopping") return;
    this.state = "stopping";
    await this.closeResources();
    this.state = "stopped";
    this.opts.logger.info({ component: "hub" }, "hub stopped");
  }

  private async closeResources(): Promise<void> {
    if (this.app) await this.app.close();
    this.app = undefined;
    this.db?.close();
    this.db = undefined;
  }
}
