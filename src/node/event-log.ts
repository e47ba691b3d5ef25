import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type LogState, loadLogFile, type NodeEvent, rewriteLogFile } from "./event-log-file.js";

export type { NodeEvent } from "./event-log-file.js";

export interface EventLogOptions {
  /** Node data dir; the log is `<dir>/events.jsonl`. */
  dir: string;
  /** Rewrite the file once this many acknowledged events were dropped (default 1000). */
  compactAfter?: number;
}

interface Subscriber {
  next: number;
  onEvent: (event: NodeEvent) => void;
  closed: boolean;
}

/**
 * The node's event buffer: events get a node-global `seq` and a per-agent `agent_seq`, are kept in
 * memory and appended to a JSONL file (written and fdatasync'd in batches, once per event-loop
 * turn), and are only handed out (readFrom / subscribe) once durable — so a seq a consumer has seen
 * is never reassigned after a crash. Acknowledged events are dropped; the file is compacted.
 */
export class EventLog {
  private readonly path: string;
  private readonly compactAfter: number;
  private fd: number;
  private state: LogState;
  private events: NodeEvent[];
  private durable: number;
  private pending: string[] = [];
  private flushScheduled = false;
  private droppedSinceCompact = 0;
  private closed = false;
  private readonly subscribers = new Set<Subscriber>();

  constructor(opts: EventLogOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.path = join(opts.dir, "events.jsonl");
    this.compactAfter = opts.compactAfter ?? 1000;
    const loaded = loadLogFile(this.path);
    this.state = loaded.state;
    this.events = loaded.events;
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

  lastAgentSeq(agentId: string): number {
    return this.state.agent_seqs[agentId] ?? 0;
  }

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
    this.events.push(event);
    this.pending.push(JSON.stringify(event));
    this.scheduleFlush();
    return event;
  }

  /** Durable, unacknowledged events with seq >= fromSeq, oldest first. */
  readFrom(fromSeq: number, limit = 1000): NodeEvent[] {
    const start = this.indexOf(Math.max(fromSeq, 1));
    const end = this.indexOf(this.durable + 1);
    return this.events.slice(start, Math.min(end, start + limit));
  }

  /** Replays durable events from `fromSeq`, then delivers new ones as they become durable. */
  subscribe(fromSeq: number, onEvent: (event: NodeEvent) => void): () => void {
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
    this.droppedSinceCompact += drop;
    this.state.acked = upTo;
    this.pending.push(JSON.stringify({ ack: upTo }));
    if (this.droppedSinceCompact >= this.compactAfter) this.compact();
    else this.scheduleFlush();
  }

  /** Writes and syncs everything appended so far, then feeds subscribers. */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    if (this.pending.length > 0) {
      const batch = `${this.pending.join("\n")}\n`;
      this.pending = [];
      writeSync(this.fd, batch);
      fdatasyncSync(this.fd);
    }
    if (this.durable === this.state.last_seq) return;
    this.durable = this.state.last_seq;
    for (const sub of [...this.subscribers]) this.pump(sub);
  }

  /** Rewrites the file with only unacknowledged events. */
  compact(): void {
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
    closeSync(this.fd);
  }

  /** Index of the first retained event with seq >= `seq` (seqs are contiguous in memory). */
  private indexOf(seq: number): number {
    const first = this.events[0];
    if (!first) return 0;
    return Math.min(Math.max(seq - first.seq, 0), this.events.length);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      if (this.flushScheduled && !this.closed) this.flush();
    });
  }

  private pump(sub: Subscriber): void {
    while (!sub.closed && sub.next <= this.durable) {
      const event = this.events[this.indexOf(sub.next)];
      if (!event || event.seq > this.durable) return;
      sub.next = event.seq + 1;
      try {
        sub.onEvent(event);
      } catch {
        sub.closed = true;
        this.subscribers.delete(sub);
      }
    }
  }
}
