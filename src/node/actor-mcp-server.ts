import { ACTOR_MCP_SERVER } from "../domain/actor-call.js";
import type { McpServerSpec, SessionSettings } from "../domain/agent.js";

/**
 * The `agenthub` stdio MCP server a team member's session gets: `agenthub actor mcp`, the actor
 * commands as tools, so the agent answers reviews, sends mail and completes steps through tool calls
 * rather than shell commands (each of which its own permission rules may ask about). The agent spawns
 * it inside its own sandbox, with the member's actor variables: the hub's address, the token file the
 * node renews (and the start token as its fallback), in mTLS the certificate files.
 */

/** The variables of a member's environment the actor commands read. */
function isActorVariable(name: string): boolean {
  return (
    name.startsWith("AGENTHUB_INTERNAL_GRPC_") ||
    name === "AGENTHUB_ACTOR_ID" ||
    name === "AGENTHUB_TEAM_ID" ||
    name === "AGENTHUB_RUN_ID"
  );
}

/**
 * The server for an agent whose environment is `env`: run with this node's own `node` binary
 * (`nodePath`) and its `bin/agenthub.js` (`agenthubBin`), so it is the node's version whatever the
 * agent's PATH says.
 */
export function actorMcpServer(
  env: Readonly<Record<string, string>>,
  nodePath: string,
  agenthubBin: string,
): McpServerSpec {
  return {
    name: ACTOR_MCP_SERVER,
    command: nodePath,
    args: [agenthubBin, "actor", "mcp"],
    env: Object.fromEntries(Object.entries(env).filter(([k]) => isActorVariable(k))),
  };
}

/** `settings` with `server` first among its MCP servers, unless one of that name is configured already. */
export function withMcpServer(settings: SessionSettings, server: McpServerSpec): SessionSettings {
  const servers = settings.mcp_servers ?? [];
  if (servers.some((s) => s.name === server.name)) return settings;
  return { ...settings, mcp_servers: [server, ...servers] };
}
