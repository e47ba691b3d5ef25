import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { WorkspaceError } from "./workspace-error.js";

/**
 * The daemon's own git calls (worktree add, rev-parse) run outside any sandbox, on repositories agents
 * can write to. So:
 * - git runs by an absolute path found once, when this module loads at daemon start, on the daemon's
 *   PATH (relative entries skipped). An agent cannot plant a `git` earlier on that PATH: the sandbox
 *   keeps every directory on the daemon's PATH read-only for agents (see sandbox.ts).
 * - Repository config that runs code is switched off on the command line (which wins over every
 *   config file): hooks, fsmonitor. Filter drivers are not overridden here: the one daemon call that
 *   would run them, the checkout of a new worktree, runs with no repository config at all
 *   (worktree.ts).
 * - trace2 targets (read from global config) are switched off, so a config file cannot make the
 *   daemon's git write where it says.
 */

/** An executable `name` on `pathVar`, by absolute path; relative PATH entries are never used. */
export function findExecutable(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? "/usr/bin:/bin").split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next PATH entry
    }
  }
  return undefined;
}

/** The git every daemon-side call runs, resolved once at start; undefined when git is not installed. */
export const DAEMON_GIT: string | undefined = findExecutable("git", process.env.PATH);

/** Config that makes git run repository code, switched off for the daemon's calls. */
export const NO_REPO_CODE: readonly string[] = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
];

/** The environment of a daemon-side git call: the daemon's, no prompts, no trace2 output. */
export function daemonGitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_TRACE2: "0",
    GIT_TRACE2_EVENT: "0",
    GIT_TRACE2_PERF: "0",
    ...extra,
  };
}

export interface GitRun {
  cwd: string;
  /** Leads the WorkspaceError's message (default `git <subcommand> failed`). */
  what?: string | undefined;
  /** Variables added to the daemon's (GIT_DIR and the like). */
  env?: Readonly<Record<string, string>> | undefined;
}

/** Runs the daemon's git with an argument array (never a shell); failures are WorkspaceErrors. */
export function runGit(args: readonly string[], o: GitRun): Promise<string> {
  const what = o.what ?? `git ${args[0] ?? ""} failed`;
  if (!DAEMON_GIT) {
    return Promise.reject(
      new WorkspaceError(`${what}: git executable not found`, "git executable not found"),
    );
  }
  return new Promise((resolvePromise, reject) => {
    execFile(
      DAEMON_GIT as string,
      [...NO_REPO_CODE, ...args],
      { cwd: o.cwd, env: daemonGitEnv(o.env), maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) {
          resolvePromise(stdout);
          return;
        }
        const code = (err as NodeJS.ErrnoException).code;
        const text = code === "ENOENT" ? "git executable not found" : stderr.trim() || err.message;
        // The message leads with git's fatal/error lines; gitText keeps everything git printed.
        const key = text.split("\n").filter((l) => /^(fatal|error):/.test(l));
        const summary = key.length > 0 ? key.join("; ") : text;
        reject(new WorkspaceError(`${what}: ${summary}`, text, { cause: err }));
      },
    );
  });
}
