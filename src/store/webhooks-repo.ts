import type { WebhookEventType, WebhookFormat } from "../domain/webhook-events.js";
import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

/** A webhook endpoint, decoded. `secret` (`whsec_…`) signs its deliveries; it never leaves the hub again. */
export interface WebhookRow {
  id: string;
  owner_id: string;
  /** null: a global webhook (root), told of every team's events and of nodes. */
  team_id: string | null;
  url: string;
  secret: string;
  format: WebhookFormat;
  event_types: WebhookEventType[];
  description: string | null;
  /** Created by root: may target loopback and private addresses. */
  unrestricted: boolean;
  status: "enabled" | "disabled";
  /** When its current run of failed attempts began (null while it answers). */
  failing_since: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

interface Row extends Omit<WebhookRow, "event_types" | "unrestricted"> {
  event_types_json: string;
  unrestricted: number;
}

function decode(r: Row): WebhookRow {
  const { event_types_json, unrestricted, ...rest } = r;
  return {
    ...rest,
    event_types: JSON.parse(event_types_json) as WebhookEventType[],
    unrestricted: unrestricted === 1,
  };
}

export class WebhooksRepo {
  constructor(private readonly db: Database) {}

  insert(w: WebhookRow): void {
    const { event_types, unrestricted, ...rest } = w;
    prepareCached(
      this.db,
      `INSERT INTO webhooks (id, owner_id, team_id, url, secret, format, event_types_json, description, unrestricted,
           status, failing_since, disabled_at, disabled_reason, created_at, updated_at)
         VALUES (@id, @owner_id, @team_id, @url, @secret, @format, @event_types_json, @description, @unrestricted,
           @status, @failing_since, @disabled_at, @disabled_reason, @created_at, @updated_at)`,
    ).run({ ...rest, event_types_json: JSON.stringify(event_types), unrestricted: unrestricted ? 1 : 0 });
  }

  byId(id: string): WebhookRow | undefined {
    const r = prepareCached(this.db, "SELECT * FROM webhooks WHERE id = ?").get(id) as Row | undefined;
    return r && decode(r);
  }

  /** Every webhook (root's view), or those of teams `ownerId` owns; optionally of one team. */
  list(q: { ownerId?: string | undefined; teamId?: string | undefined }): WebhookRow[] {
    const rows = prepareCached(
      this.db,
      `SELECT w.* FROM webhooks w LEFT JOIN teams t ON t.id = w.team_id
         WHERE (@owner IS NULL OR t.owner_id = @owner) AND (@team IS NULL OR w.team_id = @team)
         ORDER BY w.created_at, w.id`,
    ).all({ owner: q.ownerId ?? null, team: q.teamId ?? null }) as Row[];
    return rows.map(decode);
  }

  /** Enabled webhooks told of an event of `teamIds` (global ones always). */
  enabledFor(teamIds: readonly string[]): WebhookRow[] {
    const rows = prepareCached(
      this.db,
      `SELECT * FROM webhooks WHERE status = 'enabled'
         AND (team_id IS NULL OR team_id IN (SELECT value FROM json_each(?)))
         ORDER BY created_at, id`,
    ).all(JSON.stringify(teamIds)) as Row[];
    return rows.map(decode);
  }

  /** Whether any webhook is enabled (the outbox skips its work when none is). */
  anyEnabled(): boolean {
    return (
      prepareCached(this.db, "SELECT 1 FROM webhooks WHERE status = 'enabled' LIMIT 1").get() !== undefined
    );
  }

  update(
    id: string,
    fields: Partial<Pick<WebhookRow, "status" | "failing_since" | "disabled_at" | "disabled_reason">>,
    now: number,
  ): void {
    updateFields(this.db, "webhooks", "id = @id", fields, { now, id });
  }

  delete(id: string): boolean {
    return prepareCached(this.db, "DELETE FROM webhooks WHERE id = ?").run(id).changes === 1;
  }
}
