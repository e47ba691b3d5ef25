import { fdatasync, fstatSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/store/database.js";
import { GroupCommit, type SyncFile } from "../../src/store/group-commit.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: ReturnType<typeof tempDir>;
let db: Database | undefined;
let commits: GroupCommit | undefined;
afterEach(() => {
  commits?.close();
  db?.close();
  dir.cleanup();
});

/** A real fdatasync that the test releases by hand, with the descriptors it was asked to sync. */
function heldSyncs() {
  const calls: { fd: number; release: () => void }[] = [];
  const sync: SyncFile = (fd, done) => {
    calls.push({ fd, release: () => fdatasync(fd, (err) => done(err)) });
  };
  return { calls, sync };
}

function open(sync?: SyncFile) {
  dir = tempDir();
  const path = join(dir.path, "hub.db");
  db = openDatabase(path);
  db.exec("CREATE TABLE t (v INTEGER)");
  commits = new GroupCommit(db, `${path}-wal`, sync);
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  return { path, insert: (v: number) => insert.run(v) };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe("GroupCommit", () => {
  it("commits without syncing (synchronous = NORMAL) and has nothing to wait for until something is written", () => {
    const { path } = open();
    expect(db!.pragma("synchronous", { simple: true })).toBe(1);
    expect(commits!.durable()).toBeUndefined();
    db!.exec("CREATE TABLE u (v INTEGER)"); // schema only: no row changed, nothing to wait for
    expect(commits!.durable()).toBeUndefined();
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
  });

  it("resolves a write's promise only after the WAL file was synced, and then nothing is left to wait for", async () => {
    const h = heldSyncs();
    const { path, insert } = open(h.sync);
    insert(1);
    const p = commits!.durable();
    expect(p).toBeInstanceOf(Promise);
    let done = false;
    void p!.then(() => {
      done = true;
    });
    await tick();
    expect(h.calls).toHaveLength(1);
    await tick();
    expect(done).toBe(false);
    // The descriptor synced is the WAL file's.
    expect(fstatSync(h.calls[0]!.fd).ino).toBe(statSync(`${path}-wal`).ino);
    h.calls[0]!.release();
    await p;
    expect(done).toBe(true);
    expect(commits!.durable()).toBeUndefined();
  });

  it("lets the commits of one turn share one sync, and those made during a sync wait for the next", async () => {
    const h = heldSyncs();
    const { insert } = open(h.sync);
    insert(1);
    const a = commits!.durable();
    insert(2);
    const b = commits!.durable();
    expect(b).toBe(a);
    await tick();
    expect(h.calls).toHaveLength(1);
    // Covered by the sync in flight (nothing new since it started): the same promise.
    expect(commits!.durable()).toBe(a);
    insert(3);
    const c = commits!.durable();
    expect(c).not.toBe(a);
    let cDone = false;
    void c!.then(() => {
      cDone = true;
    });
    h.calls[0]!.release();
    await a;
    expect(cDone).toBe(false);
    await tick();
    expect(h.calls).toHaveLength(2);
    h.calls[1]!.release();
    await c;
    expect(commits!.durable()).toBeUndefined();
  });

  it("inside a transaction waits for a sync that starts after the transaction committed", async () => {
    const h = heldSyncs();
    const { insert } = open(h.sync);
    let inside: Promise<void> | undefined;
    db!.transaction(() => {
      insert(1);
      inside = commits!.durable();
      insert(2);
    })();
    expect(inside).toBeInstanceOf(Promise);
    await tick();
    expect(h.calls).toHaveLength(1);
    h.calls[0]!.release();
    await inside;
    expect(commits!.durable()).toBeUndefined();
  });

  it("close syncs what is left and releases whoever still waits", async () => {
    const h = heldSyncs();
    const { insert } = open(h.sync);
    insert(1);
    const p = commits!.durable();
    commits!.close();
    await p;
    expect(commits!.durable()).toBeUndefined();
    expect(h.calls).toHaveLength(0);
  });
});
