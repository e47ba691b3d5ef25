import { existsSync } from "node:fs";
import { join } from "node:path";
import { runGit } from "./git-command.js";
import { withPrivateGitDir } from "./private-git-dir.js";

/** How many changed paths a reason names. */
const NAMED_PATHS = 3;

function nameSome(paths: string[]): string {
  const shown = paths.slice(0, NAMED_PATHS).join(", ");
  return paths.length > NAMED_PATHS ? `${shown}, …` : shown;
}

/**
 * Why removing the worktree at `path` would lose work, or undefined when it would not:
 * - uncommitted changes: `git status --porcelain` lists anything (untracked files included, ignored
 *   ones not), run in a private config-less GIT_DIR (withPrivateGitDir) because comparing contents
 *   may run the repository's clean filters, which an agent can define;
 * - submodules checked out inside it (their own repositories hold work git status does not see here);
 * - a HEAD with commits on no branch or tag (an agent detached HEAD and committed).
 * Commits on the worktree's own branch are not a reason: the branch outlives the worktree.
 * When git cannot tell, that is the reason (nothing is removed on a guess).
 */
export async function unsavedWork(path: string): Promise<string | undefined> {
  let head: string;
  try {
    head = (await runGit(["rev-parse", "--verify", "HEAD^{commit}"], { cwd: path })).trim();
  } catch (err) {
    return `git cannot tell whether it holds changes: ${(err as Error).message}`;
  }
  if (!/^[0-9a-f]{40,64}$/.test(head)) return `git gave no commit for its HEAD (${head.slice(0, 80)})`;
  try {
    const found = await withPrivateGitDir(path, head, async (env) => {
      const git = (args: string[]) => runGit(args, { cwd: path, env: { ...env, GIT_OPTIONAL_LOCKS: "0" } });
      const changed = (
        await git([
          "status",
          "--porcelain=v1",
          "-z",
          "--no-renames",
          "--untracked-files=all",
          // Recursing would run git in each submodule with that submodule's own config.
          "--ignore-submodules=all",
        ])
      )
        .split("\0")
        .filter((e) => e.length > 3)
        .map((e) => e.slice(3));
      if (changed.length > 0) {
        return `uncommitted changes in ${changed.length} path${changed.length === 1 ? "" : "s"} (${nameSome(changed)})`;
      }
      const submodules = (await git(["ls-files", "--stage", "-z"]))
        .split("\0")
        .filter((e) => e.startsWith("160000 "))
        .map((e) => e.slice(e.indexOf("\t") + 1))
        .filter((p) => existsSync(join(path, p, ".git")));
      if (submodules.length > 0) return `submodules are checked out in it (${nameSome(submodules)})`;
      return undefined;
    });
    if (found) return found;
    const stray = (
      await runGit(["rev-list", "-n", "1", head, "--not", "--branches", "--tags", "--"], { cwd: path })
    ).trim();
    if (stray) return `its HEAD (${head.slice(0, 12)}) has commits on no branch or tag`;
    return undefined;
  } catch (err) {
    return `git cannot tell whether it holds changes: ${(err as Error).message}`;
  }
}
