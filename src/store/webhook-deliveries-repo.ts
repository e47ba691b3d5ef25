import type { DeliveryStatus, WebhookEventType } from "../domain/webhook-events.js";
import type { WebhookEventRecord } from "../domain/webhook-message.js";
import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/**
 * One event to one endpoint. `id` is the `webhook-id` header of every attempt (receivers dedupe on it);
 * the (webhook, event) pair is unique, so an event never gets a second delivery with another id.
 */
export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (null once delivered or failed). */
  next_attempt_at: number | null;
  /** Set while an attempt is in flight; an attempt a hub crash interrupted is retried at start. */
  attempt_started_at: number | null;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  finished_at: number | null;
  created_at: number;
}

/** A delivery with its event (what the deliveries list shows). */
export interface DeliveryWithEvent extends DeliveryRow {
  event_type: WebhookEventType;
}

/** What an attempt's outcome changes. */
export type AttemptOutcome = Pick<
  DeliveryRow,
  "status" | "next_attempt_at" | "last_status_code" | "last_error" | "finished_at"
>;

/** The notification outbox: events (what happened, once) and their deliveries (per endpoint). */
export class WebhookDeliveriesRepo {
  constructor(private readonly db: Database) {}

  insertEvent(e: WebhookEventRecord): void {
    prepareCached(
      this.db,
      "INSERT INTO webhook_events (id, type, data_json, created_at) VALUES (?, ?, ?, ?)",
    ).run(e.id, e.type, JSON.stringify(e.data), e.created_at);
  }

  event(id: string): WebhookEventRecord | undefined {
    const r = prepareCached(this.db, "SELECT * FROM webhook_events WHERE id = ?").get(id) as
      | { id: string; type: WebhookEventType; data_json: string; created_at: number }
      | undefined;
    return r && { id: r.id, type: r.type, data: JSON.parse(r.data_json) as never, created_at: r.created_at };
  }

  /** A pending delivery, due at `now`. */
  insertDelivery(d: { id: string; webhook_id: string; event_id: string; now: number }): void {
    prepareCached(
      this.db,
      `INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
    ).run(d.id, d.webhook_id, d.event_id, d.now, d.now);
  }

  byId(id: string): DeliveryRow | undefined {
    return prepareCached(this.db, "SELECT * FROM webhook_deliveries WHERE id = ?").get(id) as
      | DeliveryRow
      | undefined;
  }

  /** Pending deliveries due by `now`, oldest due first, none in flight. */
  due(now: number, limit: number): DeliveryRow[] {
    return prepareCached(
      this.db,
      `SELECT * FROM webhook_deliveries
         WHERE status = 'pending' AND attempt_started_at IS NULL AND next_attempt_at <= ?
         ORDER BY next_attempt_at, created_at LIMIT ?`,
    ).all(now, limit) as DeliveryRow[];
  }

  /** When the earliest pending delivery not in flight is due (null: none). */
  nextDueAt(): number | null {
    const r = prepareCached(
      this.db,
      `SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries
         WHERE status = 'pending' AND attempt_started_at IS NULL`,
    ).get() as { at: number | null };
    return r.at;
  }

  /** Marks an attempt started (counted); false when the delivery is no longer pending and idle. */
  claim(id: string, now: number): boolean {
    return (
      prepareCached(
        this.db,
        `UPDATE webhook_deliveries SET attempt_started_at = ?, last_attempt_at = ?, attempts = attempts + 1
           WHERE id = ? AND status = 'pending' AND attempt_started_at IS NULL`,
      ).run(now, now, id).changes === 1
    );
  }

  /** Records an attempt's outcome (the attempt is over). */
  finishAttempt(id: string, o: AttemptOutcome): void {
    prepareCached(
      this.db,
      `UPDATE webhook_deliveries SET attempt_started_at = NULL, status = @status, next_attempt_at = @next_attempt_at,
           last_status_code = @last_status_code, last_error = @last_error, finished_at = @finished_at
         WHERE id = @id`,
    ).run({ ...o, id });
  }

  /** Attempts in flight when the previous hub process died. */
  interrupted(): DeliveryRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND attempt_started_at IS NOT NULL",
    ).all() as DeliveryRow[];
  }

  /** Pending deliveries of a webhook become failed (it was disabled); returns how many. */
  failPending(webhookId: string, reason: string, now: number): number {
    return prepareCached(
      this.db,
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, attempt_started_at = NULL,
           last_error = ?, finished_at = ?
         WHERE webhook_id = ? AND status = 'pending'`,
    ).run(reason, now, webhookId).changes;
  }

  /** A webhook's deliveries, newest first, after the cursor `(created_at, id)` of the previous page. */
  page(
    webhookId: string,
    q: { status?: DeliveryStatus | undefined; before?: { created_at: number; id: string }; limit: number },
  ): DeliveryWithEvent[] {
    return prepareCached(
      this.db,
      `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
         WHERE d.webhook_id = @webhook AND (@status IS NULL OR d.status = @status)
           AND (@at IS NULL OR d.created_at < @at OR (d.created_at = @at AND d.id < @id))
         ORDER BY d.created_at DESC, d.id DESC LIMIT @limit`,
    ).all({
      webhook: webhookId,
      status: q.status ?? null,
      at: q.before?.created_at ?? null,
      id: q.before?.id ?? null,
      limit: q.limit,
    }) as DeliveryWithEvent[];
  }

  /** Removes deliveries finished before `before`, then events left without deliveries. */
  prune(before: number): number {
    const n = prepareCached(
      this.db,
      "DELETE FROM webhook_deliveries WHERE status != 'pending' AND finished_at < ?",
    ).run(before).changes;
    prepareCached(
      this.db,
      `DELETE FROM webhook_events WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`,
    ).run(before);
    return n;
  }
}
