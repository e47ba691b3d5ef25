import { z } from "zod";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from "../../domain/webhook-events.js";
import { CursorPageQuery, name, text } from "./common.js";

/** Request and response schemas of webhooks and their deliveries. */

const EventType = z.enum(WEBHOOK_EVENT_TYPES);
const DeliveryStatus = z.enum(DELIVERY_STATUSES);
const at = () => z.string().describe("ISO 8601");

export const CreateWebhookBody = z.strictObject({
  url: text(2048).describe(
    "http(s) URL without user name or password; users other than root may not target loopback, link-local or private addresses unless [webhooks] allow_private_targets = true",
  ),
  team_id: name()
    .nullish()
    .describe("the team whose events it receives (its owner or root); absent or null: global, root only"),
  event_types: z
    .array(EventType)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .optional()
    .describe("what it subscribes to; default: every type"),
  format: z
    .enum(WEBHOOK_FORMATS)
    .optional()
    .describe('standard (default): Standard Webhooks JSON `{type, timestamp, data}`; slack: `{"text": …}`'),
  description: text(1000).nullish(),
});

export const WebhookListQuery = z.strictObject({
  team_id: name().optional().describe("only this team's webhooks"),
});

export const Webhook = z
  .object({
    id: z.string(),
    owner_id: z.string(),
    team_id: z.string().nullable().describe("null: global (every team and node)"),
    url: z.string(),
    format: z.enum(WEBHOOK_FORMATS),
    event_types: z.array(EventType),
    description: z.string().nullable(),
    status: z.enum(["enabled", "disabled"]),
    failing_since: at().nullable().describe("start of its current run of failed attempts"),
    disabled_at: at().nullable(),
    disabled_reason: z.string().nullable(),
    created_at: at(),
    updated_at: at(),
  })
  .meta({ id: "Webhook" });

export const CreatedWebhook = Webhook.extend({
  secret: z.string().describe("whsec_… signing secret (Standard Webhooks); shown only in this answer"),
}).meta({ id: "CreatedWebhook" });

export const WebhookList = z.object({ webhooks: z.array(Webhook) });

export const DeliveryListQuery = z.strictObject({
  status: DeliveryStatus.optional().describe("only deliveries in this status"),
  ...CursorPageQuery.shape,
});

export const WebhookDelivery = z
  .object({
    id: z.string().describe("the webhook-id header of every attempt"),
    event_id: z.string(),
    event_type: EventType,
    status: DeliveryStatus,
    attempts: z.number().int(),
    next_attempt_at: at().nullable(),
    last_attempt_at: at().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    finished_at: at().nullable().describe("when it was delivered or given up"),
    created_at: at(),
  })
  .meta({ id: "WebhookDelivery" });

export const DeliveryList = z.object({
  deliveries: z.array(WebhookDelivery),
  next_cursor: z.string().nullable().describe("pass as ?cursor= for the next page; null on the last"),
});
