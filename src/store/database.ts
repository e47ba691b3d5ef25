import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { OperatorError } from "../errors/operator-error.js";
import { ensurePrivateFileSync, makeFilePrivateIfExists } from "../util/private-files.js";
import { MIGRATIONS, type Migration } from "./migrations.js";

export type Database = BetterSqlite3.Database;

/** Existing data stops a migration: the upgrade is refused and nothing is changed. */
export class MigrationRefusedError extends OperatorError {
  constructor(path: string, m: Migration, problems: readonly string[]) {
    super(
      `cannot upgrade database ${path} to schema version ${m.version} (${m.name}): ${problems.join("; ")}. ` +
        "Nothing was changed: correct or delete those rows (e.g. with the sqlite3 shell, hub stopped) " +
        "or restore a backup, then start again.",
    );
    this.name = "MigrationRefusedError";
  }
}

export class DatabaseTooNewError extends OperatorError {
  constructor(path: string, found: number, known: number) {
    super(
      `database ${path} is at schema version ${found}, but this agenthub knows only up to ${known}: ` +
        "it was written by a newer agenthub. Upgrade agenthub (or restore a backup); nothing was changed.",
    );
    this.name = "DatabaseTooNewError";
  }
}

/**
 * Opens the database with the project's durability settings (WAL, synchronous=FULL so an acknowledged
 * write survives power loss, foreign keys, busy timeout) and applies pending migrations. The file is
 * owner-only (0600, in a 0700 folder) before SQLite opens it: SQLite gives the -wal and -shm files it
 * creates the database file's mode, and existing ones are fixed once WAL mode is on.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Database {
  const onDisk = path !== ":memory:";
  if (onDisk) {
    // A folder made here is 0700; an existing one is the caller's (the hub secures its data dir).
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    ensurePrivateFileSync(path);
  }
  const db = new BetterSqlite3(path);
  try {
    db.pragma("journal_mode = WAL");
    if (onDisk) for (const suffix of ["-wal", "-shm"]) makeFilePrivateIfExists(`${path}${suffix}`);
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    migrate(db, path, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Database, path: string, migrations: readonly Migration[]): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(path, current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    // Only outside a transaction does this pragma take effect.
    if (m.rebuildsTables) db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        const problems = m.precheck?.(db) ?? [];
        if (problems.length > 0) throw new MigrationRefusedError(path, m, problems);
        db.exec(m.sql);
        if (m.rebuildsTables) assertForeignKeysHold(db, path, m);
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (m.rebuildsTables) db.pragma("foreign_keys = ON");
    }
  }
}

/** After a rebuild with enforcement off: every reference still points at a row (else roll back). */
function assertForeignKeysHold(db: Database, path: string, m: Migration): void {
  const broken = db.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
  if (broken.length === 0) return;
  const named = broken
    .slice(0, 3)
    .map((b) => `${b.table} row rowid=${b.rowid} references a missing ${b.parent} row`);
  const more = broken.length > 3 ? ` (and ${broken.length - 3} more)` : "";
  throw new MigrationRefusedError(path, m, [`${named.join("; ")}${more}`]);
}
