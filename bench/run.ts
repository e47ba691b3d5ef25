/**
 * `npm run bench` (or `node dist/bench/run.js S1 S3` for a subset): runs the scenarios one after
 * another on 127.0.0.1, prints progress, writes bench/RESULTS.md, and stops every process it started.
 */
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "./context.js";
import { describeMachine } from "./machine.js";
import { cleanupAll } from "./procs.js";
import {
  failedChecks,
  keepFindings,
  mergeResults,
  renderResults,
  type ScenarioResult,
  writeResults,
} from "./report.js";
import { s1InternalRpc } from "./s1-internal-rpc.js";
import { s2DurableDispatch } from "./s2-durable-dispatch.js";
import { s3Mailbox } from "./s3-mailbox.js";
import { s4EventStream } from "./s4-event-stream.js";
import { s5Scale } from "./s5-scale.js";
import { s6CliStart } from "./s6-cli-start.js";

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  S1: s1InternalRpc,
  S2: s2DurableDispatch,
  S3: s3Mailbox,
  S4: s4EventStream,
  S5: s5Scale,
  S6: s6CliStart,
};

const BENCH_DIR = join(import.meta.dirname, "..", "..", "bench");

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).map((a) => a.toUpperCase());
  const unknown = wanted.filter((w) => !SCENARIOS[w]);
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown scenario(s): ${unknown.join(", ")}; known: ${Object.keys(SCENARIOS).join(" ")}\n`,
    );
    return 2;
  }
  const ids = wanted.length > 0 ? wanted : Object.keys(SCENARIOS);
  const startedAt = new Date();
  const machine = describeMachine(tmpdir());
  const log = (msg: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, node ${machine.node}`,
  );
  log(`disk: ${machine.disk}`);
  const results: ScenarioResult[] = [];
  let failed = 0;
  for (const id of ids) {
    log(`${id}: start`);
    const ctx: BenchContext = { log: (m) => log(`${id}: ${m}`) };
    try {
      const r = await SCENARIOS[id]!(ctx);
      results.push(r);
      log(`${id}: done in ${r.elapsedS.toFixed(1)} s`);
      const bad = failedChecks(r);
      if (bad.length > 0) {
        failed++;
        for (const x of bad) log(`${id}: FAIL: ${x.metric} (${x.target ?? ""})`);
      }
    } catch (err) {
      failed++;
      log(`${id}: FAILED: ${(err as Error).stack ?? String(err)}`);
      results.push({
        id,
        title: "(failed)",
        rows: [],
        notes: [`failed: ${(err as Error).message}`],
        elapsedS: 0,
      });
    } finally {
      await cleanupAll();
    }
  }
  const cmd = `node dist/bench/run.js${wanted.length ? ` ${wanted.join(" ")}` : ""}`;
  const out = join(BENCH_DIR, "RESULTS.md");
  let text = renderResults(machine, results, startedAt, cmd);
  // A subset run replaces only its own sections; the others stay as the last full run left them.
  const previous = existsSync(out) ? readFileSync(out, "utf8") : undefined;
  if (wanted.length > 0 && previous) text = mergeResults(previous, text, ids);
  // The hand-written Findings section (analyses, before/after of a change) survives every run.
  if (previous) text = keepFindings(previous, text);
  writeResults(out, text);
  log(`wrote ${out}`);
  return failed > 0 ? 1 : 0;
}

const stop = () => {
  void cleanupAll().then(() => process.exit(130));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
main().then(
  async (code) => {
    await cleanupAll();
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
