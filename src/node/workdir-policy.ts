import { realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AppError } from "../errors/registry.js";

export type WorktreeMode = "use_existing" | "create_worktree";

export interface WorkdirRequest {
  worktreeMode: WorktreeMode;
  workdir?: string | undefined;
  safePaths: readonly string[];
  /** Worktree root; always an allowed location. */
  worktreeRoot?: string | undefined;
}

/** `~` and `~/x` -> the home directory; everything else unchanged. */
export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}

/** True when `child` is `parent` or below it; `/a/bc` is not inside `/a/b`. */
export function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** realpath, or for a missing path: realpath of the nearest existing ancestor plus the rest. */
async function realpathLenient(path: string): Promise<{ resolved: string; exists: boolean }> {
  try {
    return { resolved: await realpath(path), exists: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const parent = dirname(path);
    if (parent === path) return { resolved: path, exists: false };
    const up = await realpathLenient(parent);
    return { resolved: join(up.resolved, basename(path)), exists: false };
  }
}

/** Safe roots (safe paths + worktree root), `~`-expanded and realpath-resolved. */
export async function resolveSafeRoots(
  safePaths: readonly string[],
  worktreeRoot?: string,
): Promise<string[]> {
  const roots = [...safePaths, ...(worktreeRoot === undefined ? [] : [worktreeRoot])];
  const out: string[] = [];
  for (const root of roots) {
    out.push((await realpathLenient(resolve(expandHome(root)))).resolved);
  }
  return out;
}

/**
 * Resolves a path (`~`, `..`, symlinks) and requires it to be an existing directory inside one of
 * the safe roots. Returns the real path. Throws WORKDIR_NOT_SAFE / WORKDIR_MISSING.
 */
export async function requireSafeDirectory(
  path: string,
  safePaths: readonly string[],
  worktreeRoot?: string,
): Promise<string> {
  const { resolved, exists } = await realpathLenient(resolve(expandHome(path)));
  const roots = await resolveSafeRoots(safePaths, worktreeRoot);
  if (!roots.some((root) => isWithin(resolved, root))) {
    throw new AppError("WORKDIR_NOT_SAFE", { workdir: path, resolved, safe_paths: roots });
  }
  if (!exists) {
    throw new AppError(
      "WORKDIR_MISSING",
      { workdir: path, resolved },
      { message: `workdir does not exist: ${resolved}` },
    );
  }
  if (!(await stat(resolved)).isDirectory()) {
    throw new AppError(
      "WORKDIR_MISSING",
      { workdir: path, resolved },
      { message: `workdir is not a directory: ${resolved}` },
    );
  }
  return resolved;
}

/**
 * Applies the workdir policy. `use_existing` requires a workdir; `create_worktree` without one
 * returns undefined (the worktree is derived later). A given workdir is always checked.
 */
export async function resolveWorkdir(req: WorkdirRequest): Promise<string | undefined> {
  const workdir = req.workdir?.trim();
  if (!workdir) {
    if (req.worktreeMode === "create_worktree") return undefined;
    throw new AppError("WORKDIR_REQUIRED");
  }
  return requireSafeDirectory(workdir, req.safePaths, req.worktreeRoot);
}
