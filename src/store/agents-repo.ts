import type { AgentSpec, AgentStatus } from "../domain/agent.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";
import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

/** An agent as the hub works with it: the spec decoded, the status typed. */
export interface Agent {
  id: string;
  owner_id: string;
  name: string;
  node_id: string;
  status: AgentStatus;
  workdir: string | null;
  team_id: string | null;
  member_id: string | null;
  last_error: string | null;
  last_event_seq: number;
  spec: AgentSpec;
  /** What its ACP session offers and what is in force, as its node last reported (null: not yet). */
  session: AgentSessionInfo | null;
  /** Its ACP session's id, kept across restarts so the next start can restore it (null: none yet). */
  acp_session_id: string | null;
  created_at: number;
  updated_at: number;
}

/** One stored agent event, its data decoded (a node's event data is always an object). */
export interface AgentEvent {
  agent_id: string;
  seq: number;
  kind: string;
  data: Record<string, unknown>;
  created_at: number;
}

interface AgentRow extends Omit<Agent, "spec" | "status" | "session"> {
  status: string;
  spec_json: string;
  session_json: string | null;
}

export interface AgentEventRow extends Omit<AgentEvent, "data"> {
  data_json: string;
}

function decodeAgent(row: AgentRow): Agent {
  const { spec_json, status, session_json, ...rest } = row;
  // The status column has a CHECK constraint with the same list (migration 6).
  return {
    ...rest,
    status: status as AgentStatus,
    spec: JSON.parse(spec_json) as AgentSpec,
    session: session_json ? (JSON.parse(session_json) as AgentSessionInfo) : null,
  };
}

function decodeEvent(row: AgentEventRow): AgentEvent {
  const { data_json, ...rest } = row;
  return { ...rest, data: JSON.parse(data_json) as Record<string, unknown> };
}

/** The fields of an agent that change after it is defined. */
export type AgentChanges = Partial<Pick<Agent, "status" | "workdir" | "last_error">>;

export class AgentsRepo {
  constructor(private readonly db: Database) {}

  insert(a: Agent): void {
    const { spec, session, ...rest } = a;
    const row: AgentRow = {
      ...rest,
      spec_json: JSON.stringify(spec),
      session_json: session ? JSON.stringify(session) : null,
    };
    prepareCached(
      this.db,

      `INSERT INTO agents (id, owner_id, name, node_id, spec_json, status, workdir, team_id, member_id, last_error,
           last_event_seq, session_json, acp_session_id, created_at, updated_at)
         VALUES (@id, @owner_id, @name, @node_id, @spec_json, @status, @workdir, @team_id, @member_id, @last_error,
           @last_event_seq, @session_json, @acp_session_id, @created_at, @updated_at)`,
    ).run(row);
  }

  byId(id: string): Agent | undefined {
    const row = prepareCached(this.db, "SELECT * FROM agents WHERE id = ?").get(id) as AgentRow | undefined;
    return row && decodeAgent(row);
  }

  /** Owner's agents, or every agent when `ownerId` is null (root). */
  list(ownerId: string | null): Agent[] {
    const rows =
      ownerId === null
        ? prepareCached(this.db, "SELECT * FROM agents ORDER BY created_at, rowid").all()
        : prepareCached(this.db, "SELECT * FROM agents WHERE owner_id = ? ORDER BY created_at, rowid").all(
            ownerId,
          );
    return (rows as AgentRow[]).map(decodeAgent);
  }

  byNode(nodeId: string): Agent[] {
    return (prepareCached(this.db, "SELECT * FROM agents WHERE node_id = ?").all(nodeId) as AgentRow[]).map(
      decodeAgent,
    );
  }

  byTeam(teamId: string): Agent[] {
    return (
      prepareCached(this.db, "SELECT * FROM agents WHERE team_id = ? ORDER BY created_at, rowid").all(
        teamId,
      ) as AgentRow[]
    ).map(decodeAgent);
  }

  update(id: string, fields: AgentChanges, now: number): void {
    updateFields(this.db, "agents", "id = @id", fields, { now, id });
  }

  /** Records what the agent's session offers and what is in force (null: forget it, e.g. on a new start). */
  setSession(id: string, session: AgentSessionInfo | null, now: number): void {
    prepareCached(this.db, "UPDATE agents SET session_json = ?, updated_at = ? WHERE id = ?").run(
      session ? JSON.stringify(session) : null,
      now,
      id,
    );
  }

  /** Records the id of the agent's ACP session (the one its next start restores). */
  setAcpSessionId(id: string, sessionId: string, now: number): void {
    prepareCached(this.db, "UPDATE agents SET acp_session_id = ?, updated_at = ? WHERE id = ?").run(
      sessionId,
      now,
      id,
    );
  }

  /** Deletes the agent and the usage of its turns outside runs (a run's usage stays with the run). */
  delete(id: string): boolean {
    prepareCached(this.db, "DELETE FROM turn_usage WHERE agent_id = ? AND run_id IS NULL").run(id);
    return prepareCached(this.db, "DELETE FROM agents WHERE id = ?").run(id).changes === 1;
  }

  /**
   * Stores an event if it is the next one for its agent; a replayed (already stored) event is ignored,
   * so a resumed stream never duplicates. Returns whether it was new.
   */
  appendEvent(e: AgentEvent): boolean {
    if (!this.insertEvent(e)) return false;
    this.raiseLastEventSeq(e.agent_id, e.seq);
    return true;
  }

  /**
   * The insert half of appendEvent: a batch of events inserts each and then raises `last_event_seq`
   * once per agent (raiseLastEventSeq) in the same transaction.
   */
  insertEvent(e: AgentEvent, dataJson: string = JSON.stringify(e.data)): boolean {
    return (
      prepareCached(
        this.db,
        "INSERT OR IGNORE INTO agent_events (agent_id, seq, kind, data_json, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(e.agent_id, e.seq, e.kind, dataJson, e.created_at).changes === 1
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

  /** The agent's events after seq `afterSeq`, at most `limit`, oldest first. */
  events(agentId: string, afterSeq: number, limit: number): AgentEvent[] {
    return this.eventRows(agentId, afterSeq, limit).map(decodeEvent);
  }

  /** As `events`, with each event's data as the JSON text stored (for writers that only pass it on). */
  eventRows(agentId: string, afterSeq: number, limit: number): AgentEventRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM agent_events WHERE agent_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    ).all(agentId, afterSeq, limit) as AgentEventRow[];
  }
}
