import { spawn } from "node:child_process";
import { splitArgs } from "./split-args.js";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `agenthub` resolves to $AGENTHUB_BIN when set (a `.js` file runs under this node). */
function resolveProgram(words: string[]): { file: string; args: string[] } {
  const [first = "", ...rest] = words;
  const bin = process.env.AGENTHUB_BIN;
  if (first === "agenthub" && bin) {
    return /\.[cm]?js$/.test(bin)
      ? { file: process.execPath, args: [bin, ...rest] }
      : { file: bin, args: rest };
  }
  return { file: first, args: rest };
}

/** Runs a command line without a shell in `cwd`; killed when `signal` aborts. */
export function runCommand(line: string, cwd: string, signal: AbortSignal): Promise<CommandResult> {
  const words = splitArgs(line);
  if (words.length === 0) return Promise.resolve({ code: 127, stdout: "", stderr: "empty command" });
  const { file, args } = resolveProgram(words);
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const onAbort = () => child.kill("SIGTERM");
    signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", (err) => {
      signal.removeEventListener("abort", onAbort);
      const notFound = (err as NodeJS.ErrnoException).code === "ENOENT";
      resolve({ code: 127, stdout, stderr: notFound ? `command not found: ${file}` : err.message });
    });
    child.on("close", (code) => {
      signal.removeEventListener("abort", onAbort);
      resolve({ code, stdout, stderr });
    });
  });
}
