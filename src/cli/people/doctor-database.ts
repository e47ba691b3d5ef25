import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Config } from "../../config/config-schema.js";
import { MIGRATIONS } from "../../store/migrations.js";
import { type CheckResult, fail, ok } from "./doctor-check.js";

/** The database: readable, its schema version one this agenthub knows, its quick integrity check clean. */
export function checkDatabase(config: Config): CheckResult {
  const path = join(config.home, "agenthub.db");
  if (!existsSync(path))
    return ok("database", `${path} not created yet: the hub creates it at its first start`);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 3000");
    const version = db.pragma("user_version", { simple: true }) as number;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version > latest) {
      return fail(
        "database",
        `${path} is at schema version ${version}, newer than this agenthub (${latest})`,
        "upgrade agenthub, or restore a backup",
      );
    }
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") {
      return fail(
        "database",
        `${path} fails its integrity check: ${String(check)}`,
        "stop the hub and restore a backup",
      );
    }
    if ((statSync(path).mode & 0o077) !== 0) {
      return fail(
        "database",
        `${path} is readable by others`,
        `chmod 600 ${path} (the hub also fixes it at start)`,
      );
    }
    const pending = version < latest ? `; ${latest - version} migration(s) run at the next start` : "";
    return ok("database", `${path}: schema version ${version}, integrity ok${pending}`);
  } catch (err) {
    return fail(
      "database",
      `${path} cannot be opened: ${(err as Error).message}`,
      "check the file and its folder's permissions, or restore a backup",
    );
  } finally {
    db?.close();
  }
}
