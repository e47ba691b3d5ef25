import { MAIN_NODE_ID } from "../hub/node-registry.js";
import type { EventLog } from "../node/event-log.js";
import { AgentNodesRepo } from "../store/agent-nodes-repo.js";
import { AgentsRepo } from "../store/agents-repo.js";
import type { Database } from "../store/database.js";
import type { Logger } from "../util/logger.js";

/**
 * Before the built-in node `main` records anything: a database restored from a backup or a replica
 * (Litestream) may have seen more of `main`'s events than the event log on this machine has assigned
 * (an older log, or none). New events are then numbered after the database's, or the hub would skip
 * them as already seen.
 */
export function continueMainEventLog(db: Database, events: EventLog, logger: Logger): void {
  const cursor = new AgentNodesRepo(db).byId(MAIN_NODE_ID)?.event_cursor ?? 0;
  const agentSeqs = Object.fromEntries(
    new AgentsRepo(db).byNode(MAIN_NODE_ID).map((a) => [a.id, a.last_event_seq]),
  );
  const logSeq = events.lastSeq;
  if (events.continueAfter(cursor, agentSeqs) && cursor > logSeq) {
    logger.warn(
      { component: "hub", event_cursor: cursor, event_log_seq: logSeq },
      "the built-in node's event log was behind the database (restored from a backup or a replica): new events are numbered after the database's",
    );
  }
}
