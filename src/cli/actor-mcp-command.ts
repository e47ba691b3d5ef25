import { once } from "node:events";
import { parseArgs } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { VERSION } from "../util/version.js";
import { actorToolName } from "./actor-command-docs.js";
import { type AuthorityClient, clientCertStamp, connectAuthority } from "./actor-connection.js";
import { actorFailure } from "./actor-failure.js";
import {
  ACTOR_OPERATIONS,
  type ActorOperation,
  type ActorScope,
  actorScope,
  performActorOperation,
} from "./actor-operations.js";

/**
 * One connection to the hub for the server's life, made at the first call (and again after a failed
 * attempt, or once a renewed mTLS client certificate replaced the one it was made with). The token is
 * read at each call.
 */
function lazyClient(actorId: string | undefined) {
  let pending: Promise<AuthorityClient> | undefined;
  let stamp = "";
  return {
    get(): Promise<AuthorityClient> {
      const now = clientCertStamp(process.env);
      if (pending && now !== stamp) {
        const old = pending;
        pending = undefined;
        void old.then((c) => c.close()).catch(() => undefined);
      }
      stamp = now;
      pending ??= connectAuthority(process.env, actorId).catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
    async close(): Promise<void> {
      const p = pending;
      pending = undefined;
      (await p?.catch(() => undefined))?.close();
    },
  };
}

/** A tool call: the command's response (its --json output), or a tool error carrying the code; never a throw. */
async function callTool(
  op: ActorOperation,
  client: () => Promise<AuthorityClient>,
  scope: ActorScope,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    const result = await performActorOperation(op, await client(), scope, args);
    return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
  } catch (err) {
    const failure = actorFailure(err);
    return {
      isError: true,
      content: [{ type: "text", text: failure.text }],
      structuredContent: failure.record,
    };
  }
}

/** The MCP server of the actor commands: one tool per command, its arguments' schema as the input schema. */
export function actorMcpServer(client: () => Promise<AuthorityClient>, scope: ActorScope): McpServer {
  const server = new McpServer({ name: "agenthub", version: VERSION });
  for (const [command, op] of Object.entries(ACTOR_OPERATIONS)) {
    server.registerTool(
      actorToolName(command),
      {
        description: op.about,
        inputSchema: op.args,
        annotations: { readOnlyHint: op.readOnly, openWorldHint: false },
      },
      (args) => callTool(op, client, scope, args),
    );
  }
  return server;
}

/** `agenthub actor mcp`: serves the tools on stdin/stdout until the client closes stdin. */
export async function actorMcpCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { "run-id": { type: "string" }, "actor-id": { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  const scope = actorScope(process.env, values["run-id"], values["actor-id"]);
  const client = lazyClient(scope.actorId || undefined);
  const server = actorMcpServer(() => client.get(), scope);
  const ended = once(process.stdin, "end");
  await server.connect(new StdioServerTransport());
  await ended;
  await server.close();
  await client.close();
  return 0;
}
