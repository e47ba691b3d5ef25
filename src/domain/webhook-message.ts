import type { WebhookEventData, WebhookEventType, WebhookFormat } from "./webhook-events.js";

/** A notification as stored in the outbox: what happened, when, and its data. */
export interface WebhookEventRecord {
  id: string;
  type: WebhookEventType;
  data: WebhookEventData;
  created_at: number;
}

/**
 * The data with console pages made absolute: every `console_path` becomes `url` (`[server] public_url`
 * + path), so a public URL set after the event still applies to its pending deliveries.
 */
export function withConsoleUrls(value: unknown, baseUrl: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withConsoleUrls(v, baseUrl));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "console_path" && typeof v === "string") out.url = `${baseUrl.replace(/\/+$/, "")}${v}`;
    else out[k] = withConsoleUrls(v, baseUrl);
  }
  return out;
}

/** The request body of a delivery, in the webhook's format (the signature covers exactly this text). */
export function webhookBody(format: WebhookFormat, e: WebhookEventRecord, baseUrl: string): string {
  const data = withConsoleUrls(e.data, baseUrl) as Record<string, unknown>;
  if (format === "slack") return JSON.stringify({ text: slackText(e.type, data) });
  return JSON.stringify({ type: e.type, timestamp: new Date(e.created_at).toISOString(), data });
}

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string =>
  typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);

/** Slack mrkdwn control characters are escaped in every value. */
function esc(v: unknown): string {
  return str(v).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** `<url|label>`, or the bare label when there is no URL. */
function link(o: Obj, label: unknown): string {
  const url = str(o.url);
  return url ? `<${url}|${esc(label)}>` : esc(label);
}

/** One line a person reads in Slack or Mattermost: what happened, where, and a link to it. */
export function slackText(type: WebhookEventType, data: Obj): string {
  const run = obj(data.run);
  const team = obj(data.team);
  const step = obj(data.step);
  const node = obj(data.node);
  const inTeam = `of team ${link(team, team.name)}`;
  const runRef = `run ${link(run, run.id)} ${inTeam}`;
  switch (type) {
    case "review.pending": {
      const review = obj(data.review);
      const what = str(review.tool_call) ? `"${esc(review.tool_call)}"` : "use a tool";
      const where = str(step.key) ? `step *${esc(step.key)}* of ${runRef}` : runRef;
      const answer = link(obj(data.attention), "answer it");
      return `:raising_hand: Permission review waiting: member *${esc(review.requester)}* asks to ${what} in ${where} (reviewer: ${esc(review.reviewer)}). ${answer}`;
    }
    case "step.input_required": {
      const reason = str(step.reason) ? `: ${esc(step.reason)}` : "";
      return `:question: Step *${esc(step.key)}* of ${runRef} needs input${reason}. ${link(obj(data.attention), "open")}`;
    }
    case "run.completed":
      return `:white_check_mark: Run ${link(run, run.id)} ${inTeam} completed.`;
    case "run.failed": {
      const err = obj(run.error);
      const why = str(err.code) ? `: ${esc(err.code)} ${esc(err.message)}` : "";
      return `:x: Run ${link(run, run.id)} ${inTeam} failed${why}`;
    }
    case "run.canceled": {
      const err = obj(run.error);
      return `:no_entry_sign: Run ${link(run, run.id)} ${inTeam} was canceled${str(err.message) ? `: ${esc(err.message)}` : "."}`;
    }
    case "node.offline":
      return `:red_circle: Agent node ${link(node, node.name)} is offline${str(node.last_error) ? `: ${esc(node.last_error)}` : "."}`;
    case "node.online":
      return `:large_green_circle: Agent node ${link(node, node.name)} is online again.`;
    case "webhook.disabled": {
      const hook = obj(data.webhook);
      return `:warning: Webhook ${esc(hook.id)} (${esc(hook.origin)}) was disabled: ${esc(hook.reason)}`;
    }
  }
}
