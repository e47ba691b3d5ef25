import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/store/database.js";
import { type BackupProgress, backupDatabase, inspectDatabaseCopy } from "../../src/store/online-backup.js";
import { tempDir } from "../helpers/temp-dir.js";

// The online backup copies a database another connection keeps writing: the copy is consistent, holds
// every row committed before it began, and finishes even when every step sees new writes.

let dir: ReturnType<typeof tempDir>;
let db: Database;

beforeEach(() => {
  dir = tempDir("agenthub-backup-");
  db = openDatabase(join(dir.path, "agenthub.db"));
  db.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  // ~3000 pages of 4 KiB: several backup steps.
  const insert = db.prepare("INSERT INTO blobs (body) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(Buffer.alloc(3000, i % 251));
  })();
});

afterEach(() => {
  db.close();
  dir.cleanup();
});

function copiedIds(path: string): number[] {
  const copy = new BetterSqlite3(path, { readonly: true });
  try {
    return (copy.prepare("SELECT id FROM blobs ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  } finally {
    copy.close();
  }
}

describe("backupDatabase", () => {
  it("copies a quiet database in steps, reporting progress, and the copy checks out", async () => {
    const seen: BackupProgress[] = [];
    const dest = join(dir.path, "copy.db");
    const r = await backupDatabase(join(dir.path, "agenthub.db"), dest, (p) => seen.push(p));
    expect(r.restarts).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((p) => !p.restarted)).toBe(true);
    // Remaining pages only go down.
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.remainingPages).toBeLessThan(seen[i - 1]!.remainingPages);
    const inspected = inspectDatabaseCopy(dest);
    expect(inspected).toMatchObject({ integrityOk: true, problems: [] });
    expect(inspected.schemaVersion).toBe(inspected.knownSchemaVersion);
    expect(copiedIds(dest)).toHaveLength(3000);
  });

  it("finishes while another connection writes between every step, with every row committed before it began", async () => {
    const before = (db.prepare("SELECT id FROM blobs").all() as { id: number }[]).map((r) => r.id);
    // The hub's writes: a separate connection (its own process in production) commits after each step.
    const writer = new BetterSqlite3(join(dir.path, "agenthub.db"));
    const insert = writer.prepare("INSERT INTO blobs (body) VALUES (?)");
    const seen: BackupProgress[] = [];
    const dest = join(dir.path, "copy.db");
    try {
      const r = await backupDatabase(join(dir.path, "agenthub.db"), dest, (p) => {
        seen.push(p);
        insert.run(Buffer.from("written during the backup"));
      });
      expect(r.restarts).toBeGreaterThanOrEqual(1);
      expect(seen.some((p) => p.restarted)).toBe(true);
    } finally {
      writer.close();
    }
    expect(inspectDatabaseCopy(dest).integrityOk).toBe(true);
    const ids = new Set(copiedIds(dest));
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
  });
});
