import { spawnSync } from "node:child_process";
import { startHub } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { apiOk } from "./http-client.js";
import { AGENTHUB_BIN } from "./procs.js";
import { row, type ScenarioResult } from "./report.js";
import { fmt, now, summarize } from "./stats.js";

const RUNS = Number(process.env.BENCH_S6_RUNS ?? 30);
const WARMUP_RUNS = 3;

interface Command {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** Wall time of one process from spawn to exit, in ms; a non-zero exit fails the scenario. */
function timeOne(cmd: Command): number {
  const t = now();
  const r = spawnSync(process.execPath, cmd.args, { env: cmd.env, stdio: ["ignore", "pipe", "pipe"] });
  const ms = now() - t;
  if (r.status !== 0) {
    throw new Error(`${cmd.name} exited ${String(r.status)}: ${r.stderr.toString().slice(-2000)}`);
  }
  return ms;
}

/**
 * S6: what an agent pays per `agenthub actor …` tool call before any work — the CLI's start-up, next to
 * a bare `node -e 0`. `actor help` needs nothing but its text; `actor inbox` connects to a hub (TLS,
 * actor token from its environment) and makes one call.
 */
export async function s6CliStart(ctx: BenchContext): Promise<ScenarioResult> {
  const t0 = now();
  const hub = await startHub("s6");
  const team = await apiOk<{ id: string }>(hub.url, "POST", "/api/teams", {
    token: hub.root,
    body: {
      name: "cli-start",
      spec: {
        spec_version: 1,
        leader_member_id: "lead",
        members: [{ member_id: "lead", role: "leader", description: "leads", skills: [] }],
        entrypoint: { member_id: "lead", prompt: "go" },
      },
    },
  });
  const run = await apiOk<{ id: string }>(hub.url, "POST", `/api/teams/${team.id}/runs`, {
    token: hub.root,
    body: {},
  });
  const actor = await apiOk<{ env: Record<string, string> }>(
    hub.url,
    "POST",
    `/api/runs/${run.id}/actor-tokens`,
    { token: hub.root, body: { member_id: "lead" } },
  );
  const base = { PATH: process.env.PATH, HOME: hub.home };
  const commands: Command[] = [
    { name: "node -e 0", args: ["-e", "0"], env: base },
    { name: "agenthub actor help", args: [AGENTHUB_BIN, "actor", "help"], env: base },
    {
      name: "agenthub actor inbox",
      args: [AGENTHUB_BIN, "actor", "inbox", "--json"],
      env: { ...base, ...actor.env },
    },
  ];
  ctx.log(`hub pid ${hub.proc.pid}; ${RUNS} runs of each command, interleaved`);
  for (let i = 0; i < WARMUP_RUNS; i++) for (const c of commands) timeOne(c);
  const samples = commands.map(() => [] as number[]);
  // Interleaved, so that other load on the machine weighs on every command alike.
  for (let i = 0; i < RUNS; i++) {
    for (const [j, c] of commands.entries()) samples[j]!.push(timeOne(c));
  }
  const [bare, help, inbox] = samples.map((s) => summarize(s));
  for (const [j, c] of commands.entries()) {
    const s = summarize(samples[j]!);
    ctx.log(`${c.name}: p50 ${fmt(s.p50, 1)} ms p99 ${fmt(s.p99, 1)} ms`);
  }
  return {
    id: "S6",
    title: "CLI start-up (agenthub actor … vs a bare node start)",
    rows: [
      row("node -e 0 p50", "ms", bare!.p50),
      row("actor help p50", "ms", help!.p50, bare!.p50, {
        text: "≤ 2x node -e 0",
        met: help!.p50 <= 2 * bare!.p50,
      }),
      row("actor help p99", "ms", help!.p99, bare!.p99),
      row("actor inbox p50 (TLS connect + one call)", "ms", inbox!.p50, bare!.p50),
      row("actor inbox p99", "ms", inbox!.p99, bare!.p99),
    ],
    notes: [
      `Wall time from spawn to exit of \`node bin/agenthub.js actor help\` and \`node bin/agenthub.js actor inbox --json\` (with the env of \`POST /api/runs/:id/actor-tokens\`, against a hub process), ${RUNS} runs each after ${WARMUP_RUNS} warm-up runs, the three commands interleaved; baseline: \`node -e 0\` measured the same way.`,
      "What a command loads is checked by test/cli/actor-start-modules.test.ts (a loader hook lists the modules; `actor help` loads no gRPC, protobuf, zod, SQLite or HTTP server code).",
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
