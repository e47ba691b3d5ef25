import { type CheckResult, fail, ok, skip, warn } from "./doctor-check.js";
import { hubVersionAt } from "./doctor-ports.js";
import type { HubClient } from "./hub-client.js";
import { HubError } from "./hub-error.js";
import type { AgentNode, NodeHealth } from "./hub-types.js";

/** Whether the hub answers at `url`. */
export async function checkHub(url: string): Promise<{ result: CheckResult; up: boolean }> {
  const version = await hubVersionAt(url);
  if (version) return { result: ok("hub", `agenthub ${version} answers at ${url}`), up: true };
  return {
    result: warn(
      "hub",
      `nothing answers at ${url}`,
      "start it (agenthub serve, or systemctl start agenthub); --hub names another",
    ),
    up: false,
  };
}

const NODE_FIX =
  "check the node daemon runs (agenthub --node-mode on its machine), and its grpc_target, tls_server_name and certificates (agenthub certs issue-node)";

function nodeResult(h: NodeHealth, toleranceMs: number): CheckResult {
  const name = `node ${h.id}`;
  if (h.status === "offline") return fail(name, `offline: ${h.last_error ?? "no answer"}`, NODE_FIX);
  const skew = h.clock_skew_ms;
  const latency = h.probe_latency_ms === null ? "" : `, latency ${h.probe_latency_ms} ms`;
  const clock =
    skew === null ? "" : `, clock ${skew >= 0 ? "+" : ""}${(skew / 1000).toFixed(1)} s from the hub's`;
  if (skew !== null && Math.abs(skew) > toleranceMs) {
    return fail(
      name,
      `its clock is ${(Math.abs(skew) / 1000).toFixed(1)} s ${skew > 0 ? "ahead of" : "behind"} the hub's, more than [internal_grpc.auth] clock_skew_seconds (${toleranceMs / 1000}): it refuses the hub's tokens`,
      "synchronise both clocks (NTP, e.g. timedatectl set-ntp true)",
    );
  }
  if (h.status === "degraded")
    return warn(name, `degraded: ${h.last_error ?? "its event stream fails"}${latency}`, NODE_FIX);
  return ok(name, `${h.status}${latency}${clock}${h.isolation ? `, isolation ${h.isolation}` : ""}`);
}

/** Each registered node, probed now: reachable, and its clock within the token tolerance of the hub's. */
export async function checkNodes(client: HubClient | undefined, toleranceMs: number): Promise<CheckResult[]> {
  if (!client) return [skip("nodes", "not logged in to this hub (agenthub login as root checks every node)")];
  let nodes: AgentNode[];
  try {
    nodes = (await client.get<{ nodes: AgentNode[] }>("/api/admin/agent-nodes")).nodes;
  } catch (err) {
    if (err instanceof HubError && err.status === 403)
      return [skip("nodes", "listing nodes needs root's login")];
    if (err instanceof HubError && err.status === 401) {
      return [warn("nodes", `the stored session was refused (${err.code})`, "agenthub login")];
    }
    throw err;
  }
  const out: CheckResult[] = [];
  for (const n of nodes) {
    const h = await client.get<NodeHealth>(`/api/admin/agent-nodes/${encodeURIComponent(n.id)}/health`);
    out.push(nodeResult(h, toleranceMs));
  }
  return out;
}
