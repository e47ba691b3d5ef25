import { hostname } from "node:os";
import type { Config } from "../config/config-schema.js";
import type { Database } from "../store/database.js";
import type { TeamsRepo } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { NodeStatusChange } from "./node-registry.js";
import type { RunEventLog } from "./run-service.js";
import { WebhookOutbox } from "./webhook-outbox.js";
import { WebhookService } from "./webhook-service.js";
import { WebhookWorker } from "./webhook-worker.js";

/** What the composition root compiles from the config for notifications. */
export interface NotificationOptions {
  logger: Logger;
  /** `[server] public_url`, or the address the hub listens on; read when a delivery is sent. */
  publicUrl: () => string;
  /** `[webhooks] allow_private_targets`. */
  allowPrivateTargets: boolean;
  /** How long finished deliveries are kept (`[history] event_retention_days`). */
  retentionMs: number;
}

/**
 * Outbound webhooks: the endpoints (service), the outbox every run event and node status change goes
 * through (observed inside their transactions), and the delivery worker. `start` after the hub
 * listens (the console URL is known), `stop` before the database closes.
 */
export class Notifications {
  readonly outbox: WebhookOutbox;
  readonly webhooks: WebhookService;
  readonly worker: WebhookWorker;

  constructor(db: Database, clock: Clock, teams: TeamsRepo, runEvents: RunEventLog, o: NotificationOptions) {
    this.outbox = new WebhookOutbox(db, clock, () => this.worker.wake());
    this.webhooks = new WebhookService(this.outbox, teams, clock, {
      allowPrivateTargets: o.allowPrivateTargets,
    });
    this.worker = new WebhookWorker({
      db,
      outbox: this.outbox,
      clock,
      logger: o.logger,
      publicUrl: o.publicUrl,
      allowPrivateTargets: o.allowPrivateTargets,
      retentionMs: o.retentionMs,
    });
    runEvents.observe((e) => this.outbox.onRunEvent(e));
  }

  /** For NodeRegistry's `onStatusChange` (inside the status write's transaction). */
  onNodeStatus(change: NodeStatusChange): void {
    this.outbox.onNodeStatus(change);
  }

  start(): void {
    this.worker.start();
  }

  stop(): void {
    this.worker.stop();
  }
}

/** The console's base URL: `[server] public_url`, else where the hub listens (a wildcard address named by the host). */
export function consoleBaseUrl(publicUrl: string | undefined, listeningUrl: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  return listeningUrl.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\])(?=[:/]|$)/, `$1${hostname()}`);
}

/** Notification options from the config (`listeningUrl`: the REST API's address once it listens). */
export function notificationOptions(
  config: Config,
  logger: Logger,
  listeningUrl: () => string,
): NotificationOptions {
  return {
    logger: logger.child({ component: "webhooks" }),
    publicUrl: () => consoleBaseUrl(config.server.public_url, listeningUrl()),
    allowPrivateTargets: config.webhooks.allow_private_targets,
    retentionMs: config.history.event_retention_days * 86_400_000,
  };
}
