import { UsageError } from "../usage.js";
import { print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { resolveTeam } from "./resolve-ref.js";
import { openSession } from "./session.js";

export const WEBHOOKS_USAGE = `usage: agenthub webhooks <verb> [--json] [--hub URL]
  list [--team TEAM]            webhooks you can see (root: all; --team: that team's)
  add URL [--team TEAM] [--event TYPE]… [--format standard|slack] [--description TEXT]
                                add one (without --team: global, root only); prints the whsec_ secret once
  deliveries WEBHOOK [--status pending|delivered|failed]
                                its latest deliveries, newest first
  delete WEBHOOK                remove it (its pending deliveries go with it)
event types: review.pending step.input_required run.completed run.failed run.canceled node.offline
             node.online webhook.disabled (default: all)`;

interface Webhook {
  id: string;
  team_id: string | null;
  url: string;
  format: string;
  event_types: string[];
  status: string;
  disabled_reason: string | null;
  secret?: string;
}

interface Delivery {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
}

const hookPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

/** `agenthub webhooks …`: outbound notifications (Standard Webhooks, or Slack-compatible). */
export async function webhooksCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, {
    team: { type: "string" },
    event: { type: "string", multiple: true },
    format: { type: "string" },
    description: { type: "string" },
    status: { type: "string" },
  });
  const client = openSession(values.hub);
  const teamId = async () => (values.team ? (await resolveTeam(client, values.team)).id : undefined);
  switch (verb) {
    case "list": {
      positionals(pos, [], "agenthub webhooks list [--team TEAM]");
      const { webhooks } = await client.get<{ webhooks: Webhook[] }>("/api/webhooks", {
        team_id: await teamId(),
      });
      if (values.json) printJson(webhooks);
      else
        print(
          table(
            ["id", "team", "url", "format", "events", "status"],
            webhooks.map((w) => [
              w.id,
              w.team_id ?? "(global)",
              w.url,
              w.format,
              w.event_types.join(","),
              w.disabled_reason ? `${w.status}: ${w.disabled_reason}` : w.status,
            ]),
          ),
        );
      return 0;
    }
    case "add": {
      const [url] = positionals(pos, ["URL"], "agenthub webhooks add URL [--team TEAM]");
      const team = await teamId();
      const hook = await client.post<Webhook>("/api/webhooks", {
        url,
        ...(team ? { team_id: team } : {}),
        ...(values.event?.length ? { event_types: values.event } : {}),
        ...(values.format ? { format: values.format } : {}),
        ...(values.description ? { description: values.description } : {}),
      });
      if (values.json) printJson(hook);
      else {
        print(`added webhook ${hook.id} -> ${hook.url} (${hook.event_types.join(", ")})`);
        print(`secret (shown once; verify webhook-signature with it): ${hook.secret ?? ""}`);
      }
      return 0;
    }
    case "deliveries": {
      const [id] = positionals(pos, ["WEBHOOK"], "agenthub webhooks deliveries WEBHOOK");
      const { deliveries } = await client.get<{ deliveries: Delivery[] }>(`${hookPath(id!)}/deliveries`, {
        status: values.status,
      });
      if (values.json) printJson(deliveries);
      else
        print(
          table(
            ["id", "event", "status", "attempts", "last answer", "next attempt", "created"],
            deliveries.map((d) => [
              d.id,
              d.event_type,
              d.status,
              d.attempts,
              d.last_error ?? (d.last_status_code === null ? "" : String(d.last_status_code)),
              d.next_attempt_at ?? "",
              d.created_at,
            ]),
          ),
        );
      return 0;
    }
    case "delete": {
      const [id] = positionals(pos, ["WEBHOOK"], "agenthub webhooks delete WEBHOOK");
      await client.request("DELETE", hookPath(id!));
      if (values.json) printJson({ deleted: id });
      else print(`deleted webhook ${id}`);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown webhooks verb: ${verb}` : "webhooks needs a verb");
  }
}
