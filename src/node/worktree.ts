import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { assertWorktreeRef } from "../domain/git-ref.js";
import { runGit } from "./git-command.js";
import { withPrivateGitDir } from "./private-git-dir.js";
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
  /** The source repository's real path. */
  repo: string;
  /** The commit the branch was created at (worktree_ref resolved). */
  base: string;
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

function git(args: string[], cwd: string, what?: string): Promise<string> {
  return runGit(args, { cwd, what });
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
 * Runs `git worktree add --no-checkout -b agenthub/<slug>-<rand> <root>/<slug>-<rand> -- <sha>` in
 * `repo`, where <sha> is the ref resolved to a commit first, then checks <sha> out without the
 * repository's config (checkOutWithoutRepoConfig). The repository is checked (safe paths, realpath) here,
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
      await git(["worktree", "add", "--no-checkout", "-b", branch, path, "--", commit], repo);
    } catch (err) {
      if (attempt >= 2) throw err;
      await delay(50 + Math.floor(Math.random() * 100));
      continue;
    }
    try {
      await checkOutWithoutRepoConfig(path, commit);
    } catch (err) {
      // No half-made worktree left behind: git's own `worktree add` cleans up a failed checkout too.
      await git(["worktree", "remove", "--force", path], repo).catch(() => undefined);
      await git(["branch", "-D", branch], repo).catch(() => undefined);
      throw err;
    }
    return { path, branch, repo, base: commit };
  }
}

/**
 * Fills a worktree made with `--no-checkout`: `git read-tree --reset -u <sha>` in a private, config-less
 * GIT_DIR (withPrivateGitDir: no filter driver the repository's config names can run, and read-tree
 * runs no hooks). The cost: the checkout ignores the repository's own config (line-ending settings,
 * LFS smudging: an agent runs `git lfs pull` itself, inside its sandbox).
 */
function checkOutWithoutRepoConfig(path: string, commit: string): Promise<void> {
  return withPrivateGitDir(path, undefined, async (env) => {
    await runGit(["read-tree", "--reset", "-u", commit], {
      cwd: path,
      what: `checking out ${commit} in ${path} failed`,
      env,
    });
  });
}
