import { z } from "zod";
import { ACTOR_OPERATIONS, type ActorOperation, actorToolName } from "./actor-operations.js";

/** A tool's arguments: `?` optional, `(a | b)` exactly one of them. */
function toolArguments(op: ActorOperation): string {
  const parts: string[] = [];
  for (const [name, schema] of Object.entries(op.args.shape)) {
    const group = op.oneOf.find((g) => g.includes(name));
    if (group) {
      if (group[0] === name) parts.push(`(${group.join(" | ")})`);
    } else parts.push(z.safeParse(schema, undefined).success ? `${name}?` : name);
  }
  return `{${parts.join(", ")}}`;
}

const MCP_HELP = `mcp [--run-id ID] [--actor-id ID]
  Serve these commands as MCP tools over stdio, for agents that speak MCP: no shell command (and no
  permission) per call. A tool is named like its command with _ for - ; its arguments are the command's
  options with _ for - (a JSON object \`payload\` for --payload-json, a list \`message_ids\` for --message-id).
  A tool answers the command's --json output; a refused call is a tool error (isError) whose text names
  the code and whose structured content is {error, code, details}. The server needs the environment the
  commands need (below); --run-id/--actor-id apply to every call.
  tools (name? optional, (a | b) exactly one of them):
${Object.entries(ACTOR_OPERATIONS)
  .map(([name, op]) => `    ${actorToolName(name)} ${toolArguments(op)}`)
  .join("\n")}
  an agent's MCP server entry: command "agenthub", args ["actor", "mcp"]`;

/** `agenthub actor help <command>`: one entry per command. */
export const ACTOR_HELP: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(ACTOR_OPERATIONS).map(([name, op]) => [
      name,
      `${op.usage ? `${name} ${op.usage}` : name}\n  ${op.about}`,
    ]),
  ),
  mcp: MCP_HELP,
};

export const ACTOR_USAGE = `usage: agenthub actor <command> [options] [--json]

commands: ${Object.keys(ACTOR_HELP).join(", ")}
  agenthub actor help <command>   details of one command
  agenthub actor mcp              the same commands as MCP tools over stdio (see: agenthub actor help mcp)

common options: --json (machine-readable output), --run-id ID, --actor-id ID
environment: AGENTHUB_INTERNAL_GRPC_TARGET, AGENTHUB_INTERNAL_GRPC_TOKEN, AGENTHUB_INTERNAL_GRPC_CA_CERT
  (or _CA_CERT_PEM; _CLIENT_CERT/_CLIENT_KEY for mTLS), AGENTHUB_ACTOR_ID, AGENTHUB_RUN_ID.
  On the hub's machine, without them, the hub's config and generated secret are used.
exit codes: 0 ok, 1 server error, 2 usage error
`;
