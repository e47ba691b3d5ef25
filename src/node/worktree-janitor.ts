import { existsSync, readdirSync } from "node:fs";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { Worktree } from "./worktree.js";
import { type WorktreeRecord, WorktreeRecords } from "./worktree-records.js";
import { removeWorktree, type WorktreeRemoval } from "./worktree-removal.js";
import { measureWorktrees, type WorktreeUsage } from "./worktree-usage.js";

export type { WorktreeRemoval } from "./worktree-removal.js";
export type { WorktreeUsage } from "./worktree-usage.js";

export interface WorktreeJanitorOptions {
  /** The worktree root this node creates worktrees in. */
  root: string;
  /** The node's data dir: records live in `<dataDir>/worktrees`. */
  dataDir: string;
  /** How long a worktree stays after its agent stopped (`[worktree] retention_days`). */
  retentionMs: number;
  clock: Clock;
  logger?: Logger | undefined;
  /** The worktree paths live agents work in now: never removed. */
  inUse: () => ReadonlySet<string>;
}

/** What one sweep did. */
export interface SweepResult {
  removed: WorktreeRemoval[];
  kept: WorktreeRemoval[];
}

/** Sweeps run at least hourly, and often enough for a short retention (but not more than once a minute). */
const MAX_SWEEP_INTERVAL_MS = 3_600_000;
const MIN_SWEEP_INTERVAL_MS = 60_000;
/** The measured bytes are redone when older than this (or after a worktree came or went). */
const USAGE_MAX_AGE_MS = 60_000;

/**
 * The worktrees a node created: it records each (agent, branch, base) in the node's data dir, removes
 * an agent's on request (the hub asks when a member is removed or its team deleted), and sweeps at
 * start and periodically: a worktree whose agent stopped more than the retention ago is removed, one
 * whose directory is gone has its admin dir pruned. Work is never dropped without `force`
 * (removeWorktree says what was kept and why; kept ones are logged at warn). Operations run one at a time.
 */
export class WorktreeJanitor {
  private readonly records: WorktreeRecords;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private measured: { usage: WorktreeUsage; at: number } | undefined;
  private measuring: Promise<void> | undefined;
  private changed = true;

  constructor(private readonly o: WorktreeJanitorOptions) {
    this.records = new WorktreeRecords(o.dataDir);
  }

  /** Remembers a worktree just created for `agentId`. */
  track(wt: Worktree, agentId: string): void {
    this.records.put({ ...wt, agent_id: agentId, created_at: this.o.clock.now(), released_at: null });
    this.changed = true;
  }

  /** Its agent stopped: the retention period starts now (also when a sweep had stamped it earlier). */
  release(path: string): void {
    const rec = this.records.get(path);
    if (rec) this.records.put({ ...rec, released_at: this.o.clock.now() });
  }

  /** Removes every worktree created for `agentId` (one per start); a running agent's stays. */
  removeForAgent(agentId: string, force: boolean): Promise<WorktreeRemoval[]> {
    return this.serialize(async () => {
      const inUse = this.o.inUse();
      const out: WorktreeRemoval[] = [];
      for (const rec of this.records.list().filter((r) => r.agent_id === agentId)) {
        if (inUse.has(rec.path)) {
          out.push({
            path: rec.path,
            branch: rec.branch,
            removed: false,
            kept_reason: "its agent is running",
            branch_deleted: false,
          });
          continue;
        }
        out.push(await this.remove(rec, force, force ? "forced" : "requested"));
      }
      return out;
    });
  }

  /** One sweep (at start, then every interval): see the class comment. */
  sweep(): Promise<SweepResult> {
    return this.serialize(async () => {
      const result: SweepResult = { removed: [], kept: [] };
      const inUse = this.o.inUse();
      const now = this.o.clock.now();
      for (const rec of this.records.list()) {
        if (inUse.has(rec.path)) continue;
        const gone = !existsSync(rec.path);
        if (!gone && rec.released_at === null) {
          // Its agent died with the process (no stop was recorded): the retention starts now.
          this.records.put({ ...rec, released_at: now });
          continue;
        }
        if (!gone && now - (rec.released_at ?? now) < this.o.retentionMs) continue;
        const r = await this.remove(rec, false, gone ? "directory gone" : "retention");
        (r.removed ? result.removed : result.kept).push(r);
      }
      return result;
    });
  }

  /** Worktree count now, and bytes as last measured (a new measurement starts when that is stale). */
  usage(): WorktreeUsage {
    const now = this.o.clock.now();
    if (!this.measuring && (this.changed || !this.measured || now - this.measured.at >= USAGE_MAX_AGE_MS)) {
      this.changed = false;
      this.measuring = measureWorktrees(this.o.root)
        .then((usage) => {
          this.measured = { usage, at: this.o.clock.now() };
        })
        .finally(() => {
          this.measuring = undefined;
        });
    }
    let count = 0;
    try {
      count = readdirSync(this.o.root, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
    } catch {
      // no root yet
    }
    return { count, bytes: this.measured?.usage.bytes ?? 0 };
  }

  /** Sweeps once now, then periodically (the timer does not keep the process alive). */
  async start(): Promise<void> {
    await this.sweep().catch((err: unknown) => {
      this.o.logger?.warn({ err: (err as Error).message }, "worktree sweep failed");
    });
    const every = Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(MIN_SWEEP_INTERVAL_MS, this.o.retentionMs));
    this.timer = setInterval(() => {
      void this.sweep().catch((err: unknown) => {
        this.o.logger?.warn({ err: (err as Error).message }, "worktree sweep failed");
      });
    }, every);
    this.timer.unref();
  }

  /** Stops the timer and waits for the operation under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => undefined);
    await this.measuring?.catch(() => undefined);
  }

  private async remove(rec: WorktreeRecord, force: boolean, why: string): Promise<WorktreeRemoval> {
    const r = await removeWorktree(rec, this.o.root, { force });
    const log = { path: rec.path, branch: rec.branch, repo: rec.repo, agent_id: rec.agent_id, why };
    if (r.removed) {
      this.records.delete(rec.path);
      this.changed = true;
      this.o.logger?.info(
        { ...log, branch_deleted: r.branch_deleted, branch_kept_reason: r.branch_kept_reason },
        "worktree removed",
      );
    } else {
      this.o.logger?.warn({ ...log, kept_reason: r.kept_reason }, "worktree kept");
    }
    return r;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
