import { UsageError } from "../usage.js";
import { EXIT } from "./exit-codes.js";
import type { AgentNode, NodeHealth } from "./hub-types.js";
import { print, printJson, table } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";
import { openSession } from "./session.js";

export const NODES_USAGE = `usage: agenthub nodes <verb> [--json] [--hub URL]     (root only)
  list                          registered agent nodes and their status
  add ID --target HOST:PORT [--name N] [--tls-server-name NAME] [--worktree-root DIR]
                                register a node (ID must be its [node] id; the hub dials it first)
  health NODE                   probe a node now (exit 1 when it is not online)`;

const nodePath = (id: string) => `/api/admin/agent-nodes/${encodeURIComponent(id)}`;

function healthLine(h: NodeHealth): string {
  const parts = [`node ${h.id}: ${h.status}`];
  if (h.probe_latency_ms !== null) parts.push(`latency ${h.probe_latency_ms} ms`);
  if (h.clock_skew_ms !== null) parts.push(`clock ${(h.clock_skew_ms / 1000).toFixed(1)} s from the hub's`);
  if (h.isolation) parts.push(`isolation ${h.isolation}`);
  if (h.last_error) parts.push(`last error: ${h.last_error}`);
  return parts.join(", ");
}

/** `agenthub nodes …`. */
export async function nodesCommand(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals: pos } = parseFlags(rest, {
    target: { type: "string" },
    name: { type: "string" },
    "tls-server-name": { type: "string" },
    "worktree-root": { type: "string" },
  });
  const client = () => openSession(values.hub);
  switch (verb) {
    case "list": {
      positionals(pos, [], "agenthub nodes list");
      const { nodes } = await client().get<{ nodes: AgentNode[] }>("/api/admin/agent-nodes");
      if (values.json) printJson(nodes);
      else
        print(
          table(
            ["id", "name", "target", "status", "latency", "agents", "last error"],
            nodes.map((n) => [
              n.id,
              n.name,
              n.grpc_target,
              n.status,
              n.probe_latency_ms === null ? "" : `${n.probe_latency_ms} ms`,
              n.running_agents,
              n.last_error,
            ]),
          ),
        );
      return 0;
    }
    case "add": {
      const [id] = positionals(pos, ["ID"], "agenthub nodes add ID --target HOST:PORT");
      if (!values.target) throw new UsageError("--target HOST:PORT is required");
      const node = await client().post<AgentNode>("/api/admin/agent-nodes", {
        id,
        grpc_target: values.target,
        ...(values.name ? { name: values.name } : {}),
        ...(values["tls-server-name"] ? { tls_server_name: values["tls-server-name"] } : {}),
        ...(values["worktree-root"] ? { default_worktree_root: values["worktree-root"] } : {}),
      });
      if (values.json) printJson(node);
      else print(`registered node ${node.id} (${node.grpc_target}): ${node.status}`);
      return 0;
    }
    case "health": {
      const [id] = positionals(pos, ["NODE"], "agenthub nodes health NODE");
      const h = await client().get<NodeHealth>(`${nodePath(id!)}/health`);
      if (values.json) printJson(h);
      else print(healthLine(h));
      return h.status === "online" ? EXIT.ok : EXIT.error;
    }
    default:
      throw new UsageError(verb ? `unknown nodes verb: ${verb}` : "nodes needs a verb");
  }
}
