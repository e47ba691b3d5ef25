import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  classifyConstraint,
  isConstraintViolation,
  StoreConstraintError,
} from "../../src/store/constraint-error.js";
import { type Database, openDatabase } from "../../src/store/database.js";

let db: Database;
beforeEach(() => {
  db = openDatabase(":memory:");
  db.exec(`
    INSERT INTO users (id, username, password_hash, is_root, created_at) VALUES ('u1', 'root', 'h', 1, 0);
    INSERT INTO teams (id, owner_id, name, spec_json, version, created_at, updated_at) VALUES ('t1', 'u1', 'alpha', '{}', 1, 0, 0);
    INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, idempotency_key, created_at, updated_at)
      VALUES ('r1', 't1', 'u1', 'submitted', '{}', '{}', 'k1', 0, 0);
  `);
});
afterEach(() => db.close());

function thrown(sql: string): unknown {
  try {
    db.exec(sql);
  } catch (err) {
    return err;
  }
  throw new Error(`expected a failure from: ${sql}`);
}

const TEAM = (id: string, name: string | null, owner = "u1") =>
  `INSERT INTO teams (id, owner_id, name, spec_json, version, created_at, updated_at)
   VALUES ('${id}', '${owner}', ${name === null ? "NULL" : `'${name}'`}, '{}', 1, 0, 0)`;

describe("classifyConstraint", () => {
  it("classifies a unique violation with its table and column", () => {
    const c = classifyConstraint(thrown(TEAM("t2", "alpha")));
    expect(c).toBeInstanceOf(StoreConstraintError);
    expect(c).toMatchObject({
      kind: "unique",
      code: "SQLITE_CONSTRAINT_UNIQUE",
      primaryKey: false,
      table: "teams",
      column: "name",
      columns: ["name"],
    });
    expect(c?.cause).toBeInstanceOf(BetterSqlite3.SqliteError);
  });

  it("a primary key collision is a unique violation on the key", () => {
    const c = classifyConstraint(thrown(TEAM("t1", "other")));
    expect(c).toMatchObject({ kind: "unique", primaryKey: true, table: "teams", column: "id" });
  });

  it("a composite unique index names all its columns", () => {
    const c = classifyConstraint(
      thrown(`INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, idempotency_key, created_at, updated_at)
              VALUES ('r2', 't1', 'u1', 'submitted', '{}', '{}', 'k1', 0, 0)`),
    );
    expect(c).toMatchObject({ kind: "unique", table: "runs", columns: ["team_id", "idempotency_key"] });
    expect(isConstraintViolation(c, "unique", { table: "runs", column: "idempotency_key" })).toBe(true);
  });

  it("classifies not-null, foreign key and check violations", () => {
    expect(classifyConstraint(thrown(TEAM("t3", null)))).toMatchObject({
      kind: "not_null",
      table: "teams",
      column: "name",
    });
    const fk = classifyConstraint(thrown(TEAM("t4", "beta", "ghost")));
    expect(fk).toMatchObject({ kind: "foreign_key", table: undefined, columns: [] });
    const check = classifyConstraint(thrown("UPDATE runs SET status = 'bogus'"));
    expect(check).toMatchObject({
      kind: "check",
      code: "SQLITE_CONSTRAINT_CHECK",
      table: "runs",
      column: "status",
      constraint: "runs.status",
    });
  });

  it("classifies by SQLite's code, never the message text", () => {
    const forged = new BetterSqlite3.SqliteError(
      "UNIQUE constraint failed: teams.name",
      "SQLITE_CONSTRAINT_CHECK",
    );
    expect(classifyConstraint(forged)?.kind).toBe("check");
    const trigger = new BetterSqlite3.SqliteError("raised by a trigger", "SQLITE_CONSTRAINT_TRIGGER");
    expect(classifyConstraint(trigger)).toMatchObject({ kind: "other", table: undefined, columns: [] });
    const index = new BetterSqlite3.SqliteError(
      "UNIQUE constraint failed: index 'users_one_root'",
      "SQLITE_CONSTRAINT_UNIQUE",
    );
    expect(classifyConstraint(index)).toMatchObject({ kind: "unique", constraint: "users_one_root" });
  });

  it("is undefined for anything that is not a constraint violation", () => {
    expect(classifyConstraint(thrown("SELECT * FROM no_such_table"))).toBeUndefined();
    expect(classifyConstraint(new Error("UNIQUE constraint failed: teams.name"))).toBeUndefined();
    expect(classifyConstraint({ code: "SQLITE_CONSTRAINT_UNIQUE" })).toBeUndefined();
    expect(classifyConstraint(undefined)).toBeUndefined();
    expect(isConstraintViolation(new Error("x"), "unique")).toBe(false);
  });

  it("isConstraintViolation matches kind, table and column", () => {
    const err = thrown(TEAM("t2", "alpha"));
    expect(isConstraintViolation(err, "unique")).toBe(true);
    expect(isConstraintViolation(err, "unique", { table: "teams" })).toBe(true);
    expect(isConstraintViolation(err, "unique", { table: "teams", column: "name" })).toBe(true);
    expect(isConstraintViolation(err, "unique", { table: "runs" })).toBe(false);
    expect(isConstraintViolation(err, "unique", { column: "id" })).toBe(false);
    expect(isConstraintViolation(err, "check")).toBe(false);
    // Already classified errors pass through unchanged.
    const c = classifyConstraint(err)!;
    expect(classifyConstraint(c)).toBe(c);
  });
});
