import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { type AgentExit, describeExit } from "./agent-exit.js";
import { LineTail } from "./line-tail.js";

export interface AgentProcessOptions {
  command: string;
  args?: readonly string[] | undefined;
  cwd: string;
  /** The complete environment (nothing is inherited from the daemon when omitted). */
  env?: NodeJS.ProcessEnv | undefined;
  onStderr?: ((line: string) => void) | undefined;
  tailLines?: number | undefined;
  /** A better message for an exit a wrapper (the sandbox) reports in its own words. */
  explainExit?:
    | ((code: number | null, signal: string | null, tail: readonly string[]) => string | undefined)
    | undefined;
}

/** Sends `signal` to the process group `pgid`; false when the group no longer exists. */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

/** Polls until no process of group `pgid` is left (SIGKILLed leftovers take a moment to vanish). */
export async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (killGroup(pgid, 0)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/**
 * An agent child process in its own process group (pgid = pid), with web streams for its stdio,
 * a stderr tail, and one `exited` promise that settles exactly once — also for spawn failures.
 */
export class AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<AgentExit>;
  readonly stdin: WritableStream<Uint8Array>;
  readonly stdout: ReadableStream<Uint8Array>;
  private readonly tail: LineTail;
  private done = false;
  private reason: string | undefined;
  private finish!: (exit: AgentExit) => void;

  constructor(private readonly opts: AgentProcessOptions) {
    this.tail = new LineTail(opts.onStderr ?? (() => {}), opts.tailLines ?? 20);
    this.exited = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.child = spawn(opts.command, [...(opts.args ?? [])], {
      cwd: opts.cwd,
      env: opts.env ?? {},
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdin.on("error", () => {});
    // Decoded as a stream, so a character split between two reads is not garbled.
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (c: string) => this.tail.push(c));
    this.child.on("error", (err) => this.onSpawnError(err as NodeJS.ErrnoException));
    this.child.on("exit", (code, signal) => {
      // Let stdio drain so the stderr tail is complete, but don't wait on grandchildren holding pipes.
      const timer = setTimeout(() => this.settle(code, signal), 500);
      this.child.once("close", () => {
        clearTimeout(timer);
        this.settle(code, signal);
      });
    });
    this.stdin = Writable.toWeb(this.child.stdin) as WritableStream<Uint8Array>;
    this.stdout = Readable.toWeb(this.child.stdout) as ReadableStream<Uint8Array>;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.done;
  }

  /**
   * SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited and no
   * member of its group is left.
   */
  async stop(graceMs: number, reason?: string): Promise<AgentExit> {
    const pid = this.pid;
    if (pid === undefined) return this.exited;
    if (!this.done) {
      this.reason ??= reason;
      killGroup(pid, "SIGTERM");
    }
    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
    try {
      const exit = await this.exited;
      // Orphaned grandchildren linger as zombies until init reaps them; wait for ESRCH (bounded).
      if (!(await waitGroupGone(pid, 5000))) killGroup(pid, "SIGKILL");
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }

  private onSpawnError(err: NodeJS.ErrnoException): void {
    if (this.pid !== undefined) return; // errors after spawn (e.g. kill) are not exits
    let message = `failed to start ${this.opts.command}: ${err.message}`;
    if (err.code === "ENOENT") {
      message = existsSync(this.opts.cwd)
        ? `command not found: ${this.opts.command}`
        : `working directory does not exist: ${this.opts.cwd}`;
    } else if (err.code === "EACCES") {
      message = `command is not executable: ${this.opts.command}`;
    }
    this.settle(null, null, message);
  }

  private settle(code: number | null, signal: NodeJS.Signals | null, message?: string): void {
    if (this.done) return;
    this.done = true;
    this.tail.end();
    if (this.pid !== undefined) killGroup(this.pid, "SIGKILL"); // leftovers of the group
    const stderr_tail = this.tail.tail();
    const base =
      message ??
      this.opts.explainExit?.(code, signal, stderr_tail) ??
      describeExit(code, signal, stderr_tail);
    this.finish({
      code,
      signal,
      stderr_tail,
      message: this.reason ? `${this.reason} (${base})` : base,
    });
  }
}
