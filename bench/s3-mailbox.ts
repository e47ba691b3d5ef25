import { type AuthorityClient, connectAuthority } from "../src/cli/actor-connection.js";
import { Route } from "../src/gen/agenthub/internal/v1/authority_pb.js";
import { rawDb } from "./baselines.js";
import { type Hub, startHub } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { apiOk } from "./http-client.js";
import { row, type ScenarioResult } from "./report.js";
import { closedLoop, fmt, now, summarize } from "./stats.js";

const WARMUP_MS = 1_500;
const PHASE_MS = 5_000;

function spec(workers: number) {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      { member_id: "lead", role: "leader", description: "leads", skills: [] },
      ...Array.from({ length: workers }, (_, i) => ({
        member_id: `w${i + 1}`,
        role: "worker",
        description: "works",
        skills: [],
      })),
    ],
    entrypoint: { member_id: "lead", prompt: "go" },
  };
}

/** A team + run, and an actor CLI connection (as `agenthub actor` makes it from its env) per member. */
async function teamRun(hub: Hub, name: string, workers: number, members: string[]) {
  const team = await apiOk<{ id: string }>(hub.url, "POST", "/api/teams", {
    token: hub.root,
    body: { name, spec: spec(workers) },
  });
  const run = await apiOk<{ id: string }>(hub.url, "POST", `/api/teams/${team.id}/runs`, {
    token: hub.root,
    body: {},
  });
  const clients = new Map<string, AuthorityClient>();
  for (const m of members) {
    const t = await apiOk<{ env: Record<string, string> }>(
      hub.url,
      "POST",
      `/api/runs/${run.id}/actor-tokens`,
      {
        token: hub.root,
        body: { member_id: m },
      },
    );
    clients.set(m, await connectAuthority(t.env, undefined));
  }
  return { runId: run.id, clients };
}

/** Drains `actor`'s inbox with Receive (pending -> acked); returns how many messages were there. */
async function drain(client: AuthorityClient): Promise<number> {
  let n = 0;
  for (;;) {
    const r = await client.receive({ limit: 1000 });
    n += r.messages.length;
    if (r.messages.length === 0) return n;
  }
}

/**
 * S3: the `agenthub actor send` path — AuthorityService.Send over TLS with a minted actor token ->
 * MailboxService (one SQLite transaction) -> visible in the recipient's inbox (verified by draining
 * it with Receive after each phase). Baseline: raw better-sqlite3 inserts, WAL + synchronous=FULL,
 * one row per transaction.
 */
export async function s3Mailbox(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s3");
  const senders = Array.from({ length: 16 }, (_, i) => `w${i + 1}`);
  const a = await teamRun(hub, "mail-16", 16, ["lead", ...senders]);
  const b = await teamRun(hub, "mail-10", 9, ["lead", "w1"]);
  const lead = a.clients.get("lead")!;
  ctx.log(`hub pid ${hub.proc.pid}; run ${a.runId} (17 members), run ${b.runId} (10 members)`);

  let seq = 0;
  const sendToLeader = (from: string) => () =>
    a.clients.get(from)!.send({ route: Route.TO_LEADER, body: { case: "text", value: `message ${++seq}` } });
  const bLead = b.clients.get("lead")!;
  const broadcast = () =>
    bLead.send({ route: Route.BROADCAST, body: { case: "text", value: `broadcast ${++seq}` } });

  await closedLoop(1, WARMUP_MS, sendToLeader("w1"));
  await closedLoop(1, WARMUP_MS / 2, broadcast);
  await drain(lead);
  await drain(b.clients.get("w1")!);

  const one = await closedLoop(1, PHASE_MS, sendToLeader("w1"));
  const oneVisible = await drain(lead);
  const s1 = summarize(one.latencies);
  ctx.log(
    `1 sender: ${fmt(one.rate)} msg/s p50 ${fmt(s1.p50, 3)} ms p99 ${fmt(s1.p99, 3)} ms; ${oneVisible}/${one.latencies.length} in the leader's inbox`,
  );

  const many = await closedLoop(16, PHASE_MS, (w) => sendToLeader(senders[w]!)());
  const manyVisible = await drain(lead);
  const s16 = summarize(many.latencies);
  ctx.log(
    `16 senders: ${fmt(many.rate)} msg/s p50 ${fmt(s16.p50, 3)} ms p99 ${fmt(s16.p99, 3)} ms; ${manyVisible}/${many.latencies.length} visible`,
  );

  const bc = await closedLoop(1, PHASE_MS, broadcast);
  const bcVisible = await drain(b.clients.get("w1")!);
  const sbc = summarize(bc.latencies);
  ctx.log(
    `broadcast to 9 recipients: ${fmt(bc.rate)} msg/s p50 ${fmt(sbc.p50, 3)} ms p99 ${fmt(sbc.p99, 3)} ms; ${bcVisible}/${bc.latencies.length} in w1's inbox`,
  );
  for (const c of [...a.clients.values(), ...b.clients.values()]) c.close();
  if (
    oneVisible !== one.latencies.length ||
    manyVisible !== many.latencies.length ||
    bcVisible !== bc.latencies.length
  ) {
    throw new Error("not every sent message was visible in the recipient's inbox");
  }

  const raw = rawDb();
  let i = 0;
  await closedLoop(1, 500, async () => raw.insertOne(++i));
  const rawOne = await closedLoop(1, PHASE_MS, async () => raw.insertOne(++i));
  const rawBc = await closedLoop(1, PHASE_MS, async () => raw.insertMessage(++i, 9));
  raw.close();
  const r1 = summarize(rawOne.latencies);
  const rb = summarize(rawBc.latencies);
  ctx.log(
    `raw inserts: ${fmt(rawOne.rate)}/s p99 ${fmt(r1.p99, 3)} ms; message + 9 deliveries: ${fmt(rawBc.rate)}/s`,
  );

  return {
    id: "S3",
    title: "mailbox (actor send -> stored -> recipient's inbox)",
    rows: [
      row("1 sender msg/s", "/s", one.rate, rawOne.rate, {
        text: "≥ 50% of raw insert rate",
        met: one.rate >= 0.5 * rawOne.rate,
      }),
      row("1 sender p50", "ms", s1.p50, r1.p50),
      row("1 sender p99", "ms", s1.p99, r1.p99),
      row("16 senders msg/s", "/s", many.rate, rawOne.rate),
      row("16 senders p50", "ms", s16.p50, r1.p50),
      row("16 senders p99", "ms", s16.p99, r1.p99),
      row("broadcast (10-member team) msg/s", "/s", bc.rate, rawBc.rate),
      row("broadcast deliveries/s", "/s", bc.rate * 9, rawBc.rate * 9),
      row("broadcast p99", "ms", sbc.p99, rb.p99),
    ],
    notes: [
      "Project: `connectAuthority(env)` — the actor CLI's own client (TLS, the minted actor token from `POST /api/runs/:id/actor-tokens`) — calling AuthorityService.Send against a hub process; a send returns after its SQLite transaction (message + delivery rows + run event) committed. After each phase the recipient drains its inbox with Receive and every message is counted (all were visible).",
      "16 senders: 16 members (w1..w16), each with its own client/channel, closed loops sending to the leader.",
      "Broadcast: the leader of a 10-member team sends to the 9 others (one message + 9 delivery rows).",
      "Baseline: better-sqlite3 in the benchmark process, WAL + synchronous=FULL, one row per transaction (broadcast baseline: 1 message + 9 delivery rows per transaction), same filesystem. The 16-sender rows compare against the single-connection raw rate (SQLite serializes writers).",
      "Each `agenthub actor send` invocation additionally pays process start-up and a TLS handshake; this measures the server path with a warm connection.",
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
