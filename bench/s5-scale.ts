import {
  AgentFleet,
  type HeapSample,
  hubHeapAfterGc,
  type NodeProc,
  registerNode,
  startHub,
  startNode,
} from "./cluster.js";
import type { BenchContext } from "./context.js";
import { row, type ScenarioResult } from "./report.js";
import { fmt, now, rate, slope, summarize } from "./stats.js";

const LEVEL_MS = 4_000;
const AGENT_LEVELS = [1, 10, 50] as const;
const NODE_LEVELS = [1, 3, 6] as const;
const AGENTS_PER_NODE = 2;
/** The 60 s steady load (S5 still ends within two minutes here); BENCH_S5_STEADY_S overrides. */
const STEADY_S = Number(process.env.BENCH_S5_STEADY_S ?? 60);
/** Load on the steady set before the first heap measurement (caches, JIT, buffers reach their size). */
const WARMUP_S = Number(process.env.BENCH_S5_WARMUP_S ?? 10);
/** Leak check: the live heap may grow by at most this much over the steady load... */
const LEAK_MIN_MIB = 8;
/** ...or this fraction of the first measurement, whichever is larger. */
const LEAK_MIN_FRACTION = 0.1;
/** Pause after the last turn_ended before forcing GC, so the hub finishes its post-turn work. */
const SETTLE_MS = 1_000;

const MiB = 1024 * 1024;

/** Every agent in `agents` runs turns back to back for `ms`; returns all dispatch latencies. */
async function load(fleet: AgentFleet, agents: readonly string[], ms: number, onTick?: () => void) {
  const end = now() + ms;
  const latencies: number[] = [];
  const t0 = now();
  const timer = onTick ? setInterval(onTick, 1_000) : undefined;
  await Promise.all(
    agents.map(async (id) => {
      while (now() < end) latencies.push(await fleet.dispatch(id));
    }),
  );
  if (timer) clearInterval(timer);
  return { latencies, rate: rate(latencies.length, now() - t0) };
}

/**
 * S5: hub RSS and dispatch latency (REST input -> turn_ended on SSE, as in S2) with 1, 10, 50
 * concurrently busy scripted agents on one node daemon, then with 1, 3, 6 node daemons
 * (${AGENTS_PER_NODE} agents each), against a linear reference line; then a steady load with a leak
 * check: the hub's live heap after forced GC at the start and at the end must not grow beyond a limit
 * (RSS is sampled every second as information).
 */
export async function s5Scale(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s5", { heapProbe: true });
  const rss = () => hub.proc.rssMiB();
  const rssIdle = rss();
  const node1 = await startNode(hub, "node-01");
  await registerNode(hub, node1);
  const fleet = new AgentFleet(hub);
  await fleet.add(node1, Math.max(...AGENT_LEVELS), 4);
  ctx.log(
    `hub pid ${hub.proc.pid}: ${fleet.ids.length} agents on node-01 in ${fmt((now() - t0) / 1000)} s; hub RSS ${fmt(rss())} MiB`,
  );
  for (let i = 0; i < 3; i++) await Promise.all(fleet.ids.map((id) => fleet.dispatch(id)));

  const rows = [];
  const notes: string[] = [];
  let base = Number.NaN;
  for (const k of AGENT_LEVELS) {
    const r = await load(fleet, fleet.ids.slice(0, k), LEVEL_MS);
    const s = summarize(r.latencies);
    if (k === 1) base = s.p99;
    const ref = base * k;
    const mem = rss();
    ctx.log(
      `${k} agents: ${s.n} turns, ${fmt(r.rate)} turns/s, p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms (linear ref ${fmt(ref)}), hub RSS ${fmt(mem)} MiB`,
    );
    rows.push(
      row(`${k} agent(s) on 1 node: dispatch p99`, "ms", s.p99, ref, {
        text: "≤ linear (p99₁ × k)",
        met: s.p99 <= ref,
      }),
      row(`${k} agent(s) on 1 node: dispatch p50`, "ms", s.p50),
      row(`${k} agent(s) on 1 node: turns/s`, "/s", r.rate),
      row(`${k} agent(s) on 1 node: hub RSS`, "MiB", mem),
    );
  }
  await fleet.stopAll();

  const nodes: NodeProc[] = [node1];
  for (let i = 2; i <= Math.max(...NODE_LEVELS); i++) {
    const n = await startNode(hub, `node-0${i}`);
    await registerNode(hub, n);
    nodes.push(n);
  }
  const perNode: string[][] = [];
  const fleetN = new AgentFleet(hub);
  for (const n of nodes) {
    const before = fleetN.ids.length;
    await fleetN.add(n, AGENTS_PER_NODE, AGENTS_PER_NODE);
    perNode.push(fleetN.ids.slice(before));
  }
  for (let i = 0; i < 3; i++) await Promise.all(fleetN.ids.map((id) => fleetN.dispatch(id)));
  ctx.log(`${nodes.length} node daemons with ${AGENTS_PER_NODE} agents each; hub RSS ${fmt(rss())} MiB`);
  for (const n of NODE_LEVELS) {
    const agents = perNode.slice(0, n).flat();
    const r = await load(fleetN, agents, LEVEL_MS);
    const s = summarize(r.latencies);
    if (n === 1) base = s.p99;
    const ref = base * n;
    const mem = rss();
    ctx.log(
      `${n} node(s), ${agents.length} agents: ${fmt(r.rate)} turns/s, p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms (linear ref ${fmt(ref)}), hub RSS ${fmt(mem)} MiB`,
    );
    rows.push(
      row(`${n} node(s) × ${AGENTS_PER_NODE} agents: dispatch p99`, "ms", s.p99, ref, {
        text: "≤ linear (p99₁ × n)",
        met: s.p99 <= ref,
      }),
      row(`${n} node(s) × ${AGENTS_PER_NODE} agents: turns/s`, "/s", r.rate),
      row(`${n} node(s) × ${AGENTS_PER_NODE} agents: hub RSS`, "MiB", mem),
    );
  }

  // Steady load on all nodes' agents; RSS sampled every second (information). Leak check: live V8 heap
  // after forced full GCs at two quiescent points with the same agents, nodes and SSE streams open —
  // after a warm-up on the steady set, and at the end of the steady load.
  const xs: number[] = [];
  const ys: number[] = [];
  const ts = now();
  const sampleRss = () => {
    xs.push((now() - ts) / 60_000);
    ys.push(rss());
  };
  const quiescentHeap = async (): Promise<HeapSample> => {
    if (fleetN.pending !== 0) throw new Error(`${fleetN.pending} turns still pending`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return hubHeapAfterGc(hub);
  };
  const warm = await load(fleetN, fleetN.ids, WARMUP_S * 1000, sampleRss);
  const heap0 = await quiescentHeap();
  const steady = await load(fleetN, fleetN.ids, STEADY_S * 1000, sampleRss);
  const heap1 = await quiescentHeap();
  const slopeMiBMin = slope(xs, ys);
  const ss = summarize(steady.latencies);
  const growth = heap1.heapUsed - heap0.heapUsed;
  const limit = Math.max(LEAK_MIN_MIB * MiB, LEAK_MIN_FRACTION * heap0.heapUsed);
  const leakOk = growth <= limit;
  const bytesPerTurn = growth / Math.max(1, ss.n);
  ctx.log(
    `steady ${STEADY_S} s (after ${WARMUP_S} s warm-up, ${warm.latencies.length} turns): ${ss.n} turns, ${fmt(steady.rate)} turns/s, p99 ${fmt(ss.p99)} ms, hub RSS ${fmt(ys[0] ?? Number.NaN)} -> ${fmt(ys.at(-1) ?? Number.NaN)} MiB, slope ${fmt(slopeMiBMin)} MiB/min`,
  );
  ctx.log(
    `leak check: heap after GC ${fmt(heap0.heapUsed / MiB)} -> ${fmt(heap1.heapUsed / MiB)} MiB (${growth >= 0 ? "+" : ""}${fmt(growth / MiB)} MiB, ${fmt(bytesPerTurn)} B/turn; limit ${fmt(limit / MiB)} MiB): ${leakOk ? "PASS" : "FAIL"}; external ${fmt(heap0.external / MiB)} -> ${fmt(heap1.external / MiB)} MiB`,
  );
  rows.push(
    row(
      `steady load ${STEADY_S} s (${fleetN.ids.length} agents, ${nodes.length} nodes): hub heap after forced GC, end (baseline: start)`,
      "MiB",
      heap1.heapUsed / MiB,
      heap0.heapUsed / MiB,
      {
        text: `leak check: growth ≤ max(${LEAK_MIN_MIB} MiB, ${LEAK_MIN_FRACTION * 100}% of start)`,
        met: leakOk,
        check: true,
      },
    ),
    row(`steady load: heap growth`, "MiB", growth / MiB),
    row(`steady load: heap growth per turn`, "B", bytesPerTurn),
    row(
      `steady load: hub external memory after GC, end (baseline: start)`,
      "MiB",
      heap1.external / MiB,
      heap0.external / MiB,
    ),
    row(`steady load: turns/s`, "/s", steady.rate),
    row(`steady load: dispatch p99`, "ms", ss.p99),
    row(`steady load: RSS slope (information)`, "MiB/min", slopeMiBMin),
    row(`steady load: hub RSS first/last sample`, "MiB", ys.at(-1) ?? Number.NaN, ys[0]),
  );
  await fleetN.stopAll();
  notes.push(
    `Hub RSS (VmRSS of the \`agenthub serve\` process) idle before any node: ${fmt(rssIdle)} MiB.`,
    "Dispatch latency as in S2 (REST input -> turn_ended received over SSE). Each busy agent runs turns back to back (closed loop), so k agents put k turns in flight.",
    "For the p99 rows, the baseline column is the linear reference line: the 1-agent (1-node) p99 × k (× n); met = at or below it.",
    `For the node rows every node daemon runs ${AGENTS_PER_NODE} agents, so load grows with the node count.`,
    `Steady load: ${WARMUP_S} s warm-up on all ${AGENTS_PER_NODE * Math.max(...NODE_LEVELS)} agents, then ${STEADY_S} s (BENCH_S5_WARMUP_S / BENCH_S5_STEADY_S override).`,
    `Leak check (pass/fail; FAIL makes \`npm run bench\` exit non-zero): the hub runs under \`node --expose-gc --import dist/bench/heap-probe.js\` (a bench-only preload, no production code). At the end of the warm-up and at the end of the steady load the benchmark waits until no turn is in flight plus ${SETTLE_MS / 1000} s, then sends SIGUSR2: the preload runs 4 full GCs and reports \`process.memoryUsage()\`. Both points have the same agents, nodes and open SSE streams, so the live V8 heap should be equal up to noise; growth above max(${LEAK_MIN_MIB} MiB, ${LEAK_MIN_FRACTION * 100}% of the first figure) fails. Over these ${fmt(ss.n, 0)} turns, ${LEAK_MIN_MIB} MiB is ${fmt((LEAK_MIN_MIB * MiB) / Math.max(1, ss.n), 0)} bytes retained per turn. It covers the JS heap only (SQLite's and other native memory show in the external/RSS rows). \`BENCH_HEAP_PROBE_LEAK_KIB_PER_S=500\` makes the preload retain 500 KiB/s on purpose, to see the check fail.`,
    "RSS rows are information only: RSS includes the V8 heap's GC sawtooth, so over a minute the sign and size of its slope depend on where collections fall (40 s runs on this machine gave from -35 to +12 MiB/min). The last row's baseline column is the first RSS sample (start of the warm-up).",
  );
  return {
    id: "S5",
    title: "scale (agents per node, node count, steady-load memory)",
    rows,
    notes,
    elapsedS: (now() - t0) / 1000,
  };
}
