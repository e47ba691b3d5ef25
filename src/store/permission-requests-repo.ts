import type { PermissionOption, PermissionStatus } from "../domain/agent.js";
import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** An agent's tool permission request, decoded. */
export interface PermissionRequest {
  id: string;
  agent_id: string;
  node_request_id: string;
  run_id: string | null;
  step_key: string | null;
  requester_member_id: string | null;
  reviewer: string | null;
  /** The agent's tool call as it reported it (any JSON value; null when none). */
  tool_call: unknown;
  options: PermissionOption[];
  status: PermissionStatus;
  /** The answer (null while pending). */
  outcome: unknown;
  decided_by: string | null;
  decided_at: number | null;
  created_at: number;
}

interface PermissionRequestRow
  extends Omit<PermissionRequest, "tool_call" | "options" | "status" | "outcome"> {
  tool_call_json: string;
  options_json: string;
  status: string;
  outcome_json: string | null;
}

function decode(r: PermissionRequestRow): PermissionRequest {
  const { tool_call_json, options_json, status, outcome_json, ...rest } = r;
  return {
    ...rest,
    tool_call: JSON.parse(tool_call_json) as unknown,
    options: (JSON.parse(options_json) as PermissionOption[] | null) ?? [],
    // The status column has a CHECK constraint with the same list (migration 6).
    status: status as PermissionStatus,
    outcome: outcome_json === null ? null : (JSON.parse(outcome_json) as unknown),
  };
}

function encode(r: PermissionRequest): PermissionRequestRow {
  const { tool_call, options, outcome, ...rest } = r;
  return {
    ...rest,
    tool_call_json: JSON.stringify(tool_call ?? null),
    options_json: JSON.stringify(options),
    outcome_json: outcome === null || outcome === undefined ? null : JSON.stringify(outcome),
  };
}

const decodeOne = (r: unknown) => (r === undefined ? undefined : decode(r as PermissionRequestRow));
const decodeAll = (rows: unknown[]) => (rows as PermissionRequestRow[]).map(decode);

export class PermissionRequestsRepo {
  constructor(private readonly db: Database) {}

  /** A replayed event must not create a second request: (agent_id, node_request_id) is unique. */
  insertIfAbsent(r: PermissionRequest): boolean {
    return (
      prepareCached(
        this.db,

        `INSERT OR IGNORE INTO permission_requests (id, agent_id, node_request_id, run_id, step_key, requester_member_id,
             reviewer, tool_call_json, options_json, status, outcome_json, decided_by, decided_at, created_at)
           VALUES (@id, @agent_id, @node_request_id, @run_id, @step_key, @requester_member_id, @reviewer,
             @tool_call_json, @options_json, @status, @outcome_json, @decided_by, @decided_at, @created_at)`,
      ).run(encode(r)).changes === 1
    );
  }

  byId(id: string): PermissionRequest | undefined {
    return decodeOne(prepareCached(this.db, "SELECT * FROM permission_requests WHERE id = ?").get(id));
  }

  byNodeRequest(agentId: string, nodeRequestId: string): PermissionRequest | undefined {
    return decodeOne(
      prepareCached(
        this.db,
        "SELECT * FROM permission_requests WHERE agent_id = ? AND node_request_id = ?",
      ).get(agentId, nodeRequestId),
    );
  }

  byAgent(agentId: string, status?: PermissionStatus): PermissionRequest[] {
    return decodeAll(
      status
        ? prepareCached(
            this.db,

            "SELECT * FROM permission_requests WHERE agent_id = ? AND status = ? ORDER BY created_at, rowid",
          ).all(agentId, status)
        : prepareCached(
            this.db,
            "SELECT * FROM permission_requests WHERE agent_id = ? ORDER BY created_at, rowid",
          ).all(agentId),
    );
  }

  byRun(runId: string, status?: PermissionStatus): PermissionRequest[] {
    return decodeAll(
      status
        ? prepareCached(
            this.db,

            "SELECT * FROM permission_requests WHERE run_id = ? AND status = ? ORDER BY created_at, rowid",
          ).all(runId, status)
        : prepareCached(
            this.db,
            "SELECT * FROM permission_requests WHERE run_id = ? ORDER BY created_at, rowid",
          ).all(runId),
    );
  }

  /** Pending requests that belong to a run (permission reviews), oldest first. */
  pendingReviews(): PermissionRequest[] {
    return decodeAll(
      prepareCached(
        this.db,
        "SELECT * FROM permission_requests WHERE status = 'pending' AND run_id IS NOT NULL ORDER BY created_at, rowid",
      ).all(),
    );
  }

  /**
   * Requests of runs routed to `reviewer`, in teams owned by `ownerId` (null: every team), oldest first,
   * at most `limit`.
   */
  byReviewer(
    reviewer: string,
    q: { ownerId: string | null; status: PermissionStatus | undefined; limit: number },
  ): PermissionRequest[] {
    return decodeAll(
      prepareCached(
        this.db,
        `SELECT p.* FROM permission_requests p
           JOIN runs r ON r.id = p.run_id
           JOIN teams t ON t.id = r.team_id
         WHERE p.reviewer = @reviewer
           AND (@owner IS NULL OR t.owner_id = @owner)
           AND (@status IS NULL OR p.status = @status)
         ORDER BY p.created_at, p.rowid
         LIMIT @limit`,
      ).all({ reviewer, owner: q.ownerId, status: q.status ?? null, limit: q.limit }),
    );
  }

  /** Every pending request (of a run or not), oldest first. */
  pending(): PermissionRequest[] {
    return decodeAll(
      prepareCached(
        this.db,
        "SELECT * FROM permission_requests WHERE status = 'pending' ORDER BY created_at, rowid",
      ).all(),
    );
  }

  /** Resolves once with `outcome` (any JSON value); false if it was already resolved. */
  resolve(id: string, outcome: unknown, decidedBy: string, now: number): boolean {
    return (
      prepareCached(
        this.db,

        "UPDATE permission_requests SET status = 'resolved', outcome_json = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
      ).run(JSON.stringify(outcome ?? null), decidedBy, now, id).changes === 1
    );
  }

  /** Links a request to its run, step, requester and reviewer, with the tool call as far as it is known. */
  link(
    id: string,
    fields: {
      run_id: string;
      step_key: string | null;
      requester_member_id: string;
      reviewer: string;
      tool_call: unknown;
    },
  ): void {
    const { tool_call, ...rest } = fields;
    prepareCached(
      this.db,

      "UPDATE permission_requests SET run_id = @run_id, step_key = @step_key, requester_member_id = @requester_member_id, reviewer = @reviewer, tool_call_json = @tool_call_json WHERE id = @id",
    ).run({ ...rest, tool_call_json: JSON.stringify(tool_call ?? null), id });
  }
}
