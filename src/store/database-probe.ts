import type { Database } from "./database.js";
import { MIGRATIONS } from "./migrations.js";

export interface SchemaState {
  /** The schema version the database is at (`PRAGMA user_version`). */
  version: number;
  /** The latest migration this build knows. */
  latest: number;
}

/** The latest schema version this build's migrations make. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Where the database's schema stands against this build's migrations. */
export function schemaState(db: Database): SchemaState {
  return { version: db.pragma("user_version", { simple: true }) as number, latest: LATEST_SCHEMA_VERSION };
}

/**
 * Proves the database takes writes: in a write transaction (it takes the write lock) the header's
 * user_version is written with its own value, then the transaction rolls back, so nothing changes
 * and no prepared statement is invalidated. Throws SQLite's error (read-only, locked, closed, disk)
 * when it cannot.
 */
export function probeWritable(db: Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  db.exec("BEGIN IMMEDIATE");
  try {
    db.pragma(`user_version = ${version}`);
  } finally {
    db.exec("ROLLBACK");
  }
}
