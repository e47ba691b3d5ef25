import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from "node:fs";
import type { Database } from "./database.js";

/** fdatasync on the thread pool (injectable, so tests can count and hold syncs). */
export type SyncFile = (fd: number, done: (err: Error | null) => void) => void;

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
}

function waiters(): Waiters {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Group commit for the hub's database. Transactions commit without waiting for the disk
 * (`synchronous = NORMAL`: SQLite still syncs the WAL around checkpoints, so the file is never
 * corrupt), and their durability is one `fdatasync` of the WAL file, run on the thread pool and shared
 * by every commit made before it started. Whatever leaves the hub — a REST answer, an SSE frame, a gRPC
 * reply, a call to a node, a webhook — first waits for `durable()`, so nothing anyone was told can be
 * lost by a crash or a power cut (a crash loses only the newest commits, which nobody saw).
 *
 * Meanwhile the event loop keeps working: the commits of one turn (a run created, then its first step
 * claimed) and of concurrent requests share one sync instead of one each.
 */
export class GroupCommit {
  private readonly changes: () => number;
  /** `total_changes()` when the last completed sync started: every commit up to it is on disk. */
  private synced: number;
  /** A sync on the thread pool, and the changes it covers. */
  private inflight: { upTo: number; waiters: Waiters } | undefined;
  /** Waiting for the sync after the one in flight. */
  private next: Waiters | undefined;
  private scheduled = false;
  private fd: number | undefined;
  private fdIno = 0;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly walPath: string,
    private readonly syncFile: SyncFile = fdatasync,
  ) {
    // Everything so far (migrations) was committed under FULL: on disk already.
    db.pragma("synchronous = NORMAL");
    const stmt = db.prepare("SELECT total_changes()").pluck();
    this.changes = () => stmt.get() as number;
    this.synced = this.changes();
  }

  /**
   * Undefined when every commit made so far is on disk; else a promise of that. Inside a transaction
   * it waits for a sync after the transaction's end (its commit happens before the sync starts:
   * transactions are synchronous and syncs start on a later turn of the event loop).
   */
  durable(): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (!this.db.inTransaction) {
      const now = this.changes();
      if (now === this.synced) return undefined;
      if (this.inflight && now <= this.inflight.upTo) return this.inflight.waiters.promise;
    }
    this.next ??= waiters();
    this.schedule();
    return this.next.promise;
  }

  /** A final synchronous sync; the file is closed once any sync in flight returned. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.db.open && this.changes() !== this.synced) {
      // Its own descriptor: one a sync in flight still uses stays open until that sync returns.
      try {
        const fd = openSync(this.walPath, "r");
        try {
          fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
    const pending = this.next;
    this.next = undefined;
    pending?.resolve();
    if (!this.inflight) this.closeFd();
  }

  private schedule(): void {
    if (this.scheduled || this.inflight) return; // a returning sync starts the next one
    this.scheduled = true;
    // On the next turn: the commits of this one (and their callers' follow-ups) share the sync.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const batch = this.next;
    if (!batch || this.inflight || this.closed) return;
    this.next = undefined;
    const upTo = this.changes();
    const fd = this.walFd();
    if (fd === undefined) {
      // No WAL file: nothing was ever written through it.
      this.synced = upTo;
      batch.resolve();
      return;
    }
    this.inflight = { upTo, waiters: batch };
    this.syncFile(fd, (err) => {
      this.inflight = undefined;
      if (this.closed) this.closeFd();
      // Durability can no longer be promised (a failed fsync may have dropped dirty pages): fail loudly.
      if (err) throw err;
      this.synced = Math.max(this.synced, upTo);
      batch.resolve();
      if (this.next && !this.closed) this.schedule();
    });
  }

  /** The WAL file's descriptor, reopened if the file was replaced (it never is while the hub runs). */
  private walFd(): number | undefined {
    let ino: number;
    try {
      ino = statSync(this.walPath).ino;
    } catch {
      return undefined;
    }
    if (this.fd !== undefined && ino === this.fdIno) return this.fd;
    this.closeFd(); // only called with no sync in flight
    this.fd = openSync(this.walPath, "r");
    this.fdIno = fstatSync(this.fd).ino;
    return this.fd;
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
