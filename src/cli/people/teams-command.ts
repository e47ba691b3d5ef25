import { UsageError } from "../usage.js";
import type { HubClient } from "./hub-client.js";
import type { Team, TeamDeleted, TeamRuntime, WorktreeOutcome } from "./hub-types.js";
import { print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { resolveTeam } from "./resolve-ref.js";
import { openSession } from "./session.js";
import { diffValues, formatChange } from "./spec-diff.js";
import { readTeamFile } from "./team-file.js";

export const TEAMS_USAGE = `usage: agenthub teams <verb> [--json] [--hub URL]
  list                          your teams (root: every team)
  show TEAM                     a team's members, steps and runtime
  apply -f FILE                 create the team in FILE (.toml or .json: name and spec), or update it
  delete TEAM [--force-worktrees]
                                delete a team (its runtime is stopped first); members' worktrees
                                holding uncommitted work are kept (and listed) unless forced
  start TEAM | stop TEAM        start or stop the team's member agents
TEAM is a team's id or name.`;

function teamRows(teams: Team[]) {
  return table(
    ["id", "name", "version", "members", "steps", "updated"],
    teams.map((t) => [
      t.id,
      t.name,
      t.version,
      t.spec.members.length,
      t.spec.steps?.length ?? 0,
      t.updated_at,
    ]),
  );
}

function runtimeRows(rt: TeamRuntime): string {
  return table(
    ["member", "role", "node", "agent", "status", "workdir", "last error"],
    rt.members.map((m) => [m.member_id, m.role, m.node_id, m.agent_id, m.status, m.workdir, m.last_error]),
  );
}

/** The worktrees (and branches) a removal kept, one line each, with why. */
function keptLines(worktrees: readonly WorktreeOutcome[]): string[] {
  return worktrees.flatMap((w) => [
    ...(w.removed ? [] : [`kept worktree ${w.path} (node ${w.node_id}): ${w.kept_reason}`]),
    ...(w.branch_kept_reason ? [`kept branch ${w.branch} (node ${w.node_id}): ${w.branch_kept_reason}`] : []),
  ]);
}

function describeTeam(t: Team, rt: TeamRuntime): string {
  const steps = t.spec.steps ?? [];
  const kept = rt.kept_worktrees.map(
    (k) =>
      `kept worktree of removed member ${k.member_id ?? "-"}: ${k.path} (node ${k.node_id}): ${k.reason}`,
  );
  return [
    `team ${t.name} (${t.id}), version ${t.version}, updated ${t.updated_at}`,
    `leader: ${t.spec.leader_member_id ?? "-"}; permission reviews: ${t.spec.permissions.route}; runtime: ${rt.status}`,
    "",
    runtimeRows(rt),
    ...kept,
    "",
    table(
      ["step", "member", "depends on", "timeout"],
      steps.map((s) => [
        s.step_key,
        s.member_id,
        s.depends_on.join(","),
        s.timeout_seconds ? `${s.timeout_seconds}s` : "",
      ]),
    ),
  ].join("\n");
}

/** Creates the file's team, or updates the team of that name against the version just read. */
async function apply(client: HubClient, file: string, json: boolean | undefined): Promise<number> {
  const body = await readTeamFile(file);
  const { teams } = await client.get<{ teams: Team[] }>("/api/teams");
  const current = teams.find((t) => t.name === body.name);
  if (!current) {
    const created = await client.post<Team>("/api/teams", body);
    if (json) printJson({ action: "created", team: created, changes: [] });
    else print(`created team ${created.name} (${created.id}), version ${created.version}`);
    return 0;
  }
  // The optimistic lock: a concurrent edit since the GET above is refused (TEAM_CHANGED), never overwritten.
  const updated = await client.request<Team>("PUT", `/api/teams/${encodeURIComponent(current.id)}`, {
    body: { name: body.name, spec: body.spec, expected_version: current.version },
  });
  const changes = diffValues(
    { name: current.name, spec: current.spec },
    { name: updated.name, spec: updated.spec },
  );
  if (json) {
    printJson({ action: changes.length ? "updated" : "unchanged", team: updated, changes });
    return 0;
  }
  if (changes.length === 0) {
    print(`team ${updated.name} (${updated.id}): no changes (saved as version ${updated.version})`);
  } else {
    print(
      [
        `updated team ${updated.name} (${updated.id}), version ${current.version} -> ${updated.version}:`,
        ...changes.map((c) => `  ${formatChange(c)}`),
      ].join("\n"),
    );
  }
  return 0;
}

/** `agenthub teams …`. */
export async function teamsCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, {
    file: { type: "string", short: "f" },
    "force-worktrees": { type: "boolean" },
  });
  const client = () => openSession(values.hub);
  const path = (t: Team) => `/api/teams/${encodeURIComponent(t.id)}`;
  switch (verb) {
    case "list": {
      positionals(pos, [], "agenthub teams list");
      const { teams } = await client().get<{ teams: Team[] }>("/api/teams");
      if (values.json) printJson(teams);
      else print(teamRows(teams));
      return 0;
    }
    case "show": {
      const [ref] = positionals(pos, ["TEAM"], "agenthub teams show TEAM");
      const c = client();
      const team = await resolveTeam(c, ref!);
      const runtime = await c.get<TeamRuntime>(`${path(team)}/runtime`);
      if (values.json) printJson({ ...team, runtime });
      else print(describeTeam(team, runtime));
      return 0;
    }
    case "apply": {
      positionals(pos, [], "agenthub teams apply -f FILE");
      if (!values.file) throw new UsageError("-f FILE is required; usage: agenthub teams apply -f FILE");
      return apply(client(), values.file, values.json);
    }
    case "delete": {
      const [ref] = positionals(pos, ["TEAM"], "agenthub teams delete TEAM [--force-worktrees]");
      const c = client();
      const team = await resolveTeam(c, ref!);
      const d = await c.request<TeamDeleted>("DELETE", path(team), {
        query: { remove_worktrees: values["force-worktrees"] ? "force" : undefined },
      });
      if (values.json) printJson({ deleted: team.id, name: team.name, worktrees: d.worktrees });
      else print([`deleted team ${team.name} (${team.id})`, ...keptLines(d.worktrees)].join("\n"));
      return 0;
    }
    case "start":
    case "stop": {
      const [ref] = positionals(pos, ["TEAM"], `agenthub teams ${verb} TEAM`);
      const c = client();
      const team = await resolveTeam(c, ref!);
      const rt = await c.post<TeamRuntime>(`${path(team)}/runtime/${verb}`);
      if (values.json) printJson(rt);
      else print(`team ${team.name}: runtime ${rt.status}\n${runtimeRows(rt)}`);
      return 0;
    }
    default:
      throw new UsageError(verb ? `unknown teams verb: ${verb}` : "teams needs a verb");
  }
}
