import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { WorkspaceError } from "./workspace-error.js";

export interface CreateWorktreeOptions {
  /** The git repository to branch from. */
  repo: string;
  /** Commit-ish to check out; default HEAD. */
  ref?: string | undefined;
  /** Directory that holds worktrees (created if missing). */
  root: string;
  /** Agent/member name; slugged into the path and branch. */
  name: string;
  /** Validates the repo path (e.g. against safe paths) and returns its real path; throws if refused. */
  checkRepo?: (repo: string) => Promise<string>;
}

export interface Worktree {
  path: string;
  branch: string;
  repo: string;
}

/** Lowercase ascii slug (max 40 chars); `agent` when nothing usable is left. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug || "agent";
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, maxBuffer: 4 * 1024 * 1024 },
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
        reject(new WorkspaceError(`git ${args[0] ?? ""} failed: ${summary}`, text, { cause: err }));
      },
    );
  });
}

/**
 * Runs `git worktree add -b agenthub/<slug>-<rand> <root>/<slug>-<rand> <ref>` in `repo`, with an
 * argument array (never a shell). Git's stderr is carried by the WorkspaceError on failure.
 */
export async function createWorktree(opts: CreateWorktreeOptions): Promise<Worktree> {
  const repo = opts.checkRepo ? await opts.checkRepo(opts.repo) : resolve(opts.repo);
  const root = resolve(opts.root);
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    throw new WorkspaceError(`cannot create worktree root ${root}: ${(err as Error).message}`, String(err), {
      cause: err,
    });
  }
  // A transient failure (e.g. two nodes on one machine adding worktrees to one repository at once)
  // gets one more try under a fresh name; a persistent one reports git's own text.
  for (let attempt = 1; ; attempt++) {
    const slug = `${slugify(opts.name)}-${randomBytes(4).toString("hex")}`;
    const path = join(root, slug);
    const branch = `agenthub/${slug}`;
    const args = ["worktree", "add", "-b", branch, path];
    if (opts.ref) args.push("--", opts.ref);
    try {
      await git(args, repo);
      return { path, branch, repo };
    } catch (err) {
      if (attempt >= 2) throw err;
      await delay(50 + Math.floor(Math.random() * 100));
    }
  }
}
