import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { capEventData, MAX_EVENT_BYTES, MAX_EVENT_TEXT_BYTES } from "./event-caps.js";
import { type LogState, loadLogFile, type NodeEvent, rewriteLogFile } from "./event-log-file.js";

export type { NodeEvent } from "./event-log-file.js";

export interface EventLogOptions {
  /** Node data dir; the log is `<dir>/events.jsonl`. */
  dir: string;
  /**
   * Rewrite the file once this many acknowledged events were dropped (default 10000) and at least as
   * many as are still retained, so the cost of a rewrite stays proportional to what it reclaims.
   */
  compactAfter?: number;
}

interface Subscriber {
  next: number;
  onEvent: (event: NodeEvent, bytes: number) => void;
  closed: boolean;
}

/**
 * The node's event buffer: events get a node-global `seq` and a per-agent `agent_seq`, are kept in
 * memory and appended to a JSONL file, and are only handed out (readFrom / subscribe) once durable —
 * so a seq a consumer has seen is never reassigned after a crash. Acknowledged events are dropped;
 * the file is compacted.
 *
 * Group commit: appended lines are written in one batch per event-loop turn and fdatasync'd off the
 * event loop (libuv thread pool); events appended while a sync is in flight form the next batch, so
 * the loop keeps reading agent output while the disk syncs, and one sync covers many events.
 * `flush()` is the synchronous variant (shutdown, tests).
 */
export class EventLog {
  private readonly path: string;
  private readonly compactAfter: number;
  private fd: number;
  private state: LogState;
  private events: NodeEvent[];
  /** Length of each retained event's JSON line (parallel to `events`): a size hint for batching. */
  private sizes: number[];
  private durable: number;
  private pending: string[] = [];
  /** `pending` holds events (not only acks): its write must be synced before they are handed out. */
  private pendingEvents = false;
  private flushScheduled = false;
  /** An asynchronous fdatasync is in flight (the fd must stay open and unreplaced until it returns). */
  private syncing = false;
  private compactWanted = false;
  private fdOpen = true;
  private droppedSinceCompact = 0;
  private closed = false;
  private readonly subscribers = new Set<Subscriber>();

  constructor(opts: EventLogOptions) {
    // Owner-only, like every node data folder (parents made here too): events carry agents' output.
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    this.path = join(opts.dir, "events.jsonl");
    this.compactAfter = opts.compactAfter ?? 10_000;
    const loaded = loadLogFile(this.path);
    this.state = loaded.state;
    this.events = loaded.events;
    this.sizes = this.events.map((e) => JSON.stringify(e).length);
    this.durable = this.state.last_seq;
    rewriteLogFile(this.path, this.state, this.events); // drops acked lines and any torn tail
    this.fd = openSync(this.path, "a", 0o600);
  }

  /** Last assigned seq (0 when none). */
  get lastSeq(): number {
    return this.state.last_seq;
  }

  /** Highest seq written and synced to disk. */
  get durableSeq(): number {
    return this.durable;
  }

  get ackedSeq(): number {
    return this.state.acked;
  }

  /** For metrics: the log file's size on disk and the events it still holds (not yet acknowledged). */
  stats(): { fileBytes: number; retainedEvents: number } {
    let fileBytes = 0;
    try {
      fileBytes = statSync(this.path).size;
    } catch {
      // The file is gone (data dir removed under a stopped log): nothing on disk to count.
    }
    return { fileBytes, retainedEvents: this.events.length };
  }

  lastAgentSeq(agentId: string): number {
    return this.state.agent_seqs[agentId] ?? 0;
  }

  /**
   * Numbers new events after what the consumer already has: when its database holds more than this
   * log ever assigned (a database restored from a backup or replica newer than the log, a lost log),
   * the node-global seq jumps past `seq` (retained events, all older, are dropped as acknowledged) and
   * each agent's seq past the consumer's. Otherwise new events would reuse seqs the consumer has and
   * be ignored. Call before appending. Returns whether anything changed.
   */
  continueAfter(seq: number, agentSeqs: Readonly<Record<string, number>>): boolean {
    let changed = false;
    if (seq > this.state.last_seq) {
      this.flush();
      this.events = [];
      this.sizes = [];
      this.state.last_seq = seq;
      this.state.acked = seq;
      this.durable = seq;
      changed = true;
    }
    for (const [agentId, n] of Object.entries(agentSeqs)) {
      if (n <= (this.state.agent_seqs[agentId] ?? 0)) continue;
      this.state.agent_seqs[agentId] = n;
      changed = true;
    }
    if (changed) this.compact(); // the state line persists the new counters
    return changed;
  }

  /** Records an event; data over the size caps (event-caps.ts) is stored truncated. */
  append(agentId: string, kind: string, data: unknown): NodeEvent {
    if (this.closed) throw new Error("event log is closed");
    const agent_seq = (this.state.agent_seqs[agentId] ?? 0) + 1;
    this.state.agent_seqs[agentId] = agent_seq;
    const event: NodeEvent = {
      seq: ++this.state.last_seq,
      agent_id: agentId,
      agent_seq,
      kind,
      data,
      ts: new Date().toISOString(),
    };
    let line = JSON.stringify(event);
    // A line this short holds no string over the caps (n UTF-16 units are at most 3n bytes).
    if (line.length * 3 > Math.min(MAX_EVENT_TEXT_BYTES, MAX_EVENT_BYTES)) {
      const capped = capEventData(data);
      if (capped !== data) {
        event.data = capped;
        line = JSON.stringify(event);
      }
    }
    this.events.push(event);
    this.sizes.push(line.length);
    this.pending.push(line);
    this.pendingEvents = true;
    this.scheduleFlush();
    return event;
  }

  /** Durable, unacknowledged events with seq >= fromSeq, oldest first. */
  readFrom(fromSeq: number, limit = 1000): NodeEvent[] {
    const start = this.indexOf(Math.max(fromSeq, 1));
    const end = this.indexOf(this.durable + 1);
    return this.events.slice(start, Math.min(end, start + limit));
  }

  /**
   * Replays durable events from `fromSeq`, then delivers new ones as they become durable; `bytes` is
   * the length of the event's JSON line.
   */
  subscribe(fromSeq: number, onEvent: (event: NodeEvent, bytes: number) => void): () => void {
    const sub: Subscriber = { next: Math.max(fromSeq, 1), onEvent, closed: false };
    this.subscribers.add(sub);
    this.pump(sub);
    return () => {
      sub.closed = true;
      this.subscribers.delete(sub);
    };
  }

  /** Drops events with seq <= `seq` (never beyond what is durable); compacts the file now and then. */
  ackUpTo(seq: number): void {
    const upTo = Math.min(seq, this.durable);
    if (upTo <= this.state.acked) return;
    const drop = this.indexOf(upTo + 1);
    this.events.splice(0, drop);
    this.sizes.splice(0, drop);
    this.droppedSinceCompact += drop;
    this.state.acked = upTo;
    this.pending.push(JSON.stringify({ ack: upTo }));
    if (this.droppedSinceCompact >= this.compactAfter && this.droppedSinceCompact >= this.events.length)
      this.compact();
    else this.scheduleFlush();
  }

  /** Writes and syncs everything appended so far (synchronously), then feeds subscribers. */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    const upTo = this.state.last_seq;
    if (this.pending.length > 0) {
      this.writePending();
      fdatasyncSync(this.fd);
    }
    this.markDurable(upTo);
  }

  /** Rewrites the file with only unacknowledged events (deferred while an asynchronous sync runs). */
  compact(): void {
    if (this.closed) return;
    if (this.syncing) {
      this.compactWanted = true;
      return;
    }
    this.compactWanted = false;
    this.flush();
    closeSync(this.fd);
    rewriteLogFile(this.path, this.state, this.events);
    this.fd = openSync(this.path, "a", 0o600);
    this.droppedSinceCompact = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.subscribers.clear();
    // An in-flight asynchronous sync still uses the fd: it is closed when that sync returns.
    if (!this.syncing) this.closeFd();
  }

  private closeFd(): void {
    if (!this.fdOpen) return;
    this.fdOpen = false;
    closeSync(this.fd);
  }

  private writePending(): void {
    const batch = `${this.pending.join("\n")}\n`;
    this.pending = [];
    this.pendingEvents = false;
    writeSync(this.fd, batch);
  }

  /** Events up to `upTo` are on disk: hand them out. */
  private markDurable(upTo: number): void {
    if (upTo <= this.durable) return;
    this.durable = upTo;
    for (const sub of [...this.subscribers]) this.pump(sub);
  }

  /** Writes the pending batch and fdatasyncs it on the thread pool; at most one sync in flight. */
  private syncAsync(): void {
    if (this.closed || this.syncing) return;
    if (this.compactWanted) {
      this.compact();
      return;
    }
    if (this.pending.length === 0) return;
    // Only acks: written, not synced. An ack a crash loses only makes the node offer events again,
    // which the hub already stored (and ignores); a sync here would hold up the next events' batch.
    if (!this.pendingEvents) {
      this.writePending();
      return;
    }
    const upTo = this.state.last_seq;
    this.writePending();
    this.syncing = true;
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (this.closed) {
        this.closeFd();
        return;
      }
      // Durability can no longer be promised (a failed fsync may have dropped dirty pages): fail loudly.
      if (err) throw err;
      this.markDurable(upTo);
      if (this.compactWanted) this.compact();
      if (this.pending.length > 0) this.scheduleFlush();
    });
  }

  /** Index of the first retained event with seq >= `seq` (seqs are contiguous in memory). */
  private indexOf(seq: number): number {
    const first = this.events[0];
    if (!first) return 0;
    return Math.min(Math.max(seq - first.seq, 0), this.events.length);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.syncing) return; // a running sync reschedules when it returns
    this.flushScheduled = true;
    setImmediate(() => {
      if (!this.flushScheduled || this.closed) return;
      this.flushScheduled = false;
      this.syncAsync();
    });
  }

  private pump(sub: Subscriber): void {
    while (!sub.closed && sub.next <= this.durable) {
      const i = this.indexOf(sub.next);
      const event = this.events[i];
      if (!event || event.seq > this.durable) return;
      sub.next = event.seq + 1;
      try {
        sub.onEvent(event, this.sizes[i] ?? 0);
      } catch {
        sub.closed = true;
        this.subscribers.delete(sub);
      }
    }
  }
}
