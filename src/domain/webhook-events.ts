/**
 * The notifications a webhook can subscribe to. Things that wait for a person (`review.pending`,
 * `step.input_required`), how runs end, nodes going away and coming back, and `webhook.disabled`
 * (another endpoint of the same scope was turned off after failing for days).
 */
export const WEBHOOK_EVENT_TYPES = [
  "review.pending",
  "step.input_required",
  "run.completed",
  "run.failed",
  "run.canceled",
  "node.offline",
  "node.online",
  "webhook.disabled",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_FORMATS = ["standard", "slack"] as const;
/** `standard`: the Standard Webhooks JSON payload; `slack`: `{"text": …}` for Slack/Mattermost incoming webhooks. */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A delivery (one event to one endpoint): waiting for its next attempt, delivered, or given up. */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Whether a webhook subscribed to `types` receives `type`. */
export function subscribes(types: readonly WebhookEventType[], type: WebhookEventType): boolean {
  return types.includes(type);
}

/** Paths of the web console, relative to `[server] public_url`. */
export const consolePath = {
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
  team: (id: string) => `/teams/${encodeURIComponent(id)}`,
  node: (id: string) => `/nodes/${encodeURIComponent(id)}`,
  attention: () => "/attention",
};

/** A stored event's data: objects name console pages with `console_path`, rendered as `url` when sent. */
export type WebhookEventData = Record<string, unknown>;
