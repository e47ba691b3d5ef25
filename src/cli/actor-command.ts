import { isActorCommand } from "./actor-command-docs.js";
import { ACTOR_USAGE, actorHelp } from "./actor-help.js";
import { UsageError } from "./usage.js";

/**
 * grpc-js sends the target's host as TLS SNI; for an IP target (the default 127.0.0.1) Node prints
 * DEP0123 on every run, which would end up in agents' tool output. The certificate is still verified
 * against the IP's SAN; only that one warning is dropped.
 */
function quietIpServerNameWarning(): void {
  const printers = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (w: Error & { code?: string }) => {
    if (w.code === "DEP0123") return;
    for (const print of printers) print(w);
  });
}

/**
 * `agenthub actor …`: exit 0 ok, 1 server error, 2 usage error. Agents run it on every tool call, so
 * it loads only what the command needs: the help loads only its text; a call loads gRPC and the
 * commands' schemas; only `mcp` loads the MCP SDK.
 */
export async function actorCommand(args: string[]): Promise<number> {
  quietIpServerNameWarning();
  const [cmd, ...rest] = args;
  if (!cmd || cmd === "--help" || cmd === "-h") {
    process.stdout.write(ACTOR_USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === "help") {
    const topic = rest[0];
    const text = topic ? await actorHelp(topic) : ACTOR_USAGE;
    if (!text) throw new UsageError(`unknown actor command: ${topic}`);
    process.stdout.write(`agenthub actor ${text}\n`);
    return 0;
  }
  if (cmd === "mcp") return (await import("./actor-mcp-command.js")).actorMcpCommand(rest);
  if (!isActorCommand(cmd)) throw new UsageError(`unknown actor command: ${cmd}`);
  return (await import("./actor-call-command.js")).actorCallCommand(cmd, rest);
}
