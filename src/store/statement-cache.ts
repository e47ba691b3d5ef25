import type { Statement } from "better-sqlite3";
import type { Database } from "./database.js";

const caches = new WeakMap<Database, Map<string, Statement>>();

/** Prepares each SQL text once per database: repositories call this on hot paths (events, mailbox). */
export function prepareCached(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** `UPDATE table SET a = @a, …, updated_at = @now WHERE <where>` for the given fields. */
export function updateFields(
  db: Database,
  table: string,
  where: string,
  fields: object,
  params: Record<string, unknown>,
): number {
  const sets = Object.keys(fields).map((k) => `${k} = @${k}`);
  sets.push("updated_at = @now");
  return prepareCached(db, `UPDATE ${table} SET ${sets.join(", ")} WHERE ${where}`).run({
    ...fields,
    ...params,
  }).changes;
}
