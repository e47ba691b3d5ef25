import type * as acp from "@agentclientprotocol/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/** What a tool call answered: its text, and whether the tool reported an error. */
export interface McpCallResult {
  isError: boolean;
  text: string;
}

/**
 * Calls `tool` of the stdio MCP server `server` (as session/new gave it) with `args`, the way an agent
 * does: the server is started with the variables its definition names (over the MCP SDK's default
 * HOME, PATH, …), never the agent's own environment, then closed after the one call.
 */
export async function callMcpTool(
  server: acp.McpServer,
  tool: string,
  args: Record<string, unknown>,
): Promise<McpCallResult> {
  if (!("command" in server)) throw new Error(`MCP server "${server.name}" is not a stdio server`);
  const transport = new StdioClientTransport({
    command: server.command,
    args: server.args,
    env: Object.fromEntries(server.env.map((e) => [e.name, e.value])),
    stderr: "ignore",
  });
  const client = new Client({ name: "agenthub-scripted", version: "1" });
  await client.connect(transport);
  try {
    const r = await client.callTool({ name: tool, arguments: args });
    const content = Array.isArray(r.content) ? (r.content as { type: string; text?: string }[]) : [];
    return {
      isError: r.isError === true,
      text: content.map((c) => (c.type === "text" ? (c.text ?? "") : "")).join(""),
    };
  } finally {
    await client.close();
  }
}
