import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** A status and how many rows have it. */
export interface StatusCount {
  status: string;
  n: number;
}

export interface PendingReviews {
  count: number;
  /** When (ms) the oldest pending review was created; null when none is pending. */
  oldestCreatedAt: number | null;
}

export interface NodeProbe {
  id: string;
  status: string;
  /** The last successful probe's round trip; null before the first. */
  probe_latency_ms: number | null;
}

const TERMINAL_RUN = "('completed', 'failed', 'canceled')";

/**
 * The counts a metrics scrape reads: one aggregate query each (indexed where the tables grow), so a
 * scrape costs a few milliseconds whatever the history holds.
 */
export class MetricsRepo {
  constructor(private readonly db: Database) {}

  runsByStatus(): StatusCount[] {
    return prepareCached(
      this.db,
      "SELECT status, COUNT(*) AS n FROM runs GROUP BY status",
    ).all() as StatusCount[];
  }

  stepsByStatus(): StatusCount[] {
    return prepareCached(
      this.db,
      "SELECT status, COUNT(*) AS n FROM steps GROUP BY status",
    ).all() as StatusCount[];
  }

  /** Mailbox deliveries not yet handed to their recipient, in runs that have not ended. */
  mailboxBacklog(): number {
    const row = prepareCached(
      this.db,
      `SELECT COUNT(*) AS n FROM mailbox_deliveries d JOIN runs r ON r.id = d.run_id
         WHERE d.status = 'pending' AND r.status NOT IN ${TERMINAL_RUN}`,
    ).get() as { n: number };
    return row.n;
  }

  pendingReviews(): PendingReviews {
    const row = prepareCached(
      this.db,
      "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM permission_requests WHERE status = 'pending'",
    ).get() as { n: number; oldest: number | null };
    return { count: row.n, oldestCreatedAt: row.oldest };
  }

  nodes(): NodeProbe[] {
    return prepareCached(
      this.db,
      "SELECT id, status, probe_latency_ms FROM agent_nodes ORDER BY id",
    ).all() as NodeProbe[];
  }
}
