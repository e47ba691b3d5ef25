import { AgentFleet, type NodeProc, registerNode, startHub, startNode } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { row, type ScenarioResult } from "./report.js";
import { fmt, now, rate, slope, summarize } from "./stats.js";

const LEVEL_MS = 4_000;
const AGENT_LEVELS = [1, 10, 50] as const;
const NODE_LEVELS = [1, 3, 6] as const;
const AGENTS_PER_NODE = 2;
/** The 60 s steady load (S5 still ends within two minutes here); BENCH_S5_STEADY_S overrides. */
const STEADY_S = Number(process.env.BENCH_S5_STEADY_S ?? 60);

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
 * (${AGENTS_PER_NODE} agents each), against a linear reference line; then a steady load sampling the
 * hub's RSS every second and reporting its slope.
 */
export async function s5Scale(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s5");
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

  // Steady load on all nodes' agents; RSS sampled every second.
  const xs: number[] = [];
  const ys: number[] = [];
  const ts = now();
  const steady = await load(fleetN, fleetN.ids, STEADY_S * 1000, () => {
    xs.push((now() - ts) / 60_000);
    ys.push(rss());
  });
  const slopeMiBMin = slope(xs, ys);
  const ss = summarize(steady.latencies);
  ctx.log(
    `steady ${STEADY_S} s: ${ss.n} turns, ${fmt(steady.rate)} turns/s, p99 ${fmt(ss.p99)} ms, hub RSS ${fmt(ys[0] ?? Number.NaN)} -> ${fmt(ys.at(-1) ?? Number.NaN)} MiB, slope ${fmt(slopeMiBMin)} MiB/min`,
  );
  rows.push(
    row(
      `steady load ${STEADY_S} s (${fleetN.ids.length} agents, ${nodes.length} nodes): RSS slope`,
      "MiB/min",
      slopeMiBMin,
      undefined,
      {
        text: "no unbounded growth (slope < 1 MiB/min)",
        met: slopeMiBMin < 1,
      },
    ),
    row(`steady load: turns/s`, "/s", steady.rate),
    row(`steady load: dispatch p99`, "ms", ss.p99),
    row(`steady load: hub RSS first/last sample`, "MiB", ys.at(-1) ?? Number.NaN, ys[0]),
  );
  await fleetN.stopAll();
  notes.push(
    `Hub RSS (VmRSS of the \`agenthub serve\` process) idle before any node: ${fmt(rssIdle)} MiB.`,
    "Dispatch latency as in S2 (REST input -> turn_ended received over SSE). Each busy agent runs turns back to back (closed loop), so k agents put k turns in flight.",
    "For the p99 rows, the baseline column is the linear reference line: the 1-agent (1-node) p99 × k (× n); met = at or below it.",
    `For the node rows every node daemon runs ${AGENTS_PER_NODE} agents, so load grows with the node count.`,
    `Steady load: ${STEADY_S} s (BENCH_S5_STEADY_S overrides). Slope = least-squares fit over 1 s RSS samples; the last row's baseline column is the first sample. RSS includes the V8 heap's GC sawtooth, so over a minute the sign and size of the slope still depend on where collections fall (40 s runs on this machine gave from -35 to +12 MiB/min); treat it as a smoke test, not proof either way.`,
  );
  return {
    id: "S5",
    title: "scale (agents per node, node count, steady-load memory)",
    rows,
    notes,
    elapsedS: (now() - t0) / 1000,
  };
}
