import { UsageError } from "../usage.js";
import type { HubClient } from "./hub-client.js";
import type { Agent, AgentEvent, AgentEventPage } from "./hub-types.js";
import { clockTime, oneLine, print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { resolveAgent } from "./resolve-ref.js";
import { openSession } from "./session.js";
import { SseReader } from "./sse-reader.js";

export const AGENTS_USAGE = `usage: agenthub agents <verb> [--json] [--hub URL]
  list                          your agents (team members' agents too)
  logs AGENT [--follow]         an agent's events (--follow: then new ones as they happen, until Ctrl-C)
AGENT is an agent's id or name.`;

/** What an agent event says, on one line. */
export function agentEventText(e: AgentEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case "session_update": {
      const u = (d.update ?? {}) as Record<string, unknown>;
      const content = u.content as { text?: unknown } | undefined;
      const said = typeof content?.text === "string" ? content.text : (u.title ?? u.status ?? "");
      return `${String(u.sessionUpdate ?? "update")}: ${oneLine(said, 120)}`;
    }
    case "stderr":
      return oneLine(d.line, 160);
    case "turn_started":
      return `${String(d.turn_id)}: ${oneLine(d.text, 100)}`;
    case "status":
      return `${String(d.state)}${d.pid ? ` (pid ${String(d.pid)})` : ""}`;
    default:
      return oneLine(d, 140);
  }
}

function printEvent(e: AgentEvent, json: boolean | undefined): void {
  if (json) print(JSON.stringify(e));
  else print(`${clockTime(e.at)}  #${e.seq}  ${e.kind}  ${agentEventText(e)}`);
}

async function logs(
  client: HubClient,
  agent: Agent,
  follow: boolean,
  json: boolean | undefined,
): Promise<void> {
  const path = `/api/agents/${encodeURIComponent(agent.id)}/events`;
  let after = 0;
  for (;;) {
    const page = await client.get<AgentEventPage>(path, { after, limit: 1000 });
    for (const e of page.events) printEvent(e, json);
    after = page.events.at(-1)?.seq ?? after;
    if (!page.next_cursor || page.events.length === 0) break;
  }
  if (!follow) return;
  const reader = new SseReader(client, path, after, (cause) => {
    process.stderr.write(`agenthub: agent event stream interrupted (${cause}); reconnecting\n`);
  });
  try {
    for (;;) for (const f of await reader.take()) printEvent(f.data as AgentEvent, json);
  } finally {
    await reader.close();
  }
}

/** `agenthub agents …`. */
export async function agentsCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, { follow: { type: "boolean", short: "f" } });
  const client = () => openSession(values.hub);
  switch (verb) {
    case "list": {
      positionals(pos, [], "agenthub agents list");
      const { agents } = await client().get<{ agents: Agent[] }>("/api/agents");
      if (values.json) printJson(agents);
      else
        print(
          table(
            ["id", "name", "node", "status", "team", "member", "workdir"],
            agents.map((a) => [a.id, a.name, a.node_id, a.status, a.team_id, a.member_id, a.workdir]),
          ),
        );
      return 0;
    }
    case "logs": {
      const [ref] = positionals(pos, ["AGENT"], "agenthub agents logs AGENT [--follow]");
      const c = client();
      await logs(c, await resolveAgent(c, ref!), values.follow === true, values.json);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown agents verb: ${verb}` : "agents needs a verb");
  }
}
