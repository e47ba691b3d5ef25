import type { MemberSpec, TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";

/**
 * Agent and member `env` values are write-only (they hold API keys): answers carry the names with
 * this placeholder, and an edit that sends the placeholder back keeps the stored value.
 */
export const ENV_VALUE_SET = "(set)";

export function maskEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(env).map((k) => [k, ENV_VALUE_SET]));
}

/** The spec as answers show it: every member's agent env (and its MCP servers' env) masked. */
export function maskTeamSpec(spec: TeamSpec): TeamSpec {
  return {
    ...spec,
    members: spec.members.map((m): MemberSpec => {
      const a = m.agent;
      if (!a?.env && !a?.mcp_servers) return m;
      return {
        ...m,
        agent: {
          ...a,
          ...(a.env ? { env: maskEnv(a.env) } : {}),
          ...(a.mcp_servers
            ? { mcp_servers: a.mcp_servers.map((s) => ({ ...s, env: maskEnv(s.env) })) }
            : {}),
        },
      };
    }),
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A team spec from a request with each `"(set)"` member env value replaced by the stored value of
 * the same member and key (`stored` is the team's current spec; none on create). A placeholder with
 * no stored value is refused: storing the literal text would silently break the agent. Shape errors
 * are left to the spec validation that follows; the request body itself is not changed.
 */
export function restoreMemberEnv(rawSpec: unknown, stored: TeamSpec | undefined): unknown {
  if (!isObject(rawSpec) || !Array.isArray(rawSpec.members)) return rawSpec;
  let changed = false;
  const members = rawSpec.members.map((m: unknown, i) => {
    if (!isObject(m) || !isObject(m.agent)) return m;
    const field = `spec.members[${i}].agent`;
    const storedAgent = stored?.members.find((s) => s.member_id === m.member_id)?.agent;
    let agent: Json = m.agent;
    const env = restoreEnv(agent.env, storedAgent?.env ?? {}, `${field}.env`);
    if (env) agent = { ...agent, env };
    if (Array.isArray(agent.mcp_servers)) {
      let serversChanged = false;
      const servers = agent.mcp_servers.map((s: unknown, j) => {
        if (!isObject(s)) return s;
        const before = storedAgent?.mcp_servers?.find((x) => x.name === s.name)?.env ?? {};
        const restored = restoreEnv(s.env, before, `${field}.mcp_servers[${j}].env`);
        if (!restored) return s;
        serversChanged = true;
        return { ...s, env: restored };
      });
      if (serversChanged) agent = { ...agent, mcp_servers: servers };
    }
    if (agent === m.agent) return m;
    changed = true;
    return { ...m, agent };
  });
  return changed ? { ...rawSpec, members } : rawSpec;
}

/** `env` with each placeholder replaced by `before`'s value of that key; undefined when it has none. */
function restoreEnv(env: unknown, before: Readonly<Record<string, string>>, field: string): Json | undefined {
  if (!isObject(env) || !Object.values(env).includes(ENV_VALUE_SET)) return undefined;
  const restored: Json = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== ENV_VALUE_SET) restored[k] = v;
    else if (Object.hasOwn(before, k)) restored[k] = before[k];
    else throw placeholderWithoutValue(`${field}.${k}`);
  }
  return restored;
}

/** An agent's env from a request: the placeholder is refused (an agent definition is never edited). */
export function refuseEnvPlaceholder(env: unknown, field = "env"): void {
  if (!isObject(env)) return;
  for (const [k, v] of Object.entries(env))
    if (v === ENV_VALUE_SET) throw placeholderWithoutValue(`${field}.${k}`);
}

function placeholderWithoutValue(field: string): AppError {
  return new AppError(
    "BAD_REQUEST",
    { field },
    {
      message: `${field} is "${ENV_VALUE_SET}", which stands for a stored value, but none is stored for it: give the value itself`,
    },
  );
}
