import { lstat, readFile, realpath, rm, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { WorktreeRemoval } from "../contracts/node-client.js";
import { runGit } from "./git-command.js";
import { unsavedWork } from "./worktree-changes.js";
import type { WorktreeRecord } from "./worktree-records.js";

export type { WorktreeRemoval } from "../contracts/node-client.js";

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * Whether git in `rec.repo` still knows `rec.path` as one of its worktrees: the worktree's `.git` file
 * names an admin dir inside the repository's common dir that points back at the worktree.
 */
async function registered(rec: WorktreeRecord): Promise<boolean> {
  try {
    const dotGit = await readFile(join(rec.path, ".git"), "utf8");
    const m = /^gitdir: (.+)$/m.exec(dotGit);
    if (!m) return false;
    const admin = await realpath(resolve(rec.path, m[1]!.trim()));
    const common = (
      await runGit(["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: rec.repo })
    ).trim();
    if (!within(admin, join(await realpath(common), "worktrees"))) return false;
    const back = (await readFile(join(admin, "gitdir"), "utf8")).trim();
    return (await realpath(resolve(admin, back))) === (await realpath(join(rec.path, ".git")));
  } catch {
    return false;
  }
}

/**
 * Deletes the branch agenthub created unless it holds commits beyond its base that no other branch or
 * tag holds (then it is kept, and the answer says why). `update-ref -d` with the tip read first: a
 * branch that moved in between is left alone.
 */
async function settleBranch(
  rec: WorktreeRecord,
): Promise<Pick<WorktreeRemoval, "branch_deleted" | "branch_kept_reason">> {
  if (!rec.branch.startsWith("agenthub/")) return { branch_deleted: false };
  const ref = `refs/heads/${rec.branch}`;
  let tip: string;
  try {
    tip = (await runGit(["rev-parse", "--verify", "--quiet", ref], { cwd: rec.repo })).trim();
  } catch {
    return { branch_deleted: false }; // gone already
  }
  try {
    const beyond = (
      await runGit(
        [
          "rev-list",
          "--count",
          tip,
          "--not",
          ...(rec.base ? [rec.base] : []),
          `--exclude=${rec.branch}`,
          "--branches",
          "--tags",
          "--",
        ],
        { cwd: rec.repo },
      )
    ).trim();
    if (beyond !== "0") {
      return {
        branch_deleted: false,
        branch_kept_reason: `it has ${beyond} commit${beyond === "1" ? "" : "s"} beyond its base ${rec.base.slice(0, 12)} that no other branch or tag holds`,
      };
    }
    await runGit(["update-ref", "-d", ref, tip], { cwd: rec.repo });
    return { branch_deleted: true };
  } catch (err) {
    return {
      branch_deleted: false,
      branch_kept_reason: `git could not settle it: ${(err as Error).message}`,
    };
  }
}

/**
 * Removes one worktree agenthub created, keeping work: without `force`, one with unsaved work
 * (unsavedWork: uncommitted changes, checked-out submodules, commits on no branch) is kept and the
 * answer says why. Removal is `git worktree remove --force` after that check (git's own check would run
 * `git status` with the repository's config, whose filter drivers an agent can define; `force` adds a
 * second `--force` so a locked worktree goes too). A directory git no longer knows as a worktree (its
 * repository or admin dir is gone) cannot be checked: it is kept unless forced, then deleted (it is
 * inside `root`). A worktree already gone has its admin dir pruned (`git worktree prune`). Then the
 * branch: deleted unless it holds commits (settleBranch).
 */
export async function removeWorktree(
  rec: WorktreeRecord,
  root: string,
  opts: { force: boolean },
): Promise<WorktreeRemoval> {
  const base = { path: rec.path, branch: rec.branch };
  const repoThere = await stat(rec.repo).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (await exists(rec.path)) {
    if (!(repoThere && (await registered(rec)))) {
      if (!opts.force) {
        return {
          ...base,
          removed: false,
          kept_reason: `it is no longer a worktree of ${rec.repo} (the repository or its admin dir is gone), so git cannot tell whether it holds changes`,
          branch_deleted: false,
        };
      }
      if (!within(resolve(rec.path), resolve(root))) {
        return {
          ...base,
          removed: false,
          kept_reason: `it is not inside the worktree root ${root}`,
          branch_deleted: false,
        };
      }
      await rm(rec.path, { recursive: true, force: true });
    } else {
      if (!opts.force) {
        const why = await unsavedWork(rec.path);
        if (why) return { ...base, removed: false, kept_reason: why, branch_deleted: false };
      }
      try {
        await runGit(["worktree", "remove", "--force", ...(opts.force ? ["--force"] : []), "--", rec.path], {
          cwd: rec.repo,
          what: `git worktree remove ${rec.path} failed`,
        });
      } catch (err) {
        return { ...base, removed: false, kept_reason: (err as Error).message, branch_deleted: false };
      }
    }
  }
  if (!repoThere) return { ...base, removed: true, branch_deleted: false };
  await runGit(["worktree", "prune"], { cwd: rec.repo }).catch(() => undefined);
  return { ...base, removed: true, ...(await settleBranch(rec)) };
}
