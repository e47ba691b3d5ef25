import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { assertWorktreeRef } from "../domain/git-ref.js";
import { WorkspaceError } from "./workspace-error.js";

export interface CreateWorktreeOptions {
  /** The git repository to branch from. */
  repo: string;
  /** Commit-ish to check out; default HEAD. Never an option: see worktreeRefProblem. */
  ref?: string | undefined;
  /** Directory that holds worktrees (created if missing). */
  root: string;
  /** Agent/member name; slugged into the path and branch. */
  name: string;
  /**
   * Validates the repo path (against the node's safe paths) and returns its real path; throws if
   * refused. Required: a worktree is never created in a repository nobody checked.
   */
  checkRepo: (repo: string) => Promise<string>;
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

/**
 * Config that makes git run code (hooks, fsmonitor) is switched off for the daemon's own git calls:
 * agents can write to the source repository's git directory, and these calls run outside any sandbox.
 */
const NO_REPO_CODE = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** Runs git with an argument array (never a shell); `what` leads the WorkspaceError's message. */
function git(args: string[], cwd: string, what = `git ${args[0] ?? ""} failed`): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      [...NO_REPO_CODE, ...args],
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
        reject(new WorkspaceError(`${what}: ${summary}`, text, { cause: err }));
      },
    );
  });
}

/**
 * The commit a ref names, as a sha. `--end-of-options` keeps the ref data even if it looked like an
 * option, and `^{commit}` refuses anything that is not a commit; the sha is all later git calls see.
 */
async function resolveCommit(repo: string, ref: string): Promise<string> {
  const out = await git(
    ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`],
    repo,
    `worktree_ref ${JSON.stringify(ref)} is not a commit in ${repo}`,
  );
  const sha = out.trim();
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new WorkspaceError(`git rev-parse gave no commit for worktree_ref ${JSON.stringify(ref)}`, out);
  }
  return sha;
}

/**
 * Runs `git worktree add -b agenthub/<slug>-<rand> <root>/<slug>-<rand> -- <sha>` in `repo`, where
 * <sha> is the ref resolved to a commit first. The repository is checked (safe paths, realpath) here,
 * at start, whatever was validated earlier. Git's stderr is carried by the WorkspaceError on failure;
 * a ref that looks like an option is refused before git runs (WORKTREE_REF_INVALID).
 */
export async function createWorktree(opts: CreateWorktreeOptions): Promise<Worktree> {
  assertWorktreeRef(opts.ref);
  const repo = await opts.checkRepo(opts.repo);
  const commit = await resolveCommit(repo, opts.ref ?? "HEAD");
  const root = resolve(opts.root);
  try {
    // Owner-only: the root holds every agent's worktree (the worktrees themselves keep git's modes).
    await mkdir(root, { recursive: true, mode: 0o700 });
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
    try {
      await git(["worktree", "add", "-b", branch, path, "--", commit], repo);
      return { path, branch, repo };
    } catch (err) {
      if (attempt >= 2) throw err;
      await delay(50 + Math.floor(Math.random() * 100));
    }
  }
}
