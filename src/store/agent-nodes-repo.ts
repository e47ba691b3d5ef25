import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

export interface AgentNodeRow {
  id: string;
  name: string;
  grpc_target: string;
  tls_server_name: string | null;
  default_worktree_root: string | null;
  status: string;
  last_probe_at: number | null;
  last_ok_at: number | null;
  probe_latency_ms: number | null;
  last_error: string | null;
  event_cursor: number;
  created_at: number;
  updated_at: number;
}

export class AgentNodesRepo {
  constructor(private readonly db: Database) {}

  insert(n: AgentNodeRow): void {
    prepareCached(
      this.db,

      `INSERT INTO agent_nodes (id, name, grpc_target, tls_server_name, default_worktree_root, status, last_probe_at,
           last_ok_at, probe_latency_ms, last_error, event_cursor, created_at, updated_at)
         VALUES (@id, @name, @grpc_target, @tls_server_name, @default_worktree_root, @status, @last_probe_at,
           @last_ok_at, @probe_latency_ms, @last_error, @event_cursor, @created_at, @updated_at)`,
    ).run(n);
  }

  byId(id: string): AgentNodeRow | undefined {
    return prepareCached(this.db, "SELECT * FROM agent_nodes WHERE id = ?").get(id) as
      | AgentNodeRow
      | undefined;
  }

  byIdOrName(id: string, name: string): AgentNodeRow | undefined {
    return prepareCached(this.db, "SELECT * FROM agent_nodes WHERE id = ? OR name = ?").get(id, name) as
      | AgentNodeRow
      | undefined;
  }

  list(): AgentNodeRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM agent_nodes ORDER BY created_at, rowid",
    ).all() as AgentNodeRow[];
  }

  update(
    id: string,
    fields: Partial<Omit<AgentNodeRow, "id" | "created_at" | "updated_at">>,
    now: number,
  ): void {
    updateFields(this.db, "agent_nodes", "id = @id", fields, { now, id });
  }

  delete(id: string): boolean {
    return prepareCached(this.db, "DELETE FROM agent_nodes WHERE id = ?").run(id).changes === 1;
  }
}
