/**
 * Numbered schema migrations. `PRAGMA user_version` records the last one applied; never edit a
 * released migration, append a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
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
];
