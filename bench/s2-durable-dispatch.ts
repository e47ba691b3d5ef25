import { join } from "node:path";
import { echoClient, rawDb, startBaseline } from "./baselines.js";
import { AgentFleet, registerNode, startHub, startNode } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { row, type ScenarioResult } from "./report.js";
import { closedLoop, fmt, median, now, rate, summarize } from "./stats.js";

const SEQ_MS = 8_000;
const PIPE_AGENTS = 16;
const PIPE_TURNS_PER_AGENT = 30;
const PIPE_ROUNDS = 3;
const FLOOR_MS = 4_000;

/** Posts `perAgent` turns to every agent at once (they queue on the node); resolves with turns/s. */
async function pipelined(
  fleet: AgentFleet,
  agents: readonly string[],
  perAgent: number,
): Promise<{ rate: number; latencies: number[] }> {
  const t0 = now();
  const all: Promise<number>[] = [];
  for (let i = 0; i < perAgent; i++) for (const id of agents) all.push(fleet.dispatch(id));
  const latencies = await Promise.all(all);
  return { rate: rate(all.length, now() - t0), latencies };
}

/**
 * S2: a turn (`reply: x`) dispatched over REST `POST /api/agents/:id/input` to an already-running
 * scripted agent on a node daemon, until its `turn_ended` event — stored in the hub's SQLite —
 * arrives on the agent's SSE stream. Floor: one raw grpc-js round trip + two fdatasync'd SQLite commits.
 */
export async function s2DurableDispatch(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s2");
  const node = await startNode(hub, "node-01");
  await registerNode(hub, node);
  const fleet = new AgentFleet(hub);
  await fleet.add(node, PIPE_AGENTS);
  ctx.log(`hub pid ${hub.proc.pid}, node pid ${node.proc.pid}, ${fleet.ids.length} scripted agents running`);
  const first = fleet.ids[0]!;

  // Warm-up: sequential turns on one agent, then a small pipelined burst on all.
  for (let i = 0; i < 30; i++) await fleet.dispatch(first);
  await pipelined(fleet, fleet.ids, 5);

  const seq: number[] = [];
  const seqStart = now();
  while (now() - seqStart < SEQ_MS) seq.push(await fleet.dispatch(first));
  const seqRate = rate(seq.length, now() - seqStart);
  const s = summarize(seq);
  ctx.log(`sequential: ${s.n} turns, p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms, ${fmt(seqRate)} turns/s`);

  const pipeRates: number[] = [];
  const pipeLat: number[] = [];
  for (let r = 0; r < PIPE_ROUNDS; r++) {
    const p = await pipelined(fleet, fleet.ids, PIPE_TURNS_PER_AGENT);
    pipeRates.push(p.rate);
    pipeLat.push(...p.latencies);
    ctx.log(`pipelined round ${r + 1}: ${PIPE_AGENTS * PIPE_TURNS_PER_AGENT} turns, ${fmt(p.rate)} turns/s`);
  }
  const pipeRate = median(pipeRates);
  await fleet.stopAll();

  // The floor, measured on this machine and disk in the same run.
  const baseline = await startBaseline("echo", node.certDir);
  const echo = echoClient(baseline.port, join(hub.certDir, "ca.crt"));
  const raw = rawDb();
  let i = 0;
  const floorOp = async () => {
    await echo.call();
    raw.insertOne(++i);
    raw.insertOne(++i);
  };
  await closedLoop(1, 1_000, floorOp);
  const floorSeq = await closedLoop(1, FLOOR_MS, floorOp);
  const floorPipe = await closedLoop(64, FLOOR_MS, floorOp);
  const f = summarize(floorSeq.latencies);
  ctx.log(`floor: p50 ${fmt(f.p50, 3)} ms p99 ${fmt(f.p99, 3)} ms; ${fmt(floorPipe.rate)}/s at c=64`);
  echo.close();
  raw.close();

  return {
    id: "S2",
    title: "durable dispatch (REST input -> node -> scripted agent -> turn_ended stored in the hub)",
    rows: [
      row("sequential p50", "ms", s.p50, f.p50, { text: "p50 ≤ 3x floor", met: s.p50 <= 3 * f.p50 }),
      row("sequential p99", "ms", s.p99, f.p99),
      row("sequential turns/s", "/s", seqRate, floorSeq.rate),
      row(
        `pipelined turns/s (${PIPE_AGENTS} agents × ${PIPE_TURNS_PER_AGENT} queued)`,
        "/s",
        pipeRate,
        floorPipe.rate,
        {
          text: "≥ 1,000 steps/s",
          met: pipeRate >= 1000,
        },
      ),
      row("pipelined turn latency p50", "ms", summarize(pipeLat).p50),
      row("pipelined turn latency p99", "ms", summarize(pipeLat).p99),
    ],
    notes: [
      'Project: benchmark client -> hub REST `POST /api/agents/:id/input {text: "reply: x", turn_id}` -> NodeService.SendInput over TLS -> node daemon -> ACP `session/prompt` to an already-running scripted agent -> node event log (fdatasync) -> WatchEvents stream -> hub EventIngestor (SQLite WAL, synchronous=FULL) -> AgentEventBus -> SSE `GET /api/agents/:id/events`; end = the turn\'s `turn_ended` event received on SSE.',
      'A "step" here is one agent turn (the run executor that turns steps into turns is not wired yet); the same REST + gRPC + store path a step takes.',
      "Floor: one bare grpc-js unary round trip to the echo baseline process (same TLS) + two better-sqlite3 autocommit inserts (WAL, synchronous=FULL, same filesystem), sequential for latency; 64 concurrent loops for the pipelined floor (SQLite commits serialize).",
      `Sequential phase ${SEQ_MS / 1000} s on one agent; pipelined: ${PIPE_ROUNDS} rounds of ${PIPE_AGENTS} agents × ${PIPE_TURNS_PER_AGENT} turns posted at once, rate = turns ÷ time until the last turn_ended (median of rounds).`,
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
