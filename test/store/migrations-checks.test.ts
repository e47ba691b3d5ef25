import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/domain/mailbox-routing.js";
import { RUN_STATUSES } from "../../src/domain/run-state.js";
import { TASK_STATUSES } from "../../src/domain/task-state.js";
import { classifyConstraint } from "../../src/store/constraint-error.js";
import { type Database, MigrationRefusedError, openDatabase } from "../../src/store/database.js";
import { MIGRATIONS, STORED_VALUE_CHECKS_V6 } from "../../src/store/migrations.js";
import { tempDir } from "../helpers/temp-dir.js";

const CHECKS_VERSION = 6;
const BEFORE = MIGRATIONS.filter((m) => m.version < CHECKS_VERSION);

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.cleanup();
  dir = undefined;
});

function dbPath(name: string): string {
  dir ??= tempDir();
  return join(dir.path, name);
}

/** One or more rows in every table (valid values), written with the schema before the checks. */
function seed(db: Database): void {
  const t = 1_700_000_000_000;
  db.exec(`
    INSERT INTO users (id, username, password_hash, is_root, created_at) VALUES ('u1', 'root', 'h', 1, ${t});
    INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('s1', 'u1', ${t}, ${t + 1});
    INSERT INTO teams (id, owner_id, name, spec_json, version, created_at, updated_at, runtime_status)
      VALUES ('team1', 'u1', 'alpha', '{"members":[]}', 3, ${t}, ${t + 5}, 'started'),
             ('team2', 'u1', 'beta', '{}', 1, ${t}, ${t}, 'stopped');
    INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, idempotency_key, attempt,
        error_code, error_message, created_at, updated_at, finished_at, request_hash)
      VALUES ('run2', 'team1', 'u1', 'failed', '{"x":1}', '{}', 'key-1', 2, 'E', 'boom', ${t + 1}, ${t + 2}, ${t + 3}, 'hash'),
             ('run1', 'team1', 'u1', 'working', '{}', '{}', NULL, 1, NULL, NULL, ${t}, ${t}, NULL, NULL),
             ('run3', 'team2', 'u1', 'awaiting_review', '{}', '{}', NULL, 1, NULL, NULL, ${t}, ${t}, NULL, NULL);
    INSERT INTO steps (run_id, step_key, member_id, depends_on_json, prompt, input_json, timeout_seconds, position,
        status, attempt, output, created_at, updated_at, started_at)
      VALUES ('run1', 'b', 'm2', '["a"]', 'second', NULL, 30, 1, 'submitted', 1, NULL, ${t}, ${t}, NULL),
             ('run1', 'a', 'm1', '[]', 'first', '{"k":"v"}', NULL, 0, 'completed', 2, 'done', ${t}, ${t}, ${t});
    INSERT INTO step_attempts (run_id, step_key, attempt, status, output, started_at, finished_at)
      VALUES ('run1', 'a', 1, 'canceled', NULL, ${t}, ${t + 1});
    INSERT INTO run_events (run_id, seq, kind, step_key, data_json, created_at)
      VALUES ('run1', 1, 'run.created', NULL, '{}', ${t}), ('run1', 2, 'step.dispatched', 'a', '{}', ${t});
    INSERT INTO tasks (id, team_id, title, status, assigned_member_id, priority, context_json, created_by, created_at, updated_at)
      VALUES ('task1', 'team1', 'do it', 'in_review', 'm1', 2, '{"a":[1]}', 'human:root', ${t}, ${t});
    INSERT INTO conversations (id, task_id, created_at) VALUES ('conv1', 'task1', ${t});
    INSERT INTO conversation_messages (id, conversation_id, seq, from_actor_id, route, to_actor_id, payload_json, created_at)
      VALUES ('cm1', 'conv1', 1, 'm1', 'to_member', 'm2', '"hi"', ${t});
    INSERT INTO mailbox_messages (id, run_id, seq, from_actor_id, route, to_actor_id, kind, payload_json, idempotency_key, created_at)
      VALUES ('mm1', 'run1', 1, 'human:root', 'broadcast', NULL, 'message', '{"text":"x"}', 'k', ${t}),
             ('mm2', 'run1', 2, 'm1', 'to_leader', NULL, 'permission_review', 'null', NULL, ${t});
    INSERT INTO mailbox_deliveries (message_id, run_id, recipient_id, seq, status, delivered_at, acked_at)
      VALUES ('mm1', 'run1', 'm2', 1, 'acked', ${t}, ${t}), ('mm1', 'run1', 'm1', 1, 'pending', NULL, NULL),
             ('mm2', 'run1', 'm1', 2, 'delivered', ${t}, NULL);
    INSERT INTO agent_nodes (id, name, grpc_target, status, probe_latency_ms, event_cursor, created_at, updated_at)
      VALUES ('node-b', 'b', 'https://b:1', 'offline', 1.25, 7, ${t}, ${t});
    INSERT INTO agents (id, owner_id, name, node_id, spec_json, status, workdir, team_id, member_id, last_event_seq, created_at, updated_at)
      VALUES ('agent1', 'u1', 'one', 'main', '{}', 'idle', '/w', 'team1', 'm1', 4, ${t}, ${t}),
             ('agent2', 'u1', 'two', 'node-b', '{}', 'created', NULL, NULL, NULL, 0, ${t}, ${t});
    INSERT INTO agent_events (agent_id, seq, kind, data_json, created_at) VALUES ('agent1', 1, 'status', '{"state":"idle"}', ${t});
    INSERT INTO permission_requests (id, agent_id, node_request_id, run_id, step_key, requester_member_id, reviewer,
        tool_call_json, options_json, status, outcome_json, decided_by, decided_at, created_at)
      VALUES ('perm2', 'agent1', 'r2', 'run1', 'a', 'm1', 'm2', '{}', '[]', 'pending', NULL, NULL, NULL, ${t}),
             ('perm1', 'agent1', 'r1', NULL, NULL, NULL, NULL, '{}', '[]', 'resolved', '{"o":1}', 'node', ${t}, ${t});
  `);
  // A deleted row leaves a rowid gap: the copy must keep rowids, not renumber.
  db.exec("DELETE FROM runs WHERE id = 'run3'");
}

function tables(db: Database): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
}

function withoutRowid(db: Database, table: string): boolean {
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(table) as { sql: string }).sql;
  return /WITHOUT ROWID\s*$/i.test(sql);
}

/** Every row of every table, rowids included (some reads order by rowid). */
function snapshotData(db: Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables(db)) {
    out[t] = withoutRowid(db, t)
      ? db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()
      : db.prepare(`SELECT rowid AS _rowid, * FROM ${t} ORDER BY rowid`).all();
  }
  return out;
}

/** Columns (with types, defaults, keys), indexes (with their columns and partial clauses) and foreign keys. */
function snapshotSchema(db: Database): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of tables(db)) {
    const indexes = (db.pragma(`index_list(${t})`) as { name: string; unique: number; origin: string }[])
      .map((i) => ({
        name: i.name,
        unique: i.unique,
        origin: i.origin,
        columns: (db.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name),
        // WITHOUT ROWID tables' primary key index has no sqlite_master row.
        sql:
          (
            db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(i.name) as { sql: string | null }
          )?.sql?.replace(/\s+/g, " ") ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    out[t] = {
      columns: db.pragma(`table_xinfo(${t})`),
      indexes,
      foreignKeys: db.pragma(`foreign_key_list(${t})`),
    };
  }
  return out;
}

describe("migration 6: CHECK constraints on stored statuses", () => {
  it("keeps the vocabularies the code writes", () => {
    const values = (table: string, column: string) =>
      STORED_VALUE_CHECKS_V6.find((c) => c.table === table && c.column === column)?.values;
    for (const t of ["runs", "steps", "step_attempts"]) expect(values(t, "status")).toEqual(RUN_STATUSES);
    expect(values("tasks", "status")).toEqual(TASK_STATUSES);
    expect(values("mailbox_messages", "route")).toEqual(ROUTES);
    expect(values("conversation_messages", "route")).toEqual(ROUTES);
  });

  it("refuses a bad status in every checked column, naming table and column", () => {
    const db = openDatabase(dbPath("fresh.db"), BEFORE);
    seed(db);
    db.close();
    const migrated = openDatabase(dbPath("fresh.db"));
    try {
      for (const c of STORED_VALUE_CHECKS_V6) {
        let caught: unknown;
        try {
          migrated.prepare(`UPDATE ${c.table} SET ${c.column} = 'bogus'`).run();
        } catch (err) {
          caught = err;
        }
        expect(caught, `${c.table}.${c.column}`).toBeDefined();
        const v = classifyConstraint(caught);
        expect(v?.kind).toBe("check");
        expect([v?.table, v?.column]).toEqual([c.table, c.column]);
        // Every allowed value is still accepted.
        const one = migrated.prepare(`SELECT rowid FROM ${c.table} LIMIT 1`).get() as { rowid: number };
        for (const value of c.values) {
          migrated.prepare(`UPDATE ${c.table} SET ${c.column} = ? WHERE rowid = ?`).run(value, one.rowid);
        }
      }
      expect(() =>
        migrated
          .prepare(
            `INSERT INTO runs (id, team_id, owner_id, status, input_json, spec_json, created_at, updated_at)
             VALUES ('r9', 'team1', 'u1', 'running', '{}', '{}', 0, 0)`,
          )
          .run(),
      ).toThrow(/CHECK constraint failed: runs\.status/);
    } finally {
      migrated.close();
    }
  });

  it("preserves every row, rowid, column, index and foreign key of the database it upgrades", () => {
    const path = dbPath("upgrade.db");
    const old = openDatabase(path, BEFORE);
    seed(old);
    const dataBefore = snapshotData(old);
    const schemaBefore = snapshotSchema(old);
    expect(old.pragma("user_version", { simple: true })).toBe(CHECKS_VERSION - 1);
    old.close();

    // Up to migration 6 only: later migrations may change the schema again.
    const db = openDatabase(
      path,
      MIGRATIONS.filter((m) => m.version <= CHECKS_VERSION),
    );
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(CHECKS_VERSION);
      expect(snapshotData(db)).toEqual(dataBefore);
      expect(snapshotSchema(db)).toEqual(schemaBefore);
      for (const c of STORED_VALUE_CHECKS_V6) {
        const sql = (
          db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(c.table) as { sql: string }
        ).sql;
        expect(sql).toContain(`CONSTRAINT "${c.table}.${c.column}" CHECK`);
      }
      expect(tables(db).filter((t) => t.endsWith("__v6"))).toEqual([]);
      // Enforcement is back on and the rebuilt tables' references still cascade.
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      db.prepare("DELETE FROM teams WHERE id = 'team1'").run();
      for (const t of ["runs", "steps", "step_attempts", "run_events", "tasks", "conversation_messages"]) {
        expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get(), t).toEqual({ n: 0 });
      }
      expect(db.prepare("SELECT COUNT(*) AS n FROM mailbox_deliveries").get()).toEqual({ n: 0 });
      db.prepare("DELETE FROM agents WHERE id = 'agent1'").run();
      expect(db.prepare("SELECT COUNT(*) AS n FROM permission_requests").get()).toEqual({ n: 0 });
      expect(() =>
        db
          .prepare(
            `INSERT INTO steps (run_id, step_key, member_id, depends_on_json, position, status, created_at, updated_at)
             VALUES ('nope', 'a', 'm', '[]', 0, 'submitted', 0, 0)`,
          )
          .run(),
      ).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" }));
    } finally {
      db.close();
    }
  });

  it("refuses to upgrade a database holding a value outside the vocabulary, naming the rows, and changes nothing", () => {
    const path = dbPath("bad.db");
    const old = openDatabase(path, BEFORE);
    seed(old);
    old.exec(`
      UPDATE runs SET status = 'running' WHERE id = 'run1';
      UPDATE agents SET status = 'zombie';
      UPDATE mailbox_deliveries SET status = 'read' WHERE recipient_id = 'm1';
    `);
    const dataBefore = snapshotData(old);
    const schemaBefore = snapshotSchema(old);
    old.close();

    let caught: unknown;
    try {
      openDatabase(path).close();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MigrationRefusedError);
    const message = (caught as Error).message;
    expect(message).toContain(`cannot upgrade database ${path} to schema version ${CHECKS_VERSION}`);
    expect(message).toContain('runs row id="run1" has status "running"');
    expect(message).toContain("allowed status values: submitted, working, input_required");
    expect(message).toContain('agents row id="agent1" has status "zombie"; agents row id="agent2"');
    expect(message).toContain('mailbox_deliveries row message_id="mm1" recipient_id="m1" has status "read"');
    expect(message).toContain("Nothing was changed");
    expect(message).not.toContain("\n");

    const db = openDatabase(path, BEFORE);
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(CHECKS_VERSION - 1);
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(snapshotData(db)).toEqual(dataBefore);
      expect(snapshotSchema(db)).toEqual(schemaBefore);
    } finally {
      db.close();
    }
  });

  it("names how many more rows are wrong when there are many", () => {
    const path = dbPath("many.db");
    const old = openDatabase(path, BEFORE);
    seed(old);
    const insert = old.prepare(
      "INSERT INTO tasks (id, team_id, title, status, created_by, created_at, updated_at) VALUES (?, 'team1', 't', 'todo', 'x', 0, 0)",
    );
    for (let i = 0; i < 10; i++) insert.run(`t${i}`);
    old.close();
    expect(() => openDatabase(path)).toThrow(
      /tasks row id="t\d" has status "todo".*\(and 7 more such rows\)/,
    );
  });
});
