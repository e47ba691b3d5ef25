import { parseAgentEvent } from "../contracts/agent-events.js";
import type { EventWatch, NodeClient, NodeEvent } from "../contracts/node-client.js";
import { AgentNodesRepo } from "../store/agent-nodes-repo.js";
import { AgentsRepo } from "../store/agents-repo.js";
import type { Database } from "../store/database.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { AgentEventBus, StoredAgentEvent } from "./agent-event-bus.js";

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;
/** Consecutive stream failures (no event delivered in between) that make a node `degraded`. */
export const STREAM_DEGRADED_AFTER = 3;
/** A stream open this long without failing (or delivering an event) counts as working again. */
const STREAM_OK_MS = 2_000;
/**
 * An ack waits this long for the batches after it (acks are cumulative): a busy stream costs the node
 * and the hub one AckEvents call per interval, not one per batch. Events wait that much longer on the
 * node before it may drop them; a hub that crashes meanwhile gets them again (and ignores them).
 */
export const ACK_DELAY_MS = 20;
/** Most events stored in one transaction; a larger burst is stored in slices, one per turn of the loop. */
const FLUSH_MAX_EVENTS = 128;

/** Told when the node's stream starts failing repeatedly (the cause) and when it works again (null). */
export type StreamHealthListener = (failure: { cause: string; failures: number } | null) => void;

/**
 * Consumes one node's event stream: stores each batch with the node's cursor and the events' effects
 * in one transaction (so a hub crash resumes exactly after the last stored event), acks the node, then
 * publishes the events.
 * Reconnects with backoff from the stored cursor after any failure.
 */
export class EventIngestor {
  private watch: EventWatch | undefined;
  private queue: NodeEvent[] = [];
  private flushScheduled = false;
  private stopped = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Highest seq stored and to be acknowledged; the highest the node took; whether a call is running. */
  private ackWanted = 0;
  private ackSent = 0;
  private ackInFlight = false;
  private ackTimer: NodeJS.Timeout | undefined;
  private readonly nodes: AgentNodesRepo;
  private readonly agents: AgentsRepo;
  private readonly insertBatch: (events: NodeEvent[]) => StoredAgentEvent[];
  /** Consecutive failures of the stream; whether they were reported (degraded). */
  private failures = 0;
  private degraded = false;
  private okTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nodeId: string,
    private readonly client: NodeClient,
    db: Database,
    private readonly clock: Clock,
    private readonly bus: AgentEventBus,
    private readonly logger: Logger,
    private readonly onStored: (events: StoredAgentEvent[]) => void,
    private readonly onStreamHealth: StreamHealthListener = () => {},
  ) {
    this.nodes = new AgentNodesRepo(db);
    this.agents = new AgentsRepo(db);
    this.insertBatch = db.transaction((events: NodeEvent[]) => {
      const stored: StoredAgentEvent[] = [];
      let cursor = 0;
      const known = new Map<string, boolean>();
      const lastSeq = new Map<string, number>();
      for (const e of events) {
        cursor = Math.max(cursor, e.seq);
        // Events of agents the hub no longer knows (deleted) are acknowledged and dropped.
        let exists = known.get(e.agent_id);
        if (exists === undefined) {
          exists = this.agents.exists(e.agent_id);
          known.set(e.agent_id, exists);
        }
        if (!exists) continue;
        const dataJson = JSON.stringify(e.data);
        const isNew = this.agents.insertEvent(
          { agent_id: e.agent_id, seq: e.agent_seq, kind: e.kind, data: e.data, created_at: e.at_ms },
          dataJson,
        );
        if (isNew) {
          lastSeq.set(e.agent_id, Math.max(lastSeq.get(e.agent_id) ?? 0, e.agent_seq));
          stored.push({
            agent_id: e.agent_id,
            seq: e.agent_seq,
            kind: e.kind,
            data: e.data,
            data_json: dataJson,
            at: new Date(e.at_ms).toISOString(),
            // Parsed once, here: every consumer switches on the typed event.
            event: parseAgentEvent(e.kind, e.data),
          });
        }
      }
      for (const [agentId, seq] of lastSeq) this.agents.raiseLastEventSeq(agentId, seq);
      const row = this.nodes.byId(this.nodeId);
      if (row && cursor > row.event_cursor)
        this.nodes.update(this.nodeId, { event_cursor: cursor }, this.clock.now());
      // What the events change (agent status, reviews, step results) commits with them: one fsync.
      // In a savepoint, so a failure there is logged and never loses the events themselves.
      if (stored.length > 0) {
        try {
          applyEffects(stored);
        } catch (err) {
          this.logger.error({ node_id: this.nodeId, err }, "agent events stored but their effects failed");
        }
      }
      return stored;
    });
    const applyEffects = db.transaction((stored: StoredAgentEvent[]) => this.onStored(stored));
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const from = this.nodes.byId(this.nodeId)?.event_cursor ?? 0;
    this.okTimer = setTimeout(() => this.streamWorks(), STREAM_OK_MS);
    this.okTimer.unref();
    this.watch = this.client.watchEvents(from, {
      onEvent: (e) => {
        // Queued first: nothing that follows may drop an event the node will forget once acked.
        this.queue.push(e);
        if (this.failures > 0) this.streamWorks();
        if (e.agent_seq % 2000 === 0) this.retryMs = RETRY_MIN_MS;
        this.scheduleFlush();
      },
      onError: (err) => this.reconnect(err),
      onEnd: () => this.reconnect(new Error("event stream ended")),
    });
  }

  private reconnect(err: Error): void {
    this.watch = undefined;
    this.clearOkTimer();
    if (this.stopped) return;
    this.failures++;
    this.logger.debug(
      { node_id: this.nodeId, err: err.message, retry_ms: this.retryMs, failures: this.failures },
      "event stream lost; retrying",
    );
    if (this.failures >= STREAM_DEGRADED_AFTER && !this.degraded) {
      this.degraded = true;
      this.reportHealth({ cause: err.message, failures: this.failures });
    }
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** The stream delivered an event or stayed open: failures reset, a degraded node is told so. */
  private streamWorks(): void {
    this.clearOkTimer();
    this.failures = 0;
    this.retryMs = RETRY_MIN_MS;
    if (!this.degraded) return;
    this.degraded = false;
    this.reportHealth(null);
  }

  /** Health reports write the node's row: a failure there (e.g. during shutdown) must not stop the stream. */
  private reportHealth(h: Parameters<StreamHealthListener>[0]): void {
    try {
      this.onStreamHealth(h);
    } catch (err) {
      this.logger.warn(
        { node_id: this.nodeId, err: (err as Error).message },
        "could not record the event stream's health",
      );
    }
  }

  private clearOkTimer(): void {
    if (this.okTimer) clearTimeout(this.okTimer);
    this.okTimer = undefined;
  }

  /** Reconnects now instead of after the backoff (the node answered a probe). */
  retryNow(): void {
    if (this.stopped || this.watch || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryMs = RETRY_MIN_MS;
    this.connect();
  }

  // Events arriving in one burst are stored in one transaction (one fsync) instead of one each.
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.queue.length === 0) return;
    // A long burst goes in slices: each slice's events reach SSE clients (its sync done) while the
    // next one is stored, instead of all of them after the whole burst.
    let batch = this.queue;
    if (batch.length > FLUSH_MAX_EVENTS) {
      this.queue = batch.slice(FLUSH_MAX_EVENTS);
      batch = batch.slice(0, FLUSH_MAX_EVENTS);
      this.scheduleFlush();
    } else this.queue = [];
    const stored = this.insertBatch(batch);
    this.ack(batch.at(-1)!.seq);
    for (const e of stored) this.bus.emit("event", e);
  }

  /**
   * Acknowledges stored events to the node, after ACK_DELAY_MS. One ack is in flight at a time;
   * batches stored meanwhile are covered by the next ack (acks are cumulative).
   */
  private ack(upTo: number): void {
    if (upTo <= this.ackWanted) return;
    this.ackWanted = upTo;
    if (this.ackInFlight || this.ackTimer) return;
    this.ackTimer = setTimeout(() => this.sendAck(), ACK_DELAY_MS);
    this.ackTimer.unref();
  }

  private sendAck(): void {
    this.ackTimer = undefined;
    if (this.stopped || this.ackWanted <= this.ackSent) return;
    const upTo = this.ackWanted;
    this.ackInFlight = true;
    this.client
      .ackEvents(upTo)
      .then(
        () => {
          this.ackSent = Math.max(this.ackSent, upTo);
        },
        (err: unknown) => {
          this.logger.debug(
            { node_id: this.nodeId, err: (err as Error).message },
            "event ack failed; will ack later",
          );
        },
      )
      .finally(() => {
        this.ackInFlight = false;
        if (this.ackWanted > upTo && !this.stopped) {
          this.ackTimer = setTimeout(() => this.sendAck(), ACK_DELAY_MS);
          this.ackTimer.unref();
        }
      });
  }

  stop(): void {
    this.stopped = true;
    this.clearOkTimer();
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watch?.cancel();
    this.watch = undefined;
    this.flush();
  }
}
