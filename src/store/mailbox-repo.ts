import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export type DeliveryStatus = "pending" | "delivered" | "acked";

/** A message in a run's mailbox, decoded. */
export interface MailboxMessage {
  id: string;
  run_id: string;
  seq: number;
  from_actor_id: string;
  route: string;
  to_actor_id: string | null;
  kind: string;
  payload: unknown;
  idempotency_key: string | null;
  created_at: number;
}

/** A message as one recipient sees it: with that recipient's delivery state. */
export interface InboxMessage extends MailboxMessage {
  delivery_status: DeliveryStatus;
  delivered_at: number | null;
  acked_at: number | null;
}

export interface Delivery {
  recipient_id: string;
  status: DeliveryStatus;
}

interface MessageRow extends Omit<MailboxMessage, "payload"> {
  payload_json: string;
}

interface InboxRow extends MessageRow {
  delivery_status: DeliveryStatus;
  delivered_at: number | null;
  acked_at: number | null;
}

function decode<R extends MessageRow>(r: R): Omit<R, "payload_json"> & { payload: unknown } {
  const { payload_json, ...rest } = r;
  return { ...rest, payload: JSON.parse(payload_json) as unknown };
}

export class MailboxRepo {
  constructor(private readonly db: Database) {}

  byIdempotencyKey(runId: string, from: string, key: string): MailboxMessage | undefined {
    const row = prepareCached(
      this.db,

      "SELECT * FROM mailbox_messages WHERE run_id = ? AND from_actor_id = ? AND idempotency_key = ?",
    ).get(runId, from, key) as MessageRow | undefined;
    return row && decode(row);
  }

  /** Stores a message and one pending delivery per recipient. Call inside a transaction. */
  insert(m: Omit<MailboxMessage, "seq">, recipients: readonly string[]): MailboxMessage {
    const { payload, ...rest } = m;
    const row = prepareCached(
      this.db,

      `INSERT INTO mailbox_messages (id, run_id, seq, from_actor_id, route, to_actor_id, kind, payload_json, idempotency_key, created_at)
         VALUES (@id, @run_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM mailbox_messages WHERE run_id = @run_id),
           @from_actor_id, @route, @to_actor_id, @kind, @payload_json, @idempotency_key, @created_at)
         RETURNING *`,
    ).get({ ...rest, payload_json: JSON.stringify(payload ?? null) }) as MessageRow;
    const ins = prepareCached(
      this.db,
      "INSERT INTO mailbox_deliveries (message_id, run_id, recipient_id, seq, status) VALUES (?, ?, ?, ?, 'pending')",
    );
    for (const r of recipients) ins.run(row.id, row.run_id, r, row.seq);
    return { ...m, seq: row.seq };
  }

  message(runId: string, id: string): MailboxMessage | undefined {
    const row = prepareCached(this.db, "SELECT * FROM mailbox_messages WHERE run_id = ? AND id = ?").get(
      runId,
      id,
    ) as MessageRow | undefined;
    return row && decode(row);
  }

  recipients(messageId: string): Delivery[] {
    return prepareCached(
      this.db,
      "SELECT recipient_id, status FROM mailbox_deliveries WHERE message_id = ? ORDER BY rowid",
    ).all(messageId) as Delivery[];
  }

  inbox(
    runId: string,
    recipient: string,
    statuses: readonly DeliveryStatus[],
    afterSeq: number,
    limit: number,
  ): InboxMessage[] {
    const marks = statuses.map(() => "?").join(", ");
    const rows = prepareCached(
      this.db,

      `SELECT m.*, d.status AS delivery_status, d.delivered_at, d.acked_at
         FROM mailbox_deliveries d JOIN mailbox_messages m ON m.id = d.message_id
         WHERE d.run_id = ? AND d.recipient_id = ? AND d.status IN (${marks}) AND d.seq > ?
         ORDER BY d.seq LIMIT ?`,
    ).all(runId, recipient, ...statuses, afterSeq, limit) as InboxRow[];
    return rows.map(decode);
  }

  markDelivered(messageId: string, recipient: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE mailbox_deliveries SET status = 'delivered', delivered_at = ? WHERE message_id = ? AND recipient_id = ? AND status = 'pending'",
      ).run(now, messageId, recipient).changes === 1
    );
  }

  delivery(messageId: string, recipient: string): { status: DeliveryStatus } | undefined {
    return prepareCached(
      this.db,
      "SELECT status FROM mailbox_deliveries WHERE message_id = ? AND recipient_id = ?",
    ).get(messageId, recipient) as { status: DeliveryStatus } | undefined;
  }

  /** Idempotent: true only when this call moved the delivery to `acked`. */
  ack(messageId: string, recipient: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE mailbox_deliveries SET status = 'acked', acked_at = ?, delivered_at = COALESCE(delivered_at, ?) WHERE message_id = ? AND recipient_id = ? AND status != 'acked'",
      ).run(now, now, messageId, recipient).changes === 1
    );
  }

  /** Recipients in a run that have pending messages (the executor delivers them as turns). */
  recipientsWithPending(runId: string): string[] {
    return (
      prepareCached(
        this.db,

        "SELECT DISTINCT recipient_id FROM mailbox_deliveries WHERE run_id = ? AND status = 'pending'",
      ).all(runId) as { recipient_id: string }[]
    ).map((r) => r.recipient_id);
  }
}
