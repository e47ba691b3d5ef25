import type { Dirent } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { WorktreeUsage } from "../contracts/node-client.js";

export type { WorktreeUsage } from "../contracts/node-client.js";

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // gone or unreadable: counts as empty
  }
}

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await entries(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await treeBytes(p);
    else
      total += await lstat(p).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/** Walks `root` (one directory at a time: a large tree costs time, not memory). */
export async function measureWorktrees(root: string): Promise<WorktreeUsage> {
  const dirs = (await entries(root)).filter((e) => e.isDirectory());
  let bytes = 0;
  for (const d of dirs) bytes += await treeBytes(join(root, d.name));
  return { count: dirs.length, bytes };
}
