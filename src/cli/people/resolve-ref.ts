import { AppError, type ErrorCode } from "../../errors/registry.js";
import type { HubClient } from "./hub-client.js";
import type { Agent, Team } from "./hub-types.js";

interface Named {
  id: string;
  name: string;
}

/**
 * The item `ref` names: its exact id, else its exact name, else the one whose name (or id) starts with
 * `ref`, ignoring case. Several matches are NAME_AMBIGUOUS listing them; none is `notFound`.
 */
export function pickByRef<T extends Named>(
  items: readonly T[],
  ref: string,
  what: string,
  notFound: ErrorCode,
): T {
  const byId = items.find((i) => i.id === ref);
  if (byId) return byId;
  const exact = items.filter((i) => i.name === ref);
  const lower = ref.toLowerCase();
  const matches =
    exact.length > 0
      ? exact
      : items.filter((i) => i.name.toLowerCase().startsWith(lower) || i.id.toLowerCase().startsWith(lower));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new AppError(
      notFound,
      { ref },
      { message: `${what} not found: no ${what} has the id or name "${ref}"` },
    );
  }
  const listed = matches.map((m) => `${m.name} (${m.id})`).join(", ");
  throw new AppError(
    "NAME_AMBIGUOUS",
    { ref, candidates: matches.map((m) => ({ id: m.id, name: m.name })) },
    { message: `"${ref}" matches ${matches.length} ${what}s: ${listed}; use an id or the full name` },
  );
}

/** A team by id or name (the caller's teams; root: every team). */
export async function resolveTeam(client: HubClient, ref: string): Promise<Team> {
  const { teams } = await client.get<{ teams: Team[] }>("/api/teams");
  return pickByRef(teams, ref, "team", "TEAM_NOT_FOUND");
}

/** An agent by id or name (the caller's agents). */
export async function resolveAgent(client: HubClient, ref: string): Promise<Agent> {
  const { agents } = await client.get<{ agents: Agent[] }>("/api/agents");
  return pickByRef(agents, ref, "agent", "AGENT_NOT_FOUND");
}
