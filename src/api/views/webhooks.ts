import type { z } from "zod";
import { iso } from "../../hub/access.js";
import type { CreatedWebhook, Webhook, WebhookDelivery } from "../../hub/webhook-service.js";
import type * as S from "../schemas/webhooks.js";

/** Webhooks and their deliveries as REST answers show them; the secret only in the creation answer. */

export function webhookView(w: Webhook): z.output<typeof S.Webhook> {
  return {
    id: w.id,
    owner_id: w.owner_id,
    team_id: w.team_id,
    url: w.url,
    format: w.format,
    event_types: w.event_types,
    description: w.description,
    status: w.status,
    failing_since: iso(w.failing_since),
    disabled_at: iso(w.disabled_at),
    disabled_reason: w.disabled_reason,
    created_at: iso(w.created_at),
    updated_at: iso(w.updated_at),
  };
}

export function createdWebhookView(c: CreatedWebhook): z.output<typeof S.CreatedWebhook> {
  return { ...webhookView(c.webhook), secret: c.secret };
}

export function deliveryView(d: WebhookDelivery): z.output<typeof S.WebhookDelivery> {
  return {
    id: d.id,
    event_id: d.event_id,
    event_type: d.event_type,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: iso(d.next_attempt_at),
    last_attempt_at: iso(d.last_attempt_at),
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    finished_at: iso(d.finished_at),
    created_at: iso(d.created_at),
  };
}
