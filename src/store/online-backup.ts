import BetterSqlite3 from "better-sqlite3";
import { MIGRATIONS } from "./migrations.js";

/** Pages copied per step while nothing else writes (4 MiB at SQLite's default 4 KiB page size). */
const STEP_PAGES = 1024;
/** better-sqlite3's largest step: the whole rest of the database in one step. */
const ALL_PAGES = 0x7fffffff;

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
  /** The source changed since the previous step, so SQLite started the copy over. */
  restarted: boolean;
}

export interface DatabaseBackupResult {
  totalPages: number;
  /** How often writes of other connections made SQLite start the copy over. */
  restarts: number;
}

/**
 * Copies the live database at `source` to `dest` (a new file) with SQLite's online backup API, while
 * other processes (the hub) keep reading and writing it: the copy is one consistent snapshot (WAL
 * readers never block writers). Writes of other connections between two steps make SQLite start over;
 * after the first such restart the rest is copied in a single step, so a busy hub cannot starve the
 * backup. `onProgress` is called after each step that leaves pages to copy.
 */
export async function backupDatabase(
  source: string,
  dest: string,
  onProgress: (p: BackupProgress) => void = () => {},
): Promise<DatabaseBackupResult> {
  // Read-write but never written: a read-only connection cannot open a WAL database whose -shm is gone.
  const db = new BetterSqlite3(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    let last = Number.POSITIVE_INFINITY;
    let restarts = 0;
    let oneStep = false;
    const r = await db.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        // Each step moves `remaining` down; no progress means SQLite started over (or the source grew).
        const restarted = Number.isFinite(last) && remainingPages >= last;
        last = remainingPages;
        if (restarted) {
          restarts++;
          oneStep = true;
        }
        onProgress({ totalPages, remainingPages, restarted });
        return oneStep ? ALL_PAGES : STEP_PAGES;
      },
    });
    return { totalPages: r.totalPages, restarts };
  } finally {
    db.close();
  }
}

/** What a database file holds, checked: for a backup's manifest and a restore's summary. */
export interface DatabaseInspection {
  /** `PRAGMA integrity_check` said "ok". */
  integrityOk: boolean;
  /** Its first problems otherwise. */
  problems: string[];
  schemaVersion: number;
  /** The newest schema version this agenthub knows. */
  knownSchemaVersion: number;
  pageCount: number;
  pageSize: number;
  counts: { users: number; teams: number; runs: number; agents: number };
}

function countRows(db: BetterSqlite3.Database, table: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return 0;
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/**
 * Opens a copy (never the live database), makes it a self-contained rollback-journal file (no -wal
 * beside it), and checks it: integrity, schema version, row counts.
 */
export function inspectDatabaseCopy(path: string): DatabaseInspection {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
    const rows = db.pragma("integrity_check(10)") as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((t) => t !== "ok");
    return {
      integrityOk: problems.length === 0,
      problems,
      schemaVersion: db.pragma("user_version", { simple: true }) as number,
      knownSchemaVersion: MIGRATIONS.at(-1)?.version ?? 0,
      pageCount: db.pragma("page_count", { simple: true }) as number,
      pageSize: db.pragma("page_size", { simple: true }) as number,
      counts: {
        users: countRows(db, "users"),
        teams: countRows(db, "teams"),
        runs: countRows(db, "runs"),
        agents: countRows(db, "agents"),
      },
    };
  } finally {
    db.close();
  }
}
