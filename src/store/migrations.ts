import type { Database } from "./database.js";

/**
 * Numbered schema migrations. `PRAGMA user_version` records the last one applied; never edit a
 * released migration, append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds tables (SQLite cannot add a constraint to a column): it runs with foreign
   * key enforcement off, as SQLite's table-rebuild procedure requires (with it on, dropping the old
   * table would cascade-delete its children's rows), and every foreign key is checked before commit.
   */
  rebuildsTables?: boolean;
  /**
   * Runs in the migration's transaction before `sql`: what existing data would stop the migration,
   * one sentence per problem. Any problem refuses the upgrade (MigrationRefusedError), changing nothing.
   */
  precheck?: (db: Database) => string[];
}

/**
 * A column whose stored values migration 6 restricts with a CHECK constraint named `"table.column"`
 * (so a refused write says which column it broke). `key` names a row in messages.
 */
export interface StoredValueCheck {
  table: string;
  column: string;
  values: readonly string[];
  key: readonly string[];
}

// The vocabularies as of migration 6, written out: a released migration never changes, so it does not
// import the domain's lists (test/store/migrations-checks.test.ts keeps them equal). A new value needs
// a new migration that rebuilds the table again.
const RUN_STATUSES_V6 = [
  "submitted",
  "working",
  "input_required",
  "awaiting_review",
  "completed",
  "failed",
  "canceled",
] as const;
const TASK_STATUSES_V6 = ["open", "in_progress", "in_review", "completed", "canceled"] as const;
const ROUTES_V6 = ["broadcast", "to_leader", "to_member"] as const;
const AGENT_STATUSES_V6 = [
  "created",
  "starting",
  "running",
  "idle",
  "busy",
  "exited",
  "failed",
  "stopped",
] as const;

/**
 * Stored statuses and kinds migration 6 checks. Event kinds (`run_events`, `agent_events`) are open
 * vocabularies (nodes report agent event kinds; run event kinds grow with features) and those are the
 * largest tables, so they are not rebuilt.
 */
export const STORED_VALUE_CHECKS_V6: readonly StoredValueCheck[] = [
  { table: "teams", column: "runtime_status", values: ["started", "stopped"], key: ["id"] },
  { table: "runs", column: "status", values: RUN_STATUSES_V6, key: ["id"] },
  { table: "steps", column: "status", values: RUN_STATUSES_V6, key: ["run_id", "step_key"] },
  {
    table: "step_attempts",
    column: "status",
    values: RUN_STATUSES_V6,
    key: ["run_id", "step_key", "attempt"],
  },
  { table: "tasks", column: "status", values: TASK_STATUSES_V6, key: ["id"] },
  { table: "conversation_messages", column: "route", values: ROUTES_V6, key: ["id"] },
  { table: "mailbox_messages", column: "route", values: ROUTES_V6, key: ["id"] },
  { table: "mailbox_messages", column: "kind", values: ["message", "permission_review"], key: ["id"] },
  {
    table: "mailbox_deliveries",
    column: "status",
    values: ["pending", "delivered", "acked"],
    key: ["message_id", "recipient_id"],
  },
  { table: "agent_nodes", column: "status", values: ["online", "offline"], key: ["id"] },
  { table: "agents", column: "status", values: AGENT_STATUSES_V6, key: ["id"] },
  { table: "permission_requests", column: "status", values: ["pending", "resolved"], key: ["id"] },
];

function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
}

/** The CHECK constraint of migration 6 for `table.column`. */
function checkV6(table: string, column: string): string {
  const c = STORED_VALUE_CHECKS_V6.find((x) => x.table === table && x.column === column);
  if (!c) throw new Error(`no stored-value check for ${table}.${column}`);
  return `CONSTRAINT "${table}.${column}" CHECK (${column} IN (${sqlList(c.values)}))`;
}

/**
 * SQLite's table rebuild: create the new definition under a temporary name, copy every row (rowid
 * included: some reads order by it), drop the old table, rename, recreate its indexes. `columns` are
 * the table's current columns, in order, as all earlier migrations left them.
 */
function rebuildTable(t: {
  table: string;
  columns: readonly string[];
  constraints?: readonly string[];
  indexes?: readonly string[];
}): string {
  const names = t.columns.map((c) => c.trim().split(/\s+/)[0]!).join(", ");
  const body = [...t.columns, ...(t.constraints ?? [])].map((l) => `        ${l}`).join(",\n");
  return [
    `CREATE TABLE ${t.table}__v6 (\n${body}\n      );`,
    `INSERT INTO ${t.table}__v6 (rowid, ${names}) SELECT rowid, ${names} FROM ${t.table};`,
    `DROP TABLE ${t.table};`,
    `ALTER TABLE ${t.table}__v6 RENAME TO ${t.table};`,
    ...(t.indexes ?? []).map((i) => `${i};`),
  ]
    .map((l) => `      ${l}`)
    .join("\n");
}

/** Existing rows migration 6's CHECK constraints would refuse, named by table, key and value. */
function unexpectedStoredValuesV6(db: Database): string[] {
  const problems: string[] = [];
  for (const c of STORED_VALUE_CHECKS_V6) {
    const where = `${c.column} IS NULL OR ${c.column} NOT IN (${sqlList(c.values)})`;
    const { n } = db.prepare(`SELECT COUNT(*) AS n FROM ${c.table} WHERE ${where}`).get() as { n: number };
    if (n === 0) continue;
    const rows = db
      .prepare(`SELECT ${c.key.join(", ")}, ${c.column} AS value FROM ${c.table} WHERE ${where} LIMIT 3`)
      .all() as Record<string, unknown>[];
    const named = rows.map((r) => {
      const key = c.key.map((k) => `${k}=${JSON.stringify(r[k])}`).join(" ");
      return `${c.table} row ${key} has ${c.column} ${JSON.stringify(r.value)}`;
    });
    const more = n > rows.length ? ` (and ${n - rows.length} more such rows)` : "";
    problems.push(`${named.join("; ")}${more}; allowed ${c.column} values: ${c.values.join(", ")}`);
  }
  return problems;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "users, sessions, join challenges",
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        is_root INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX users_one_root ON users(is_root) WHERE is_root = 1;
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE join_challenges (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        pin_hash TEXT NOT NULL,
        grants_root INTEGER NOT NULL,
        created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        used_at INTEGER,
        burned_at INTEGER
      );
    `,
  },
  {
    version: 2,
    name: "teams, runs, steps, run events, tasks, conversations, mailbox",
    sql: `
      CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL UNIQUE,
        spec_json TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        owner_id TEXT NOT NULL,
        status TEXT NOT NULL,
        input_json TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        idempotency_key TEXT,
        attempt INTEGER NOT NULL DEFAULT 1,
        error_code TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE UNIQUE INDEX runs_idempotency ON runs(team_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX runs_team_status ON runs(team_id, status, created_at);
      CREATE TABLE steps (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step_key TEXT NOT NULL,
        member_id TEXT NOT NULL,
        depends_on_json TEXT NOT NULL,
        prompt TEXT NOT NULL DEFAULT '',
        input_json TEXT,
        timeout_seconds INTEGER,
        position INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 1,
        output TEXT,
        error_code TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        PRIMARY KEY (run_id, step_key)
      );
      CREATE TABLE step_attempts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step_key TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        output TEXT,
        error_code TEXT,
        error_message TEXT,
        started_at INTEGER,
        finished_at INTEGER,
        PRIMARY KEY (run_id, step_key, attempt)
      );
      CREATE TABLE run_events (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        step_key TEXT,
        data_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        assigned_member_id TEXT,
        priority INTEGER NOT NULL DEFAULT 0,
        context_json TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX tasks_team ON tasks(team_id, status);
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL UNIQUE REFERENCES tasks(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE conversation_messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        from_actor_id TEXT NOT NULL,
        route TEXT NOT NULL,
        to_actor_id TEXT,
        payload_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (conversation_id, seq)
      );
      CREATE TABLE mailbox_messages (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        from_actor_id TEXT NOT NULL,
        route TEXT NOT NULL,
        to_actor_id TEXT,
        kind TEXT NOT NULL DEFAULT 'message',
        payload_json TEXT NOT NULL,
        idempotency_key TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (run_id, seq)
      );
      CREATE UNIQUE INDEX mailbox_idempotency ON mailbox_messages(run_id, from_actor_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE TABLE mailbox_deliveries (
        message_id TEXT NOT NULL REFERENCES mailbox_messages(id) ON DELETE CASCADE,
        run_id TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        delivered_at INTEGER,
        acked_at INTEGER,
        PRIMARY KEY (message_id, recipient_id)
      );
      CREATE INDEX mailbox_inbox ON mailbox_deliveries(run_id, recipient_id, status, seq);
    `,
  },
  {
    version: 3,
    name: "agent nodes, agents, agent events, permission requests",
    sql: `
      CREATE TABLE agent_nodes (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        grpc_target TEXT NOT NULL,
        tls_server_name TEXT,
        default_worktree_root TEXT,
        status TEXT NOT NULL DEFAULT 'online',
        last_probe_at INTEGER,
        last_ok_at INTEGER,
        probe_latency_ms REAL,
        last_error TEXT,
        event_cursor INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL,
        name TEXT NOT NULL,
        node_id TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        status TEXT NOT NULL,
        workdir TEXT,
        team_id TEXT,
        member_id TEXT,
        last_error TEXT,
        last_event_seq INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX agents_node ON agents(node_id, status);
      CREATE INDEX agents_team ON agents(team_id, member_id);
      CREATE TABLE agent_events (
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (agent_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE permission_requests (
        id TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        node_request_id TEXT NOT NULL,
        run_id TEXT,
        step_key TEXT,
        requester_member_id TEXT,
        reviewer TEXT,
        tool_call_json TEXT NOT NULL,
        options_json TEXT NOT NULL,
        status TEXT NOT NULL,
        outcome_json TEXT,
        decided_by TEXT,
        decided_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (agent_id, node_request_id)
      );
      CREATE INDEX permission_requests_run ON permission_requests(run_id, status);
    `,
  },
  {
    version: 4,
    name: "team runtime state",
    sql: `
      ALTER TABLE teams ADD COLUMN runtime_status TEXT NOT NULL DEFAULT 'stopped';
      CREATE INDEX permission_requests_pending ON permission_requests(status) WHERE status = 'pending';
    `,
  },
  {
    version: 5,
    name: "run creation request hash (Idempotency-Key reuse with another body is refused)",
    sql: `
      ALTER TABLE runs ADD COLUMN request_hash TEXT;
    `,
  },
  {
    version: 6,
    name: "CHECK constraints on stored statuses, kinds and routes",
    rebuildsTables: true,
    precheck: unexpectedStoredValuesV6,
    sql: [
      rebuildTable({
        table: "teams",
        columns: [
          "id TEXT PRIMARY KEY",
          "owner_id TEXT NOT NULL REFERENCES users(id)",
          "name TEXT NOT NULL UNIQUE",
          "spec_json TEXT NOT NULL",
          "version INTEGER NOT NULL",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
          `runtime_status TEXT NOT NULL DEFAULT 'stopped' ${checkV6("teams", "runtime_status")}`,
        ],
      }),
      rebuildTable({
        table: "runs",
        columns: [
          "id TEXT PRIMARY KEY",
          "team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE",
          "owner_id TEXT NOT NULL",
          `status TEXT NOT NULL ${checkV6("runs", "status")}`,
          "input_json TEXT NOT NULL",
          "spec_json TEXT NOT NULL",
          "idempotency_key TEXT",
          "attempt INTEGER NOT NULL DEFAULT 1",
          "error_code TEXT",
          "error_message TEXT",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
          "finished_at INTEGER",
          "request_hash TEXT",
        ],
        indexes: [
          "CREATE UNIQUE INDEX runs_idempotency ON runs(team_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
          "CREATE INDEX runs_team_status ON runs(team_id, status, created_at)",
        ],
      }),
      rebuildTable({
        table: "steps",
        columns: [
          "run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE",
          "step_key TEXT NOT NULL",
          "member_id TEXT NOT NULL",
          "depends_on_json TEXT NOT NULL",
          "prompt TEXT NOT NULL DEFAULT ''",
          "input_json TEXT",
          "timeout_seconds INTEGER",
          "position INTEGER NOT NULL",
          `status TEXT NOT NULL ${checkV6("steps", "status")}`,
          "attempt INTEGER NOT NULL DEFAULT 1",
          "output TEXT",
          "error_code TEXT",
          "error_message TEXT",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
          "started_at INTEGER",
          "finished_at INTEGER",
        ],
        constraints: ["PRIMARY KEY (run_id, step_key)"],
      }),
      rebuildTable({
        table: "step_attempts",
        columns: [
          "run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE",
          "step_key TEXT NOT NULL",
          "attempt INTEGER NOT NULL",
          `status TEXT NOT NULL ${checkV6("step_attempts", "status")}`,
          "output TEXT",
          "error_code TEXT",
          "error_message TEXT",
          "started_at INTEGER",
          "finished_at INTEGER",
        ],
        constraints: ["PRIMARY KEY (run_id, step_key, attempt)"],
      }),
      rebuildTable({
        table: "tasks",
        columns: [
          "id TEXT PRIMARY KEY",
          "team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE",
          "title TEXT NOT NULL",
          `status TEXT NOT NULL ${checkV6("tasks", "status")}`,
          "assigned_member_id TEXT",
          "priority INTEGER NOT NULL DEFAULT 0",
          "context_json TEXT",
          "created_by TEXT NOT NULL",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
        ],
        indexes: ["CREATE INDEX tasks_team ON tasks(team_id, status)"],
      }),
      rebuildTable({
        table: "conversation_messages",
        columns: [
          "id TEXT PRIMARY KEY",
          "conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE",
          "seq INTEGER NOT NULL",
          "from_actor_id TEXT NOT NULL",
          `route TEXT NOT NULL ${checkV6("conversation_messages", "route")}`,
          "to_actor_id TEXT",
          "payload_json TEXT NOT NULL",
          "created_at INTEGER NOT NULL",
        ],
        constraints: ["UNIQUE (conversation_id, seq)"],
      }),
      rebuildTable({
        table: "mailbox_messages",
        columns: [
          "id TEXT PRIMARY KEY",
          "run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE",
          "seq INTEGER NOT NULL",
          "from_actor_id TEXT NOT NULL",
          `route TEXT NOT NULL ${checkV6("mailbox_messages", "route")}`,
          "to_actor_id TEXT",
          `kind TEXT NOT NULL DEFAULT 'message' ${checkV6("mailbox_messages", "kind")}`,
          "payload_json TEXT NOT NULL",
          "idempotency_key TEXT",
          "created_at INTEGER NOT NULL",
        ],
        constraints: ["UNIQUE (run_id, seq)"],
        indexes: [
          "CREATE UNIQUE INDEX mailbox_idempotency ON mailbox_messages(run_id, from_actor_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
        ],
      }),
      rebuildTable({
        table: "mailbox_deliveries",
        columns: [
          "message_id TEXT NOT NULL REFERENCES mailbox_messages(id) ON DELETE CASCADE",
          "run_id TEXT NOT NULL",
          "recipient_id TEXT NOT NULL",
          "seq INTEGER NOT NULL",
          `status TEXT NOT NULL ${checkV6("mailbox_deliveries", "status")}`,
          "delivered_at INTEGER",
          "acked_at INTEGER",
        ],
        constraints: ["PRIMARY KEY (message_id, recipient_id)"],
        indexes: ["CREATE INDEX mailbox_inbox ON mailbox_deliveries(run_id, recipient_id, status, seq)"],
      }),
      rebuildTable({
        table: "agent_nodes",
        columns: [
          "id TEXT PRIMARY KEY",
          "name TEXT NOT NULL UNIQUE",
          "grpc_target TEXT NOT NULL",
          "tls_server_name TEXT",
          "default_worktree_root TEXT",
          `status TEXT NOT NULL DEFAULT 'online' ${checkV6("agent_nodes", "status")}`,
          "last_probe_at INTEGER",
          "last_ok_at INTEGER",
          "probe_latency_ms REAL",
          "last_error TEXT",
          "event_cursor INTEGER NOT NULL DEFAULT 0",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
        ],
      }),
      rebuildTable({
        table: "agents",
        columns: [
          "id TEXT PRIMARY KEY",
          "owner_id TEXT NOT NULL",
          "name TEXT NOT NULL",
          "node_id TEXT NOT NULL",
          "spec_json TEXT NOT NULL",
          `status TEXT NOT NULL ${checkV6("agents", "status")}`,
          "workdir TEXT",
          "team_id TEXT",
          "member_id TEXT",
          "last_error TEXT",
          "last_event_seq INTEGER NOT NULL DEFAULT 0",
          "created_at INTEGER NOT NULL",
          "updated_at INTEGER NOT NULL",
        ],
        indexes: [
          "CREATE INDEX agents_node ON agents(node_id, status)",
          "CREATE INDEX agents_team ON agents(team_id, member_id)",
        ],
      }),
      rebuildTable({
        table: "permission_requests",
        columns: [
          "id TEXT PRIMARY KEY",
          "agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE",
          "node_request_id TEXT NOT NULL",
          "run_id TEXT",
          "step_key TEXT",
          "requester_member_id TEXT",
          "reviewer TEXT",
          "tool_call_json TEXT NOT NULL",
          "options_json TEXT NOT NULL",
          `status TEXT NOT NULL ${checkV6("permission_requests", "status")}`,
          "outcome_json TEXT",
          "decided_by TEXT",
          "decided_at INTEGER",
          "created_at INTEGER NOT NULL",
        ],
        constraints: ["UNIQUE (agent_id, node_request_id)"],
        indexes: [
          "CREATE INDEX permission_requests_run ON permission_requests(run_id, status)",
          "CREATE INDEX permission_requests_pending ON permission_requests(status) WHERE status = 'pending'",
        ],
      }),
    ].join("\n"),
  },
  {
    version: 7,
    name: "agent node status `degraded` (its event stream keeps failing)",
    rebuildsTables: true,
    sql: rebuildTable({
      table: "agent_nodes",
      columns: [
        "id TEXT PRIMARY KEY",
        "name TEXT NOT NULL UNIQUE",
        "grpc_target TEXT NOT NULL",
        "tls_server_name TEXT",
        "default_worktree_root TEXT",
        `status TEXT NOT NULL DEFAULT 'online' CONSTRAINT "agent_nodes.status" CHECK (status IN (${sqlList(["online", "degraded", "offline"])}))`,
        "last_probe_at INTEGER",
        "last_ok_at INTEGER",
        "probe_latency_ms REAL",
        "last_error TEXT",
        "event_cursor INTEGER NOT NULL DEFAULT 0",
        "created_at INTEGER NOT NULL",
        "updated_at INTEGER NOT NULL",
      ],
    }),
  },
  {
    version: 8,
    name: "step warnings (a completed step that went on after a denied permission, or with an empty reply)",
    sql: `
      ALTER TABLE steps ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 9,
    name: "agent session info (what the agent's ACP session offers and what is in force)",
    sql: `
      ALTER TABLE agents ADD COLUMN session_json TEXT;
    `,
  },
  {
    version: 10,
    name: "webhooks: endpoints, the notification outbox and its deliveries",
    sql: `
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        team_id TEXT REFERENCES teams(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        format TEXT NOT NULL CONSTRAINT "webhooks.format" CHECK (format IN ('standard', 'slack')),
        event_types_json TEXT NOT NULL,
        description TEXT,
        unrestricted INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'enabled' CONSTRAINT "webhooks.status" CHECK (status IN ('enabled', 'disabled')),
        failing_since INTEGER,
        disabled_at INTEGER,
        disabled_reason TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX webhooks_team ON webhooks(team_id);
      CREATE TABLE webhook_events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        data_json TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        status TEXT NOT NULL CONSTRAINT "webhook_deliveries.status" CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        attempt_started_at INTEGER,
        last_attempt_at INTEGER,
        last_status_code INTEGER,
        last_error TEXT,
        finished_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (webhook_id, event_id)
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_list ON webhook_deliveries(webhook_id, created_at);
      CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_id);
    `,
  },
  {
    version: 11,
    name: "usage per turn (tokens and cost) and each agent's ACP session id (restored after restarts)",
    sql: `
      ALTER TABLE agents ADD COLUMN acp_session_id TEXT;
      CREATE TABLE turn_usage (
        agent_id TEXT NOT NULL,
        turn_id TEXT NOT NULL,
        run_id TEXT REFERENCES runs(id) ON DELETE CASCADE,
        step_key TEXT,
        attempt INTEGER,
        member_id TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_read_tokens INTEGER NOT NULL,
        cached_write_tokens INTEGER NOT NULL,
        thought_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        cost_amount REAL,
        cost_currency TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (agent_id, turn_id)
      );
      CREATE INDEX turn_usage_run ON turn_usage(run_id, step_key, attempt) WHERE run_id IS NOT NULL;
    `,
  },
];
