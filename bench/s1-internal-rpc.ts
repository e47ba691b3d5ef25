import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RemoteNodeClient } from "../src/grpc/remote-node-client.js";
import { mintActorToken, nodeAudience } from "../src/grpc/token-auth.js";
import { echoClient, startBaseline } from "./baselines.js";
import { hubSigningKey, startHub, startNode } from "./cluster.js";
import { type BenchContext, HUB_TOKEN_AUDIENCE } from "./context.js";
import { row, type ScenarioResult } from "./report.js";
import { closedLoop, fmt, now, summarize } from "./stats.js";

const WARMUP_MS = 1_500;
const SLICE_MS = 2_500;
const ROUNDS = 2;

/**
 * S1: NodeService.GetInfo from the hub's RemoteNodeClient (TLS, hub token, protobuf-es adapter) to a
 * real node daemon process, against a bare grpc-js echo service in its own process with the same TLS
 * certificate and keepalive options. Project and baseline slices alternate to cancel drift.
 */
export async function s1InternalRpc(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s1");
  const node = await startNode(hub, "node-01");
  const caPath = join(hub.certDir, "ca.crt");
  const token = await mintActorToken(hubSigningKey(hub), {
    issuer: HUB_TOKEN_AUDIENCE.issuer,
    audience: nodeAudience(HUB_TOKEN_AUDIENCE.audience, node.id),
    ttlSeconds: 600,
    claims: { role: "hub", permissions: [] },
  });
  // As InternalGrpc.connectNode builds it: one long-lived channel, the hub token asked per call.
  const project = new RemoteNodeClient(
    `127.0.0.1:${node.port}`,
    { mode: "tls", caCert: readFileSync(caPath) },
    () => token, // connectNode answers with its cached hub token synchronously
  );
  const baseline = await startBaseline("echo", node.certDir);
  const echo = echoClient(baseline.port, caPath);
  ctx.log(
    `node daemon pid ${node.proc.pid} port ${node.port}; echo baseline pid ${baseline.proc.pid} port ${baseline.port}`,
  );

  const projectOp = () => project.info();
  const baselineOp = () => echo.call();
  await closedLoop(16, WARMUP_MS, projectOp);
  await closedLoop(16, WARMUP_MS, baselineOp);

  const rows = [];
  for (const c of [1, 64]) {
    const p: number[] = [];
    const b: number[] = [];
    let pCount = 0;
    let bCount = 0;
    let pMs = 0;
    let bMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const pr = await closedLoop(c, SLICE_MS, projectOp);
      p.push(...pr.latencies);
      pCount += pr.latencies.length;
      pMs += pr.elapsedMs;
      const br = await closedLoop(c, SLICE_MS, baselineOp);
      b.push(...br.latencies);
      bCount += br.latencies.length;
      bMs += br.elapsedMs;
    }
    const ps = summarize(p);
    const bs = summarize(b);
    const pRate = (pCount * 1000) / pMs;
    const bRate = (bCount * 1000) / bMs;
    ctx.log(
      `c=${c}: GetInfo p50 ${fmt(ps.p50, 3)} ms p99 ${fmt(ps.p99, 3)} ms ${fmt(pRate)}/s | echo p50 ${fmt(bs.p50, 3)} ms p99 ${fmt(bs.p99, 3)} ms ${fmt(bRate)}/s`,
    );
    const within = ps.p50 <= bs.p50 * 1.3;
    rows.push(
      row(`c=${c} p50`, "ms", ps.p50, bs.p50, { text: "p50 ≤ 1.3x echo", met: within }),
      row(`c=${c} p99`, "ms", ps.p99, bs.p99),
      row(`c=${c} calls/s`, "/s", pRate, bRate),
    );
  }
  echo.close();
  project.close();
  return {
    id: "S1",
    title: "internal RPC (NodeService.GetInfo hub -> node over TLS)",
    rows,
    notes: [
      "Project: `RemoteNodeClient.info()` (the hub's client: `makeClient`, TLS, per-call `authorization: Bearer` hub JWT verified by the node, protobuf-es adapter) in the benchmark process -> `agenthub --node-mode` process.",
      "Baseline: bare `@grpc/grpc-js` Client -> bare grpc-js Server with a hand-written service definition (Buffer passthrough, 160-byte reply ≈ GetInfo), separate process, the node's TLS certificate, the project's keepalive channel options; no auth, no protobuf.",
      `Closed loop; warm-up ${WARMUP_MS / 1000} s each, then ${ROUNDS} alternating slices of ${SLICE_MS / 1000} s per side and concurrency.`,
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
