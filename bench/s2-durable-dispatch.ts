import { join } from "node:path";
import { echoClient, rawDb, startBaseline } from "./baselines.js";
import { AgentFleet, registerNode, startHub, startNode } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { row, type ScenarioResult } from "./report.js";
import { closedLoop, fmt, median, now, rate, summarize } from "./stats.js";
import { StepTeam } from "./step-runner.js";

const SEQ_MS = 8_000;
const PIPE_AGENTS = 16;
const PIPE_TURNS_PER_AGENT = 30;
const PIPE_ROUNDS = 3;
const FLOOR_MS = 4_000;
const STEP_SEQ_MS = 6_000;
const STEP_MEMBERS = 16;
const STEP_PER_MEMBER = 30;

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

  // Steps: a run through POST /api/teams/:id/runs on a started team, executed by the run executor.
  const one = new StepTeam(hub, "s2-one-step", 1, 1);
  await one.start(node);
  for (let i = 0; i < 20; i++) await one.run();
  const stepSeq: number[] = [];
  const stepSeqStart = now();
  while (now() - stepSeqStart < STEP_SEQ_MS) stepSeq.push(await one.run());
  const stepSeqRate = rate(stepSeq.length, now() - stepSeqStart);
  const ss = summarize(stepSeq);
  ctx.log(`steps sequential: ${ss.n} one-step runs, p50 ${fmt(ss.p50)} ms p99 ${fmt(ss.p99)} ms`);
  await one.stop();
  const wide = new StepTeam(hub, "s2-wide", STEP_MEMBERS, STEP_PER_MEMBER);
  await wide.start(node);
  await wide.run();
  const stepRates: number[] = [];
  for (let r = 0; r < PIPE_ROUNDS; r++) {
    const ms = await wide.run();
    stepRates.push(rate(STEP_MEMBERS * STEP_PER_MEMBER, ms));
    ctx.log(
      `steps pipelined round ${r + 1}: ${STEP_MEMBERS * STEP_PER_MEMBER} steps, ${fmt(stepRates.at(-1)!)} steps/s`,
    );
  }
  const stepRate = median(stepRates);
  await wide.stop();

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
    title: "durable dispatch (a run's step -> node -> scripted agent -> result stored in the hub)",
    rows: [
      row("step: one-step run p50", "ms", ss.p50, f.p50, {
        text: "p50 ≤ 3x floor",
        met: ss.p50 <= 3 * f.p50,
      }),
      row("step: one-step run p99", "ms", ss.p99, f.p99),
      row("step: sequential steps/s", "/s", stepSeqRate, floorSeq.rate),
      row(
        `step: pipelined steps/s (${STEP_MEMBERS} members × ${STEP_PER_MEMBER} steps in one run)`,
        "/s",
        stepRate,
        floorPipe.rate,
        { text: "≥ 1,000 steps/s", met: stepRate >= 1000 },
      ),
      row("turn: sequential p50", "ms", s.p50, f.p50),
      row("turn: sequential p99", "ms", s.p99, f.p99),
      row("turn: sequential turns/s", "/s", seqRate, floorSeq.rate),
      row(
        `turn: pipelined turns/s (${PIPE_AGENTS} agents × ${PIPE_TURNS_PER_AGENT} queued)`,
        "/s",
        pipeRate,
        floorPipe.rate,
      ),
      row("turn: pipelined turn latency p50", "ms", summarize(pipeLat).p50),
      row("turn: pipelined turn latency p99", "ms", summarize(pipeLat).p99),
    ],
    notes: [
      'Project: benchmark client -> hub REST `POST /api/agents/:id/input {text: "reply: x", turn_id}` -> NodeService.SendInput over TLS -> node daemon -> ACP `session/prompt` to an already-running scripted agent -> node event log (fdatasync) -> WatchEvents stream -> hub EventIngestor (SQLite WAL, synchronous=FULL) -> AgentEventBus -> SSE `GET /api/agents/:id/events`; end = the turn\'s `turn_ended` event received on SSE.',
      "Step rows: `POST /api/teams/:id/runs` on a started team (scripted members on the node daemon) -> run + steps stored -> run executor -> step turn dispatched (NodeService.SendInput) -> turn_ended stored -> step completed and stored -> SSE. One-step runs back to back for latency; one run of 16 members × 30 independent steps (queued per member) for the pipelined rate. Turn rows: the bare agent-input path below, without run/step bookkeeping.",
      "Floor: one bare grpc-js unary round trip to the echo baseline process (same TLS) + two better-sqlite3 autocommit inserts (WAL, synchronous=FULL, same filesystem), sequential for latency; 64 concurrent loops for the pipelined floor (SQLite commits serialize).",
      `Sequential phase ${SEQ_MS / 1000} s on one agent; pipelined: ${PIPE_ROUNDS} rounds of ${PIPE_AGENTS} agents × ${PIPE_TURNS_PER_AGENT} turns posted at once, rate = turns ÷ time until the last turn_ended (median of rounds).`,
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
