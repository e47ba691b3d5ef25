import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { type Hub, hubHeapAfterGc, restartHub, startHub } from "./cluster.js";
import type { BenchContext } from "./context.js";
import { apiOk } from "./http-client.js";
import { AGENTHUB_BIN, rssMiB, tempDir } from "./procs.js";
import { row, type ScenarioResult } from "./report.js";
import { fmt, now, summarize } from "./stats.js";

const RUNS = Number(process.env.BENCH_S6_RUNS ?? 30);
const WARMUP_RUNS = 3;
/** How long a restarted hub idles before its memory is read. */
const IDLE_MS = 3_000;
const MiB = 1024 * 1024;

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

/** VmRSS of a bare `node` process that only waits (what any Node daemon starts from). */
async function bareNodeRssMiB(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "ignore" });
  await sleep(1_000);
  const rss = rssMiB(child.pid ?? 0);
  child.kill();
  return rss;
}

/** The modules (files, not node: builtins) a hub restarted on `hub`'s data dir has loaded once idle. */
async function hubModules(hub: Hub): Promise<{ hub: Hub; count: number; packages: number }> {
  const log = join(tempDir("agenthub-bench-modules-").path, "modules.log");
  const preload = pathToFileURL(join(import.meta.dirname, "module-log.js")).href;
  const counted = await restartHub(hub, {
    env: { AGENTHUB_BENCH_MODULE_LOG: log },
    nodeArgs: ["--import", preload],
  });
  await sleep(IDLE_MS);
  await counted.proc.stop();
  const urls = new Set(
    (existsSync(log) ? readFileSync(log, "utf8") : "").split("\n").filter((u) => u.startsWith("file:")),
  );
  const packages = new Set(
    [...urls].flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.slice(1, 2) ?? []),
  );
  return { hub: counted, count: urls.size, packages: packages.size };
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

  // The hub at idle after a restart (certificates and keys exist, as on every start but the first).
  const modules = await hubModules(hub);
  const idle = await restartHub(modules.hub, { heapProbe: true });
  await sleep(IDLE_MS);
  const rss = idle.proc.rssMiB();
  const heap = await hubHeapAfterGc(idle);
  const bareRss = await bareNodeRssMiB();
  ctx.log(
    `restarted hub idle: RSS ${fmt(rss)} MiB (bare node ${fmt(bareRss)} MiB), heap ${fmt(heap.heapUsed / MiB)} of ${fmt(heap.heapTotal / MiB)} MiB, young generation ${fmt(heap.newSpace / MiB)} MiB; ${modules.count} modules from ${modules.packages} packages`,
  );
  return {
    id: "S6",
    title: "start-up: the actor CLI (vs a bare node start) and the hub at idle",
    rows: [
      row("node -e 0 p50", "ms", bare!.p50),
      row("actor help p50", "ms", help!.p50, bare!.p50, {
        text: "≤ 2x node -e 0",
        met: help!.p50 <= 2 * bare!.p50,
      }),
      row("actor help p99", "ms", help!.p99, bare!.p99),
      row("actor inbox p50 (TLS connect + one call)", "ms", inbox!.p50, bare!.p50),
      row("actor inbox p99", "ms", inbox!.p99, bare!.p99),
      row("hub idle RSS (restarted; baseline: bare node)", "MiB", rss, bareRss),
      row("hub idle: V8 heap used after GC", "MiB", heap.heapUsed / MiB),
      row("hub idle: V8 heap committed", "MiB", heap.heapTotal / MiB),
      row("hub idle: V8 young generation committed (empty)", "MiB", heap.newSpace / MiB),
      row("hub idle: external (Buffers, SQLite statements…)", "MiB", heap.external / MiB),
      row("hub idle: modules loaded", "", modules.count),
      row("hub idle: packages loaded", "", modules.packages),
    ],
    notes: [
      `Wall time from spawn to exit of \`node bin/agenthub.js actor help\` and \`node bin/agenthub.js actor inbox --json\` (with the env of \`POST /api/runs/:id/actor-tokens\`, against a hub process), ${RUNS} runs each after ${WARMUP_RUNS} warm-up runs, the three commands interleaved; baseline: \`node -e 0\` measured the same way.`,
      "What a command loads is checked by test/cli/actor-start-modules.test.ts (a loader hook lists the modules; `actor help` loads no gRPC, protobuf, zod, SQLite or HTTP server code).",
      `Hub rows: the same hub restarted on its data dir (as on every start but the first: certificates exist, so the X.509 issuing code stays unloaded), idle ${IDLE_MS / 1000} s. RSS is VmRSS; the heap rows come from the bench-only heap probe (4 forced full GCs, then \`process.memoryUsage()\` and the young generation's committed size). Modules: files the hub loaded (ESM loader hook plus \`require.cache\`; bench/module-log.ts), in a separate restart of its own. Baseline of the RSS row: a bare \`node -e 'setInterval(…)'\`.`,
    ],
    elapsedS: (now() - t0) / 1000,
  };
}
