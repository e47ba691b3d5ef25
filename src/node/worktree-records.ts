import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../util/private-files.js";

/** A worktree this node created, as it remembers it (in its data dir, out of every agent's reach). */
export interface WorktreeRecord {
  path: string;
  /** The branch agenthub created for it (`agenthub/<slug>`). */
  branch: string;
  /** The source repository's real path. */
  repo: string;
  /** The commit the branch was created at. */
  base: string;
  /** The agent it was created for. */
  agent_id: string;
  created_at: number;
  /** When its agent last stopped (or a sweep first found it without a live agent); null before that. */
  released_at: number | null;
}

/** `<dataDir>/worktrees/<slug>.json`: one record per worktree this node created and has not removed. */
export class WorktreeRecords {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "worktrees");
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  }

  /** Writes (or replaces) a record; a crash mid-write leaves the old one (write, then rename). */
  put(rec: WorktreeRecord): void {
    const file = this.file(rec.path);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(rec)}\n`, { mode: PRIVATE_FILE_MODE });
    renameSync(`${file}.tmp`, file);
  }

  delete(path: string): void {
    rmSync(this.file(path), { force: true });
  }

  get(path: string): WorktreeRecord | undefined {
    return this.list().find((r) => r.path === path);
  }

  /** Every record, oldest first; an unreadable one is skipped (and left for a person to look at). */
  list(): WorktreeRecord[] {
    const out: WorktreeRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".json")) continue;
      try {
        const rec = JSON.parse(readFileSync(join(this.dir, name), "utf8")) as WorktreeRecord;
        if (typeof rec.path === "string" && typeof rec.repo === "string") out.push(rec);
      } catch {
        // a torn or foreign file: not ours to act on
      }
    }
    return out.sort((a, b) => a.created_at - b.created_at);
  }

  /** Worktree paths end in a unique `<slug>-<rand>` under the root: the file is named after it. */
  private file(path: string): string {
    return join(this.dir, `${basename(path)}.json`);
  }
}
