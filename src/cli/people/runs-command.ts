import { UsageError } from "../usage.js";
import type { HubClient } from "./hub-client.js";
import type { CreatedRun, Review, Run, RunList, RunSummary } from "./hub-types.js";
import { print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { resolveTeam } from "./resolve-ref.js";
import { PLAIN, renderRun } from "./run-render.js";
import { watchRun } from "./run-watch.js";
import { openSession } from "./session.js";

export const RUNS_USAGE = `usage: agenthub runs <verb> [--json] [--hub URL]
  start TEAM [--input KEY=VALUE]... [--idempotency-key K] [--watch]
                                start a run of the team's spec (--watch: then watch it)
  list TEAM [--status S]        the team's runs, oldest first
  show RUN                      a run's steps, pending reviews and outcome
  watch RUN                     follow a run live until it ends (exit 0 completed, 5 failed, 6 canceled);
                                with --json one object per line: {"event": …} each, then {"run": …}
  cancel RUN | resume RUN       cancel a run / continue a paused, failed or canceled one
  restart RUN [--all]           a new attempt of the unfinished steps (--all: of every step)
TEAM is a team's id or name.`;

/** `--input a=1 --input b=x` -> `{a: "1", b: "x"}`. */
export function parseInput(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const input: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new UsageError(`--input takes KEY=VALUE, got "${p}"`);
    const key = p.slice(0, i);
    if (key in input) throw new UsageError(`--input ${key} is given twice`);
    input[key] = p.slice(i + 1);
  }
  return input;
}

const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`;

async function listRuns(
  client: HubClient,
  teamId: string,
  status: string | undefined,
): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<RunList>(`/api/teams/${encodeURIComponent(teamId)}/runs`, {
      status,
      cursor,
      limit: 1000,
    });
    out.push(...page.runs);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

async function showRun(client: HubClient, id: string, json: boolean | undefined): Promise<void> {
  const run = await client.get<Run>(runPath(id));
  const { reviews } = await client.get<{ reviews: Review[] }>(`${runPath(id)}/permission-reviews`, {
    status: "pending",
  });
  if (json) printJson({ ...run, pending_reviews: reviews });
  else print(renderRun(run, { reviews, events: [], now: Date.now(), style: PLAIN }));
}

const watchOptions = (json: boolean | undefined) => {
  const tty = process.stdout.isTTY === true;
  return { json: json === true, tty, color: tty && !process.env.NO_COLOR };
};

/** `agenthub runs …`. */
export async function runsCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, {
    input: { type: "string", short: "i", multiple: true },
    "idempotency-key": { type: "string" },
    watch: { type: "boolean", short: "w" },
    status: { type: "string" },
    all: { type: "boolean" },
  });
  const client = () => openSession(values.hub);
  switch (verb) {
    case "start": {
      const [ref] = positionals(pos, ["TEAM"], "agenthub runs start TEAM [--input KEY=VALUE]... [--watch]");
      const input = parseInput(values.input);
      const c = client();
      const team = await resolveTeam(c, ref!);
      const key = values["idempotency-key"];
      const run = await c.post<CreatedRun>(
        `/api/teams/${encodeURIComponent(team.id)}/runs`,
        input === undefined ? {} : { input },
        key ? { "idempotency-key": key } : undefined,
      );
      if (!values.watch) {
        if (values.json) printJson(run);
        else if (run.idempotent_replay)
          print(`run ${run.id} was already started with idempotency key ${key}: ${run.status}`);
        else print(`started run ${run.id} of team ${team.name} (${run.steps.length} steps): ${run.status}`);
        return 0;
      }
      if (!values.json)
        print(`${run.idempotent_replay ? "watching" : "started"} run ${run.id} of team ${team.name}`);
      return watchRun(c, run.id, watchOptions(values.json));
    }
    case "list": {
      const [ref] = positionals(pos, ["TEAM"], "agenthub runs list TEAM [--status S]");
      const c = client();
      const team = await resolveTeam(c, ref!);
      const runs = await listRuns(c, team.id, values.status);
      if (values.json) printJson(runs);
      else
        print(
          table(
            ["id", "status", "attempt", "created", "finished", "error"],
            runs.map((r) => [r.id, r.status, r.attempt, r.created_at, r.finished_at, r.error?.code]),
          ),
        );
      return 0;
    }
    case "show": {
      const [id] = positionals(pos, ["RUN"], "agenthub runs show RUN");
      await showRun(client(), id!, values.json);
      return 0;
    }
    case "watch": {
      const [id] = positionals(pos, ["RUN"], "agenthub runs watch RUN");
      return watchRun(client(), id!, watchOptions(values.json));
    }
    case "cancel":
    case "resume":
    case "restart": {
      const [id] = positionals(pos, ["RUN"], `agenthub runs ${verb} RUN`);
      const body = verb === "restart" && values.all ? { mode: "all" } : {};
      const run = await client().post<Run>(`${runPath(id!)}/${verb}`, body);
      if (values.json) printJson(run);
      else print(`run ${run.id}: ${run.status}`);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown runs verb: ${verb}` : "runs needs a verb");
  }
}
