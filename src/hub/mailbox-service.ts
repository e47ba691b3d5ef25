import { EventEmitter } from "node:events";
import { checkPayloadDepth } from "../domain/json-depth.js";
import { isHumanActor, type Route, resolveRecipients } from "../domain/mailbox-routing.js";
import { pageSize } from "../domain/paging.js";
import { AppError } from "../errors/registry.js";
import type { Database } from "../store/database.js";
import {
  type Delivery,
  type DeliveryStatus,
  type InboxMessage,
  type MailboxMessage,
  MailboxRepo,
} from "../store/mailbox-repo.js";
import type { Run } from "../store/runs-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import type { RunEventLog } from "./run-service.js";

export interface SendMessageCommand {
  /** A member of the run's team, or `human:<name>`. */
  fromActorId: string;
  route: Route;
  /** Required with route `to_member`. */
  toActorId?: string | undefined;
  payload?: unknown;
  /** `message` (default), `permission_review`, …: what a recipient's prompt calls it. */
  kind?: string | undefined;
  /** A retry with the same key from the same sender is the same message. */
  idempotencyKey?: string | undefined;
}

export interface SendResult {
  message_id: string;
  seq: number;
  recipients: string[];
  duplicate: boolean;
}

export interface InboxQuery {
  /** A member of the run's team. */
  actorId: string;
  /** Messages after this seq. */
  after?: number | undefined;
  limit?: number | undefined;
  /** Also delivered (put into a turn) but not yet acked ones. */
  includeDelivered?: boolean | undefined;
}

export interface AckResult {
  message_id: string;
  changed: boolean;
  status: "acked";
}

/** A stored message with who it went to. */
export interface MessageDetail {
  message: MailboxMessage;
  deliveries: Delivery[];
}

/**
 * The per-run mailbox: one stored message, one delivery row per recipient (pending -> delivered -> acked).
 * Emits `sent` so the executor can deliver to idle members promptly.
 */
export class MailboxService extends EventEmitter<{ sent: [runId: string, recipients: string[]] }> {
  readonly repo: MailboxRepo;
  /** The send transaction, made once (not per message). */
  private readonly sendTx: (m: Omit<MailboxMessage, "seq">, recipients: readonly string[]) => SendResult;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: RunEventLog,
  ) {
    super();
    this.repo = new MailboxRepo(db);
    this.sendTx = db.transaction((m: Omit<MailboxMessage, "seq">, recipients: readonly string[]) =>
      this.sendInTx(m, recipients),
    );
  }

  send(run: Run, cmd: SendMessageCommand): SendResult {
    const from = cmd.fromActorId;
    if (from.trim() === "") {
      throw new AppError("BAD_REQUEST", { field: "from_actor_id" }, { message: "from_actor_id is required" });
    }
    // What an actor sends must be receivable over the internal gRPC (hub-made messages such as a
    // permission review carry an agent's tool call as it is; receiving never fails on them either).
    if ((cmd.kind ?? "message") === "message") checkPayloadDepth(cmd.payload);
    const to = cmd.toActorId ? cmd.toActorId : undefined;
    const recipients = resolveRecipients(
      { route: cmd.route, from_actor_id: from, to_actor_id: to },
      run.spec,
    );
    const result = this.sendTx(
      {
        id: newId("msg"),
        run_id: run.id,
        from_actor_id: from,
        route: cmd.route,
        to_actor_id: to ?? null,
        kind: cmd.kind ?? "message",
        payload: cmd.payload ?? null,
        idempotency_key: cmd.idempotencyKey ? cmd.idempotencyKey : null,
        created_at: this.clock.now(),
      },
      recipients,
    );
    if (!result.duplicate) this.emit("sent", run.id, result.recipients);
    return result;
  }

  /** Inside the send transaction: dedupe by idempotency key, store, log. */
  private sendInTx(m: Omit<MailboxMessage, "seq">, recipients: readonly string[]): SendResult {
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

  private resultOf(m: MailboxMessage, duplicate: boolean): SendResult {
    return {
      message_id: m.id,
      seq: m.seq,
      recipients: this.repo.recipients(m.id).map((r) => r.recipient_id),
      duplicate,
    };
  }

  /**
   * An actor id that can have an inbox in this run: a member of the run's spec. Anything else (a typo,
   * a human, a member added after the run started) is refused by name rather than answered with an
   * inbox that is always empty.
   */
  private assertMember(run: Run, actorId: string, field = "actor_id"): void {
    if (run.spec.members.some((m) => m.member_id === actorId)) return;
    const members = run.spec.members.map((m) => m.member_id);
    throw new AppError(
      "UNKNOWN_MEMBER",
      { field, actor_id: actorId, run_id: run.id, members },
      {
        message: isHumanActor(actorId)
          ? `"${actorId}" is a human actor: humans send to a run's mailbox but have no inbox (members: ${members.join(", ")})`
          : `unknown member "${actorId}": not a member of run ${run.id} (members: ${members.join(", ")})`,
      },
    );
  }

  inbox(run: Run, q: InboxQuery): InboxMessage[] {
    this.assertMember(run, q.actorId);
    const statuses: DeliveryStatus[] = q.includeDelivered ? ["pending", "delivered"] : ["pending"];
    return this.repo.inbox(run.id, q.actorId, statuses, q.after ?? 0, pageSize(q.limit));
  }

  /** Returns pending messages and acks them in the same transaction (the actor CLI's `receive`). */
  receive(run: Run, actorId: string, limit?: number): InboxMessage[] {
    this.assertMember(run, actorId);
    const now = this.clock.now();
    return this.db.transaction(() => {
      const rows = this.repo.inbox(run.id, actorId, ["pending", "delivered"], 0, pageSize(limit));
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
      return rows;
    })();
  }

  /** Marks pending messages delivered (they were put into a turn's prompt). */
  markDelivered(run: Run, actorId: string, messageIds: readonly string[]): void {
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

  ack(run: Run, messageId: string, actorId: string): AckResult {
    if (actorId === "") {
      throw new AppError("BAD_REQUEST", { field: "actor_id" }, { message: "actor_id is required" });
    }
    this.assertMember(run, actorId);
    const now = this.clock.now();
    return this.db.transaction(() => {
      if (!this.repo.message(run.id, messageId) || !this.repo.delivery(messageId, actorId)) {
        throw new AppError("MESSAGE_NOT_FOUND", { message_id: messageId });
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
      return { message_id: messageId, changed, status: "acked" as const };
    })();
  }

  message(run: Run, messageId: string): MessageDetail {
    const m = this.repo.message(run.id, messageId);
    if (!m) throw new AppError("MESSAGE_NOT_FOUND", { message_id: messageId });
    return { message: m, deliveries: this.repo.recipients(m.id) };
  }
}
