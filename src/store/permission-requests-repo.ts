import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

export interface PermissionRequestRow {
  id: string;
  agent_id: string;
  node_request_id: string;
  run_id: string | null;
  step_key: string | null;
  requester_member_id: string | null;
  reviewer: string | null;
  tool_call_json: string;
  options_json: string;
  status: string;
  outcome_json: string | null;
  decided_by: string | null;
  decided_at: number | null;
  created_at: number;
}

export class PermissionRequestsRepo {
  constructor(private readonly db: Database) {}

  /** A replayed event must not create a second request: (agent_id, node_request_id) is unique. */
  insertIfAbsent(r: PermissionRequestRow): boolean {
    return (
      prepareCached(
        this.db,

        `INSERT OR IGNORE INTO permission_requests (id, agent_id, node_request_id, run_id, step_key, requester_member_id,
             reviewer, tool_call_json, options_json, status, outcome_json, decided_by, decided_at, created_at)
           VALUES (@id, @agent_id, @node_request_id, @run_id, @step_key, @requester_member_id, @reviewer,
             @tool_call_json, @options_json, @status, @outcome_json, @decided_by, @decided_at, @created_at)`,
      ).run(r).changes === 1
    );
  }

  byId(id: string): PermissionRequestRow | undefined {
    return prepareCached(this.db, "SELECT * FROM permission_requests WHERE id = ?").get(id) as
      | PermissionRequestRow
      | undefined;
  }

  byNodeRequest(agentId: string, nodeRequestId: string): PermissionRequestRow | undefined {
    return prepareCached(
      this.db,
      "SELECT * FROM permission_requests WHERE agent_id = ? AND node_request_id = ?",
    ).get(agentId, nodeRequestId) as PermissionRequestRow | undefined;
  }

  byAgent(agentId: string, status?: string): PermissionRequestRow[] {
    return (
      status
        ? prepareCached(
            this.db,

            "SELECT * FROM permission_requests WHERE agent_id = ? AND status = ? ORDER BY created_at, rowid",
          ).all(agentId, status)
        : prepareCached(
            this.db,
            "SELECT * FROM permission_requests WHERE agent_id = ? ORDER BY created_at, rowid",
          ).all(agentId)
    ) as PermissionRequestRow[];
  }

  byRun(runId: string, status?: string): PermissionRequestRow[] {
    return (
      status
        ? prepareCached(
            this.db,

            "SELECT * FROM permission_requests WHERE run_id = ? AND status = ? ORDER BY created_at, rowid",
          ).all(runId, status)
        : prepareCached(
            this.db,
            "SELECT * FROM permission_requests WHERE run_id = ? ORDER BY created_at, rowid",
          ).all(runId)
    ) as PermissionRequestRow[];
  }

  /** Pending requests that belong to a run (permission reviews), oldest first. */
  pendingReviews(): PermissionRequestRow[] {
    return prepareCached(
      this.db,
      "SELECT * FROM permission_requests WHERE status = 'pending' AND run_id IS NOT NULL ORDER BY created_at, rowid",
    ).all() as PermissionRequestRow[];
  }

  /** Resolves once; false if it was already resolved. */
  resolve(id: string, outcomeJson: string, decidedBy: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE permission_requests SET status = 'resolved', outcome_json = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
      ).run(outcomeJson, decidedBy, now, id).changes === 1
    );
  }

  link(
    id: string,
    fields: { run_id: string; step_key: string | null; requester_member_id: string; reviewer: string },
  ): void {
    prepareCached(
      this.db,

      "UPDATE permission_requests SET run_id = @run_id, step_key = @step_key, requester_member_id = @requester_member_id, reviewer = @reviewer WHERE id = @id",
    ).run({ ...fields, id });
  }
}
