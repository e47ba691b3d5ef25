import { z } from "zod";
import { actorToolName } from "./actor-command-docs.js";
import { ACTOR_OPERATIONS, type ActorOperation } from "./actor-operations.js";

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

/** `agenthub actor help mcp`: the tools and their arguments, read from the commands' schemas. */
export const MCP_HELP = `mcp [--run-id ID] [--actor-id ID]
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
