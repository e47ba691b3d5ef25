import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../../bin/agenthub.js", import.meta.url));

/** A child `agenthub` process whose output is watched for a pattern (the demo's hub and nodes). */
export class DemoProcess {
  readonly child: ChildProcess;
  private out = "";
  private waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (c: Buffer) => {
      this.out += c.toString();
      for (const w of [...this.waiters]) {
        const m = w.re.exec(this.out);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    this.child.stdout!.on("data", onData);
    this.child.stderr!.on("data", onData);
    this.exited = once(this.child, "exit").then(([code]) => {
      for (const w of this.waiters.splice(0))
        w.reject(new Error(`${name} exited (${String(code)}):\n${this.out}`));
      return code as number | null;
    });
  }

  get output(): string {
    return this.out;
  }

  waitFor(re: RegExp): Promise<RegExpExecArray> {
    const m = re.exec(this.out);
    if (m) return Promise.resolve(m);
    if (this.child.exitCode !== null)
      return Promise.reject(new Error(`${this.name} already exited:\n${this.out}`));
    return new Promise((resolve, reject) => this.waiters.push({ re, resolve, reject }));
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

export async function runToCompletion(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const p = new DemoProcess(args[0] ?? "agenthub", args, env);
  const code = await p.exited;
  if (code !== 0) throw new Error(`agenthub ${args.join(" ")} failed (${String(code)}):\n${p.output}`);
  return p.output;
}
