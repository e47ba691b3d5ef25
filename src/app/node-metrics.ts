import { Gauge, type Registry } from "prom-client";
import { AGENT_STATUSES } from "../contracts/agent-states.js";
import type { NodeRuntime } from "../node/node-runtime.js";

/** The states an agent on a node can be in (the hub's `created` exists only in its database). */
const NODE_AGENT_STATES = AGENT_STATUSES.filter((s) => s !== "created");

/**
 * A node runtime's gauges, read from it at scrape: its agents by state and its event log (bytes on
 * disk, events held until the hub acknowledges them). A node daemon exposes them for itself; the hub
 * for its built-in `main`. `runtime` is undefined while the daemon is not running (no samples then).
 */
export function registerNodeRuntimeMetrics(
  registry: Registry,
  nodeId: string,
  runtime: () => NodeRuntime | undefined,
): void {
  new Gauge({
    name: "agenthub_node_agents",
    help: "Agents on the node by state.",
    labelNames: ["node", "state"],
    registers: [registry],
    collect() {
      this.reset();
      const r = runtime();
      if (!r) return;
      const counts = new Map<string, number>(NODE_AGENT_STATES.map((s) => [s, 0]));
      for (const a of r.supervisor.listAgents()) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ node: nodeId, state }, n);
    },
  });
  new Gauge({
    name: "agenthub_node_event_log_bytes",
    help: "Size of the node's event log file (events kept until the hub has stored them).",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      const r = runtime();
      if (r) this.set({ node: nodeId }, r.events.stats().fileBytes);
    },
  });
  new Gauge({
    name: "agenthub_node_event_log_retained_events",
    help: "Events the node holds that the hub has not acknowledged yet.",
    labelNames: ["node"],
    registers: [registry],
    collect() {
      this.reset();
      const r = runtime();
      if (r) this.set({ node: nodeId }, r.events.stats().retainedEvents);
    },
  });
}
