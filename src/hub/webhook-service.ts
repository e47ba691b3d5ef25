import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { pageSize } from "../domain/paging.js";
import {
  type DeliveryStatus,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookFormat,
} from "../domain/webhook-events.js";
import { isPrivateAddress, parseWebhookUrl, urlHost } from "../domain/webhook-target.js";
import { AppError } from "../errors/registry.js";
import type { TeamsRepo } from "../store/teams-repo.js";
import type { DeliveryWithEvent } from "../store/webhook-deliveries-repo.js";
import type { WebhookRow } from "../store/webhooks-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { assertTeamVisible } from "./access.js";
import type { Principal } from "./auth-service.js";
import type { WebhookOutbox } from "./webhook-outbox.js";

/** A webhook as answers show it: everything but its secret. */
export type Webhook = Omit<WebhookRow, "secret">;

/** One event to one endpoint, with the event's type. */
export type WebhookDelivery = DeliveryWithEvent;

/** A new webhook and its signing secret, which is shown this once. */
export interface CreatedWebhook {
  webhook: Webhook;
  secret: string;
}

export interface CreateWebhookCommand {
  url: string;
  /** The team whose events it hears; absent or null: global (root only). */
  teamId?: string | null | undefined;
  /** Default: every event type. */
  eventTypes?: readonly WebhookEventType[] | undefined;
  format?: WebhookFormat | undefined;
  description?: string | null | undefined;
}

export interface DeliveryPageQuery {
  status?: DeliveryStatus | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface WebhookServiceOptions {
  /** `[webhooks] allow_private_targets`: non-root owners may target private addresses too. */
  allowPrivateTargets: boolean;
  /** Resolves a host name to its addresses (tests and the default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function publicView(w: WebhookRow): Webhook {
  const { secret: _secret, ...rest } = w;
  return rest;
}

/**
 * Webhook endpoints: created by a team's owner for that team, or by root for every team and node
 * (global); listed and deleted by whoever may see them (root: all). The secret is generated here and
 * returned by `create` only. Delivery history per endpoint, newest first.
 */
export class WebhookService {
  private readonly resolve: (host: string) => Promise<string[]>;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly teams: TeamsRepo,
    private readonly clock: Clock,
    private readonly opts: WebhookServiceOptions,
  ) {
    this.resolve = opts.resolve ?? systemResolve;
  }

  async create(p: Principal, cmd: CreateWebhookCommand): Promise<CreatedWebhook> {
    const teamId = cmd.teamId ?? null;
    if (teamId === null && !p.is_root) throw new AppError("ROOT_REQUIRED", { field: "team_id" });
    if (teamId !== null) assertTeamVisible(p, this.teams.get(teamId));
    const url = parseWebhookUrl(cmd.url);
    // Root's webhooks may target anything; others' are refused private targets (see webhook-target).
    const unrestricted = p.is_root;
    if (!unrestricted && !this.opts.allowPrivateTargets) await this.assertPublicTarget(url);
    const now = this.clock.now();
    const types = cmd.eventTypes ?? WEBHOOK_EVENT_TYPES;
    const row: WebhookRow = {
      id: newId("wh"),
      owner_id: p.user_id,
      team_id: teamId,
      url: url.href,
      secret: newSecret(),
      format: cmd.format ?? "standard",
      event_types: WEBHOOK_EVENT_TYPES.filter((t) => types.includes(t)),
      description: cmd.description ?? null,
      unrestricted,
      status: "enabled",
      failing_since: null,
      disabled_at: null,
      disabled_reason: null,
      created_at: now,
      updated_at: now,
    };
    this.outbox.hooks.insert(row);
    return { webhook: publicView(row), secret: row.secret };
  }

  private async assertPublicTarget(url: URL): Promise<void> {
    const host = urlHost(url);
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        throw new AppError(
          "WEBHOOK_URL_INVALID",
          { field: "url", host },
          { message: `url host "${host}" does not resolve` },
        );
      }
    }
    const blocked = addresses.find(isPrivateAddress);
    if (blocked !== undefined) {
      throw new AppError("WEBHOOK_TARGET_PRIVATE", {
        field: "url",
        host,
        address: blocked,
        config_key: "webhooks.allow_private_targets",
      });
    }
  }

  list(p: Principal, q: { teamId?: string | undefined } = {}): Webhook[] {
    if (q.teamId !== undefined) assertTeamVisible(p, this.teams.get(q.teamId));
    return this.outbox.hooks
      .list({ ownerId: p.is_root ? undefined : p.user_id, teamId: q.teamId })
      .map(publicView);
  }

  get(p: Principal, id: string): Webhook {
    return publicView(this.visible(p, id));
  }

  delete(p: Principal, id: string): void {
    this.visible(p, id);
    this.outbox.hooks.delete(id);
  }

  deliveries(
    p: Principal,
    id: string,
    q: DeliveryPageQuery,
  ): { deliveries: WebhookDelivery[]; nextCursor: string | null } {
    this.visible(p, id);
    const limit = pageSize(q.limit);
    let before: { created_at: number; id: string } | undefined;
    if (q.cursor) {
      const [at, did] = Buffer.from(q.cursor, "base64url").toString().split(":");
      if (!at || !did || !/^\d+$/.test(at)) {
        throw new AppError(
          "BAD_REQUEST",
          { location: "query", field: "cursor" },
          { message: "cursor is invalid" },
        );
      }
      before = { created_at: Number(at), id: did };
    }
    const deliveries = this.outbox.deliveries.page(id, { status: q.status, before, limit });
    const last = deliveries.at(-1);
    return {
      deliveries,
      nextCursor:
        deliveries.length === limit && last
          ? Buffer.from(`${last.created_at}:${last.id}`).toString("base64url")
          : null,
    };
  }

  /** The webhook, if the principal may see it (root: any; others: their teams'); else not found. */
  private visible(p: Principal, id: string): WebhookRow {
    const w = this.outbox.hooks.byId(id);
    if (!w) throw new AppError("WEBHOOK_NOT_FOUND", { webhook_id: id });
    if (p.is_root) return w;
    const team = w.team_id ? this.teams.get(w.team_id) : undefined;
    if (!team || team.owner_id !== p.user_id) throw new AppError("WEBHOOK_NOT_FOUND", { webhook_id: id });
    return w;
  }
}
