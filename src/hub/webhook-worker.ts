import { type MetricsSink, NO_METRICS } from "../contracts/metrics-sink.js";
import { webhookBody } from "../domain/webhook-message.js";
import {
  ATTEMPT_TIMEOUT_MS,
  DISABLE_AFTER_MS,
  MAX_ATTEMPTS,
  retryDelayMs,
  shouldDisable,
} from "../domain/webhook-schedule.js";
import { webhookHeaders } from "../domain/webhook-signature.js";
import { urlOrigin } from "../domain/webhook-target.js";
import type { Database } from "../store/database.js";
import type { DeliveryRow } from "../store/webhook-deliveries-repo.js";
import type { WebhookRow } from "../store/webhooks-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { WebhookOutbox } from "./webhook-outbox.js";
import { type AttemptResult, sendWebhook } from "./webhook-sender.js";

export interface WebhookWorkerOptions {
  db: Database;
  outbox: WebhookOutbox;
  clock: Clock;
  logger: Logger;
  /** The console's base URL, read when a delivery is sent. */
  publicUrl: () => string;
  /** `[webhooks] allow_private_targets`. */
  allowPrivateTargets: boolean;
  /** Finished deliveries older than this are removed. */
  retentionMs: number;
}

export type WebhookWorkerState = "created" | "running" | "stopped";

const INTERRUPTED = "attempt interrupted by a hub restart";
const PRUNE_EVERY_MS = 3_600_000;
/** Attempts in flight at once. */
const CONCURRENCY = 8;
/** Longest sleep between looks at the outbox (also catches clock jumps). */
const MAX_SLEEP_MS = 30_000;

/**
 * Sends the outbox's pending deliveries: each attempt is claimed (counted) in the database before it
 * is sent, signed with the endpoint's secret under the delivery's stable `webhook-id`, and its outcome
 * recorded: delivered on a 2xx within ATTEMPT_TIMEOUT_MS, else retried on the schedule (domain
 * webhook-schedule) until the last attempt fails it. An endpoint failing for DISABLE_AFTER_MS is
 * disabled (its pending deliveries fail, its scope gets `webhook.disabled`). At start, attempts a
 * crash interrupted are due again at once (at-least-once; receivers dedupe on `webhook-id`).
 * Timers are unref'd; `stop` aborts attempts in flight and records nothing more.
 */
export class WebhookWorker {
  state: WebhookWorkerState = "created";
  private timer: NodeJS.Timeout | undefined;
  private wakeQueued = false;
  private readonly inFlight = new Map<string, AbortController>();
  private lastPrune = 0;
  private readonly log: Logger;
  /** Where attempt outcomes are counted (`agenthub_webhook_deliveries_total`); none until the app sets it. */
  metrics: Pick<MetricsSink, "webhookDelivery"> = NO_METRICS;
  /** What an attempt waits for before it goes out: the claim (and the event) on disk (the hub's group commit). */
  durable: () => Promise<void> | undefined = () => undefined;

  constructor(private readonly o: WebhookWorkerOptions) {
    this.log = o.logger;
  }

  private setState(next: WebhookWorkerState): void {
    if (next === this.state) return;
    this.log.debug({ from: this.state, to: next }, `webhook worker ${this.state} -> ${next}`);
    this.state = next;
  }

  start(): void {
    if (this.state !== "created") return;
    this.recoverInterrupted();
    this.setState("running");
    this.tick();
  }

  stop(): void {
    this.setState("stopped");
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const c of this.inFlight.values()) c.abort();
    this.inFlight.clear();
  }

  /** Looks at the outbox now (new deliveries were recorded, or a test moved the clock). */
  wake(): void {
    if (this.state !== "running" || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.tick();
    });
  }

  /** How many attempts are in flight (tests and metrics). */
  get busy(): number {
    return this.inFlight.size;
  }

  private recoverInterrupted(): void {
    const d = this.o.outbox.deliveries;
    const now = this.o.clock.now();
    const rows = d.interrupted();
    this.o.db.transaction(() => {
      for (const r of rows) {
        const last = r.attempts >= MAX_ATTEMPTS;
        d.finishAttempt(r.id, {
          status: last ? "failed" : "pending",
          next_attempt_at: last ? null : now,
          last_status_code: null,
          last_error: last ? `last ${INTERRUPTED}` : INTERRUPTED,
          finished_at: last ? now : null,
        });
      }
    })();
    if (rows.length > 0)
      this.log.info({ deliveries: rows.length }, "webhook attempts interrupted by a restart are due again");
  }

  private tick(): void {
    if (this.state !== "running") return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.o.clock.now();
    this.prune(now);
    const free = CONCURRENCY - this.inFlight.size;
    if (free > 0) for (const d of this.o.outbox.deliveries.due(now, free)) this.attempt(d, now);
    // Sleep until the next one is due (bounded); due ones waiting for a free slot follow a completion.
    const next = this.o.outbox.deliveries.nextDueAt();
    const delay = next !== null && next > now ? Math.min(next - now, MAX_SLEEP_MS) : MAX_SLEEP_MS;
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref();
  }

  private prune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const removed = this.o.outbox.deliveries.prune(now - this.o.retentionMs);
    if (removed > 0) this.log.info({ deliveries: removed }, "old webhook deliveries removed");
  }

  private attempt(d: DeliveryRow, now: number): void {
    const { outbox } = this.o;
    const hook = outbox.hooks.byId(d.webhook_id);
    const event = outbox.deliveries.event(d.event_id);
    if (!hook || !event || !outbox.deliveries.claim(d.id, now)) return;
    const body = webhookBody(hook.format, event, this.o.publicUrl());
    const controller = new AbortController();
    this.inFlight.set(d.id, controller);
    const send = () =>
      sendWebhook({
        url: hook.url,
        headers: webhookHeaders(hook.secret, d.id, now, body),
        body,
        publicOnly: !hook.unrestricted && !this.o.allowPrivateTargets,
        timeoutMs: ATTEMPT_TIMEOUT_MS,
        signal: controller.signal,
      });
    const gate = this.durable();
    void (gate ? gate.then(send) : send())
      .catch((err: unknown): AttemptResult => ({ ok: false, status: null, error: String(err) }))
      .then((result) => {
        // Stopped: the attempt stays marked in flight and is made again at the next start.
        if (this.state !== "running" || this.inFlight.get(d.id) !== controller) return;
        this.inFlight.delete(d.id);
        this.record(d, hook, result);
        this.wake();
      });
  }

  private record(d: DeliveryRow, hook: WebhookRow, result: AttemptResult): void {
    const { outbox, clock } = this.o;
    const now = clock.now();
    const attempt = d.attempts + 1;
    const ctx = {
      webhook_id: hook.id,
      delivery_id: d.id,
      target: urlOrigin(hook.url),
      attempt,
      status_code: result.status,
    };
    this.o.db.transaction(() => {
      const current = outbox.deliveries.byId(d.id);
      const endpoint = outbox.hooks.byId(hook.id);
      // Deleted meanwhile, or failed because the endpoint was disabled: nothing to record.
      if (current?.status !== "pending" || !endpoint) return;
      if (result.ok) {
        outbox.deliveries.finishAttempt(d.id, {
          status: "delivered",
          next_attempt_at: null,
          last_status_code: result.status,
          last_error: null,
          finished_at: now,
        });
        if (endpoint.failing_since !== null) outbox.hooks.update(hook.id, { failing_since: null }, now);
        this.log.info(ctx, "webhook delivered");
        this.metrics.webhookDelivery("delivered");
        return;
      }
      const delay = retryDelayMs(attempt, Math.random());
      this.metrics.webhookDelivery(delay === null ? "given_up" : "failed");
      outbox.deliveries.finishAttempt(d.id, {
        status: delay === null ? "failed" : "pending",
        next_attempt_at: delay === null ? null : now + delay,
        last_status_code: result.status,
        last_error: result.error,
        finished_at: delay === null ? now : null,
      });
      this.log.warn(
        { ...ctx, error: result.error, retry_in_ms: delay },
        delay === null ? "webhook delivery failed: last attempt" : "webhook attempt failed",
      );
      const since = endpoint.failing_since ?? now;
      if (endpoint.failing_since === null) outbox.hooks.update(hook.id, { failing_since: now }, now);
      if (shouldDisable(since, now)) this.disable({ ...endpoint, failing_since: since }, now);
    })();
  }

  private disable(hook: WebhookRow, now: number): void {
    const days = Math.round(DISABLE_AFTER_MS / 86_400_000);
    const reason = `every attempt failed since ${new Date(hook.failing_since ?? now).toISOString()} (${days} days or more)`;
    const { outbox } = this.o;
    outbox.hooks.update(hook.id, { status: "disabled", disabled_at: now, disabled_reason: reason }, now);
    const failed = outbox.deliveries.failPending(hook.id, `webhook disabled: ${reason}`, now);
    outbox.onWebhookDisabled(hook, reason, now);
    this.log.warn(
      { webhook_id: hook.id, target: urlOrigin(hook.url), pending_failed: failed },
      `webhook disabled: ${reason}`,
    );
  }
}
