import { startBaseline } from "./baselines.js";
import { AgentFleet, registerNode, startHub, startNode } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { openSse } from "./http-client.js";
import { row, type ScenarioResult } from "./report.js";
import { fmt, median, now, rate, summarize } from "./stats.js";

const EVENTS = 20_000;
const WARMUP_EVENTS = 2_000;
const REPS = 3;

interface Rep {
  count: number;
  rate: number;
  latencies: number[];
}

/** Collects one burst: latency of every event = receipt wall clock − its `at` timestamp (set on the node). */
class Burst {
  count = 0;
  first = 0;
  last = 0;
  readonly latencies: number[] = [];
  onEvent(kind: string, at: string): void {
    if (kind !== "session_update") return;
    const t = now();
    if (this.count === 0) this.first = t;
    this.last = t;
    this.count++;
    this.latencies.push(Date.now() - Date.parse(at));
  }
  result(): Rep {
    return {
      count: this.count,
      rate: rate(this.count - 1, this.last - this.first),
      latencies: this.latencies,
    };
  }
}

/**
 * S4: `emit 20000` on a scripted agent on a remote node daemon: agent_message_chunk notifications ->
 * node event log -> WatchEvents over TLS -> hub ingest (SQLite) -> SSE client. Baseline: the same
 * number of events over a bare grpc-js server stream + a bare http SSE writer in one process.
 */
export async function s4EventStream(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s4");
  const node = await startNode(hub, "node-01");
  await registerNode(hub, node);
  const fleet = new AgentFleet(hub);
  let burst = new Burst();
  fleet.onEvent = (_id, e) => burst.onEvent(e.kind, e.at);
  await fleet.add(node, 1);
  const agent = fleet.ids[0]!;
  ctx.log(`hub pid ${hub.proc.pid}, node pid ${node.proc.pid}, agent ${agent}`);

  await fleet.dispatch(agent, `emit ${WARMUP_EVENTS}`);
  const project: Rep[] = [];
  for (let r = 0; r < REPS; r++) {
    burst = new Burst();
    await fleet.dispatch(agent, `emit ${EVENTS}`);
    const res = burst.result();
    if (res.count !== EVENTS) throw new Error(`expected ${EVENTS} chunk events, got ${res.count}`);
    project.push(res);
    const s = summarize(res.latencies);
    ctx.log(
      `project rep ${r + 1}: ${fmt(res.rate)} events/s, latency p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms`,
    );
  }
  await fleet.stopAll();

  const baseline = await startBaseline("stream", node.certDir);
  const runBaseline = async (n: number): Promise<Rep> => {
    const b = new Burst();
    await new Promise<void>((resolve, reject) => {
      const conn = openSse(`http://127.0.0.1:${baseline.port}/events?n=${n}`, (e) => {
        const ev = JSON.parse(e.data) as { kind: string; at: string };
        if (ev.kind === "turn_ended") {
          conn.close();
          resolve();
        } else b.onEvent(ev.kind, ev.at);
      });
      conn.ready.catch(reject);
    });
    return b.result();
  };
  await runBaseline(WARMUP_EVENTS);
  const base: Rep[] = [];
  for (let r = 0; r < REPS; r++) {
    const res = await runBaseline(EVENTS);
    base.push(res);
    const s = summarize(res.latencies);
    ctx.log(
      `baseline rep ${r + 1}: ${fmt(res.rate)} events/s, latency p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms`,
    );
  }

  const pRate = median(project.map((p) => p.rate));
  const bRate = median(base.map((p) => p.rate));
  const pl = summarize(project.flatMap((p) => p.latencies));
  const bl = summarize(base.flatMap((p) => p.latencies));
  return {
    id: "S4",
    title: "event stream (remote node agent events -> hub SSE client)",
    rows: [
      row("events/s at the SSE client", "/s", pRate, bRate, {
        text: "≥ 20,000 events/s",
        met: pRate >= 20_000,
      }),
      row("end-to-end latency p50", "ms", pl.p50, bl.p50),
      row("end-to-end latency p99", "ms", pl.p99, bl.p99, { text: "p99 < 50 ms", met: pl.p99 < 50 }),
      row("end-to-end latency max", "ms", pl.max, bl.max),
    ],
    notes: [
      `Project: scripted agent \`emit ${EVENTS}\` (agent_message_chunk notifications over ACP) on a node daemon process -> node event log (JSONL, fdatasync per batch) -> NodeService.WatchEvents over TLS -> hub EventIngestor (one SQLite transaction per batch) -> AgentEventBus -> SSE \`GET /api/agents/:id/events\` read by the benchmark process.`,
      "Latency = SSE receipt time (Date.now()) − the event's `at` (stamped by the node when it appended the event; same machine clock, 1 ms resolution). events/s = chunk events ÷ time from the first to the last chunk at the client.",
      `Baseline: one process with a bare grpc-js server-streaming service (TLS, JSON event bytes, write() with drain backpressure), a grpc-js client consuming it, and a bare node:http SSE writer forwarding each event with the project's frame format (one res.write per event, as the hub does); same SSE reader. No storage, no agent.`,
      `Warm-up ${WARMUP_EVENTS} events, then ${REPS} bursts of ${EVENTS}; events/s is the median burst, latencies pool all bursts.`,
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
