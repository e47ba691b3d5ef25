import { ACTOR_COMMAND_DOCS, isActorCommand } from "./actor-command-docs.js";

export const ACTOR_USAGE = `usage: agenthub actor <command> [options] [--json]

commands: ${[...Object.keys(ACTOR_COMMAND_DOCS), "mcp"].join(", ")}
  agenthub actor help <command>   details of one command
  agenthub actor mcp              the same commands as MCP tools over stdio (see: agenthub actor help mcp)

common options: --json (machine-readable output), --run-id ID, --actor-id ID
environment: AGENTHUB_INTERNAL_GRPC_TARGET, AGENTHUB_INTERNAL_GRPC_TOKEN, AGENTHUB_INTERNAL_GRPC_CA_CERT
  (or _CA_CERT_PEM; _CLIENT_CERT/_CLIENT_KEY for mTLS), AGENTHUB_ACTOR_ID, AGENTHUB_RUN_ID.
  On the hub's machine, without them, the hub's config and generated secret are used.
exit codes: 0 ok, 1 server error, 2 usage error
`;

/**
 * `agenthub actor help <command>`: one entry per command; undefined for an unknown one. Only `mcp`'s
 * entry loads the commands' schemas (it lists the tools' arguments).
 */
export async function actorHelp(topic: string): Promise<string | undefined> {
  if (topic === "mcp") return (await import("./actor-mcp-help.js")).MCP_HELP;
  if (!isActorCommand(topic)) return undefined;
  const doc = ACTOR_COMMAND_DOCS[topic];
  return `${doc.usage ? `${topic} ${doc.usage}` : topic}\n  ${doc.about}`;
}
