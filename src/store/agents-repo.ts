import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

export interface AgentRow {
  id: string;
  owner_id: string;
  name: string;
  node_id: string;
  spec_json: string;
  status: string;
  workdir: string | null;
  team_id: string | null;
  member_id: string | null;
  last_error: string | null;
  last_event_seq: number;
  created_at: number;
  updated_at: number;
}

export interface AgentEventRow {
  agent_id: string;
  seq: number;
  kind: string;
  data_json: string;
  created_at: number;
}

export class AgentsRepo {
  constructor(private readonly db: Database) {}

  insert(a: AgentRow): void {
    prepareCached(
      this.db,

      `INSERT INTO agents (id, owner_id, name, node_id, spec_json, status, workdir, team_id, member_id, last_error,
           last_event_seq, created_at, updated_at)
         VALUES (@id, @owner_id, @name, @node_id, @spec_json, @status, @workdir, @team_id, @member_id, @last_error,
           @last_event_seq, @created_at, @updated_at)`,
    ).run(a);
  }

  byId(id: string): AgentRow | undefined {
    return prepareCached(this.db, "SELECT * FROM agents WHERE id = ?").get(id) as AgentRow | undefined;
  }

  list(ownerId: string | null): AgentRow[] {
    return ownerId === null
      ? (prepareCached(this.db, "SELECT * FROM agents ORDER BY created_at, rowid").all() as AgentRow[])
      : (this.db
          .prepare("SELECT * FROM agents WHERE owner_id = ? ORDER BY created_at, rowid")
          .all(ownerId) as AgentRow[]);
  }

  byNode(nodeId: string): AgentRow[] {
    return prepareCached(this.db, "SELECT * FROM agents WHERE node_id = ?").all(nodeId) as AgentRow[];
  }

  byTeam(teamId: string): AgentRow[] {
    return prepareCached(this.db, "SELECT * FROM agents WHERE team_id = ? ORDER BY created_at, rowid").all(
      teamId,
    ) as AgentRow[];
  }

  update(
    id: string,
    fields: Partial<Pick<AgentRow, "status" | "workdir" | "last_error" | "spec_json">>,
    now: number,
  ): void {
    updateFields(this.db, "agents", "id = @id", fields, { now, id });
  }

  delete(id: string): boolean {
    return prepareCached(this.db, "DELETE FROM agents WHERE id = ?").run(id).changes === 1;
  }

  /**
   * Stores an event if it is the next one for its agent; a replayed (already stored) event is ignored,
   * so a resumed stream never duplicates. Returns whether it was new.
   */
  appendEvent(e: AgentEventRow): boolean {
    if (!this.insertEvent(e)) return false;
    this.raiseLastEventSeq(e.agent_id, e.seq);
    return true;
  }

  /**
   * The insert half of appendEvent: a batch of events inserts each and then raises `last_event_seq`
   * once per agent (raiseLastEventSeq) in the same transaction.
   */
  insertEvent(e: AgentEventRow): boolean {
    return (
      prepareCached(
        this.db,
        "INSERT OR IGNORE INTO agent_events (agent_id, seq, kind, data_json, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(e.agent_id, e.seq, e.kind, e.data_json, e.created_at).changes === 1
    );
  }

  raiseLastEventSeq(agentId: string, seq: number): void {
    prepareCached(this.db, "UPDATE agents SET last_event_seq = MAX(last_event_seq, ?) WHERE id = ?").run(
      seq,
      agentId,
    );
  }

  exists(id: string): boolean {
    return prepareCached(this.db, "SELECT 1 FROM agents WHERE id = ?").pluck().get(id) !== undefined;
  }

  events(agentId: string, afterSeq: number, limit: number): AgentEventRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM agent_events WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(agentId, afterSeq, limit) as AgentEventRow[];
  }
}
