import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "agenthub.js");

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `re` in stdout+stderr, or rejects if the process exits first. */
  waitFor: (re: RegExp) => Promise<RegExpExecArray>;
  exit: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Spawns the built CLI (`npm test` builds first) with its own env; `opts.stdin` is written to its stdin. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, opts: { stdin?: string } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  let out = "";
  let err = "";
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.re.exec(out + err);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
    check();
  });
  child.stderr!.on("data", (c: Buffer) => {
    err += c.toString();
    check();
  });
  const exit = once(child, "exit").then(([code]) => {
    for (const w of waiters.splice(0)) {
      w.reject(new Error(`process exited (${String(code)}) before ${w.re}: ${out}${err}`));
    }
    return code as number | null;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const m = re.exec(out + err);
        if (m) resolve(m);
        else if (child.exitCode !== null) reject(new Error(`process already exited: ${out}${err}`));
        else waiters.push({ re, resolve, reject });
      }),
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
