/**
 * Bench-only preload for the hub process (no production code involved): S5 starts
 * `agenthub serve` with `node --expose-gc --import <this file>`. On SIGUSR2 it forces full
 * garbage collections and writes one line `AGENTHUB_BENCH_HEAP {"seq":n,"heapUsed":...}` to stdout,
 * so the benchmark can compare the live V8 heap at two quiescent points of a steady load.
 *
 * BENCH_HEAP_PROBE_LEAK_KIB_PER_S=n (in the hub's environment) makes it retain n KiB per
 * second on purpose (arrays of integers) — only to check that the S5 leak check does fail on a leak.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { getHeapSpaceStatistics } from "node:v8";

export const HEAP_PROBE_MARKER = "AGENTHUB_BENCH_HEAP";

const gc = (globalThis as { gc?: () => void }).gc;
let seq = 0;

if (process.env.AGENTHUB_BENCH_HEAP_PROBE === "1") {
  process.on("SIGUSR2", () => {
    void (async () => {
      const n = ++seq;
      if (!gc) {
        process.stdout.write(`${HEAP_PROBE_MARKER} ${JSON.stringify({ seq: n, error: "no --expose-gc" })}\n`);
        return;
      }
      // Several full collections with turns of the event loop between them, so objects released by
      // finalizers, weak callbacks or pending microtasks of the first pass are gone too.
      for (let i = 0; i < 4; i++) {
        gc();
        await sleep(25);
      }
      const m = process.memoryUsage();
      const newSpace = getHeapSpaceStatistics().find((x) => x.space_name === "new_space");
      process.stdout.write(
        `${HEAP_PROBE_MARKER} ${JSON.stringify({
          seq: n,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
          rss: m.rss,
          newSpace: newSpace?.physical_space_size ?? 0,
        })}\n`,
      );
    })();
  });

  const leakKiBs = Number(process.env.BENCH_HEAP_PROBE_LEAK_KIB_PER_S ?? 0);
  if (leakKiBs > 0) {
    const kept: number[][] = [];
    const perTick = Math.ceil((leakKiBs * 1024) / 10 / 8);
    setInterval(() => {
      // A JS array of small integers lives in the V8 heap at 8 bytes an element (no pointer compression).
      kept.push(Array.from({ length: perTick }, (_, j) => j));
    }, 100).unref();
  }
}
