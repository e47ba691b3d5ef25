import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { MetricsScrape } from "../api/metrics-routes.js";
import { VERSION } from "../util/version.js";

/**
 * A daemon's own metrics registry (never prom-client's global one, so several daemons in one process —
 * tests — each keep theirs): prom-client's default process and Node.js metrics, plus
 * `agenthub_build_info{version, daemon}` = 1.
 */
export function newMetricsRegistry(daemon: "hub" | "node"): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "agenthub_build_info",
    help: "Always 1; the labels name the agenthub version and which daemon this is.",
    labelNames: ["version", "daemon"],
    registers: [registry],
  }).set({ version: VERSION, daemon }, 1);
  return registry;
}

/** The registry's exposition text (Prometheus text format 0.0.4). */
export async function scrapeRegistry(registry: Registry): Promise<MetricsScrape> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
