import { EventEmitter } from "node:events";
import { resolveRecipients } from "../domain/mailbox-routing.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import { type InboxRow, type MailboxMessageRow, MailboxRepo } from "../store/mailbox-repo.js";
import type { RunEventsRepo } from "../store/run-events-repo.js";
import type { RunRow } from "../store/runs-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { iso } from "./access.js";
import { clampLimit } from "./run-service.js";

export interface SendInput {
  from_actor_id: unknown;
  route: unknown;
  to_actor_id?: unknown;
  payload?: unknown;
  kind?: string;
  idempotency_key?: unknown;
}

export interface SendResult {
  message_id: string;
  seq: number;
  recipients: string[];
  duplicate: boolean;
}

export function inboxView(m: InboxRow) {
  return {
    message_id: m.id,
    seq: m.seq,
    from_actor_id: m.from_actor_id,
    route: m.route,
    to_actor_id: m.to_actor_id,
    kind: m.kind,
    payload: JSON.parse(m.payload_json) as unknown,
    status: m.delivery_status,
    created_at: iso(m.created_at),
  };
}

/**
 * The per-run mailbox: one stored message, one delivery row per recipient (pending -> delivered -> acked).
 * Emits `sent` so the executor can deliver to idle members promptly.
 */
export class MailboxService extends EventEmitter<{ sent: [runId: string, recipients: string[]] }> {
  readonly repo: MailboxRepo;
  /** The send transaction, made once (not per message). */
  private readonly sendTx: (m: Omit<MailboxMessageRow, "seq">, recipients: readonly string[]) => SendResult;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: RunEventsRepo,
  ) {
    super();
    this.repo = new MailboxRepo(db);
    this.sendTx = db.transaction((m: Omit<MailboxMessageRow, "seq">, recipients: readonly string[]) =>
      this.sendInTx(m, recipients),
    );
  }

  send(run: RunRow, input: SendInput): SendResult {
    const from = input.from_actor_id;
    if (typeof from !== "string" || from.trim() === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "from_actor_id is required" });
    }
    const key = input.idempotency_key;
    if (
      key !== undefined &&
      key !== null &&
      (typeof key !== "string" || key.length === 0 || key.length > 200)
    ) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "idempotency_key must be a string of 1-200 characters",
      });
    }
    const spec = JSON.parse(run.spec_json) as TeamSpec;
    const route = typeof input.route === "string" ? input.route : String(input.route);
    const to =
      typeof input.to_actor_id === "string" && input.to_actor_id.length > 0 ? input.to_actor_id : undefined;
    const recipients = resolveRecipients({ route, from_actor_id: from, to_actor_id: to }, spec);
    const result = this.sendTx(
      {
        id: newId("msg"),
        run_id: run.id,
        from_actor_id: from,
        route,
        to_actor_id: to ?? null,
        kind: input.kind ?? "message",
        payload_json: JSON.stringify(input.payload ?? null),
        idempotency_key: typeof key === "string" ? key : null,
        created_at: this.clock.now(),
      },
      recipients,
    );
    if (!result.duplicate) this.emit("sent", run.id, result.recipients);
    return result;
  }

  /** Inside the send transaction: dedupe by idempotency key, store, log. */
  private sendInTx(m: Omit<MailboxMessageRow, "seq">, recipients: readonly string[]): SendResult {
    if (m.idempotency_key !== null) {
      const existing = this.repo.byIdempotencyKey(m.run_id, m.from_actor_id, m.idempotency_key);
      if (existing) return this.resultOf(existing, true);
    }
    const row = this.repo.insert(m, recipients);
    this.events.append(
      m.run_id,
      "mailbox.sent",
      null,
      { message_id: row.id, from: m.from_actor_id, route: m.route, recipients },
      m.created_at,
    );
    return { message_id: row.id, seq: row.seq, recipients: [...recipients], duplicate: false };
  }

  private resultOf(m: MailboxMessageRow, duplicate: boolean): SendResult {
    return {
      message_id: m.id,
      seq: m.seq,
      recipients: this.repo.recipients(m.id).map((r) => r.recipient_id),
      duplicate,
    };
  }

  inbox(
    run: RunRow,
    q: { actor_id?: unknown; after?: unknown; limit?: unknown; include_delivered?: unknown },
  ): ReturnType<typeof inboxView>[] {
    if (typeof q.actor_id !== "string" || q.actor_id === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "actor_id is required" });
    }
    const after = q.after === undefined ? 0 : Number(q.after);
    if (!Number.isInteger(after) || after < 0) {
      throw new AppError("BAD_REQUEST", undefined, { message: "after must be a non-negative integer" });
    }
    const includeDelivered = q.include_delivered === true || q.include_delivered === "true";
    const statuses = includeDelivered ? ["pending", "delivered"] : ["pending"];
    const limit = clampLimit(q.limit === undefined ? undefined : String(q.limit));
    return this.repo.inbox(run.id, q.actor_id, statuses, after, limit).map(inboxView);
  }

  /** Returns pending messages and acks them in the same transaction (the actor CLI's `receive`). */
  receive(run: RunRow, actorId: string, limit = 100): ReturnType<typeof inboxView>[] {
    const now = this.clock.now();
    return this.db.transaction(() => {
      const rows = this.repo.inbox(run.id, actorId, ["pending", "delivered"], 0, limit);
      for (const r of rows) this.repo.ack(r.id, actorId, now);
      if (rows.length > 0) {
        this.events.append(
          run.id,
          "mailbox.acked",
          null,
          { actor_id: actorId, message_ids: rows.map((r) => r.id) },
          now,
        );
      }
      return rows.map(inboxView);
    })();
  }

  /** Marks pending messages delivered (they were put into a turn's prompt). */
  markDelivered(run: RunRow, actorId: string, messageIds: readonly string[]): void {
    const now = this.clock.now();
    this.db.transaction(() => {
      for (const id of messageIds) this.repo.markDelivered(id, actorId, now);
      this.events.append(
        run.id,
        "mailbox.delivered",
        null,
        { actor_id: actorId, message_ids: messageIds },
        now,
      );
    })();
  }

  ack(
    run: RunRow,
    messageId: string,
    actorId: unknown,
  ): { message_id: string; changed: boolean; status: string } {
    if (typeof actorId !== "string" || actorId === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "actor_id is required" });
    }
    const now = this.clock.now();
    return this.db.transaction(() => {
      if (!this.repo.message(run.id, messageId) || !this.repo.delivery(messageId, actorId)) {
        throw new AppError("MESSAGE_NOT_FOUND");
      }
      const changed = this.repo.ack(messageId, actorId, now);
      if (changed)
        this.events.append(
          run.id,
          "mailbox.acked",
          null,
          { actor_id: actorId, message_ids: [messageId] },
          now,
        );
      return { message_id: messageId, changed, status: "acked" };
    })();
  }

  message(run: RunRow, messageId: string) {
    const m = this.repo.message(run.id, messageId);
    if (!m) throw new AppError("MESSAGE_NOT_FOUND");
    return {
      message_id: m.id,
      seq: m.seq,
      from_actor_id: m.from_actor_id,
      route: m.route,
      to_actor_id: m.to_actor_id,
      kind: m.kind,
      payload: JSON.parse(m.payload_json) as unknown,
      created_at: iso(m.created_at),
      deliveries: this.repo.recipients(m.id),
    };
  }
}
