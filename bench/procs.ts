import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** bin/agenthub.js, from dist/bench/ (compiled) — the same launcher users run. */
export const AGENTHUB_BIN = join(import.meta.dirname, "..", "..", "bin", "agenthub.js");

const TAIL_CHARS = 256 * 1024;
const cleanups: (() => Promise<void> | void)[] = [];
const procStops: (() => Promise<unknown>)[] = [];

/** Registers something to undo at the end (last registered runs first). */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** Stops every process and removes every temp dir registered so far. */
export async function cleanupAll(): Promise<void> {
  // Processes stop in parallel (a node daemon waits up to 2 s for the hub's open event stream), then dirs go.
  const stops = procStops.splice(0);
  await Promise.all(stops.map((fn) => fn().catch(() => undefined)));
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
    }
  }
}

/** A temp dir removed by cleanupAll (or earlier with the returned function). */
export function tempDir(prefix = "agenthub-bench-"): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(path, { recursive: true, force: true });
  };
  onCleanup(remove);
  return { path, remove };
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** The last 256 KiB of stdout+stderr (the benchmark does not keep everything a daemon logs). */
  output: () => string;
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  exit: Promise<number | null>;
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<number | null>;
  /** Resident set size in MiB (from /proc). */
  rssMiB: () => number;
}

/** Spawns `node <script> ...args` (stdout/stderr piped, kept as a bounded tail) and registers its stop. */
export function spawnNode(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Proc {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  const onData = (c: Buffer) => {
    tail += c.toString();
    if (tail.length > TAIL_CHARS) tail = tail.slice(-TAIL_CHARS);
    for (const w of [...waiters]) {
      const m = w.re.exec(tail);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exit = once(child, "exit").then(([code]) => {
    for (const w of waiters.splice(0))
      w.reject(new Error(`process exited (${String(code)}) before ${w.re}: ${tail.slice(-4000)}`));
    return code as number | null;
  });
  const stop = async (signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exit;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    const code = await exit;
    clearTimeout(timer);
    return code;
  };
  procStops.push(() => stop());
  return {
    child,
    pid: child.pid ?? 0,
    output: () => tail,
    exit,
    stop,
    waitFor: (re, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const m = re.exec(tail);
        if (m) return resolve(m);
        if (child.exitCode !== null) return reject(new Error(`process already exited: ${tail.slice(-4000)}`));
        const timer = setTimeout(() => {
          const i = waiters.findIndex((w) => w.resolve === done);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`timed out waiting for ${re}: ${tail.slice(-4000)}`));
        }, timeoutMs);
        const done = (mm: RegExpExecArray) => {
          clearTimeout(timer);
          resolve(mm);
        };
        waiters.push({
          re,
          resolve: done,
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
      }),
    rssMiB: () => rssMiB(child.pid ?? 0),
  };
}

export function rssMiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Extra node flags for child processes (e.g. --cpu-prof) from BENCH_CHILD_NODE_OPTIONS. */
export function childNodeArgs(): string[] {
  const v = process.env.BENCH_CHILD_NODE_ARGS;
  return v ? v.split(/\s+/).filter(Boolean) : [];
}
