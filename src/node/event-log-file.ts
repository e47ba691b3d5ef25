import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** One agent event as the node stores and streams it. */
export interface NodeEvent {
  /** Node-global, gap-free, never reused. */
  seq: number;
  agent_id: string;
  /** Per agent, gap-free, never reused. */
  agent_seq: number;
  kind: string;
  data: unknown;
  /** ISO timestamp. */
  ts: string;
}

/** Counters that must survive compaction. */
export interface LogState {
  acked: number;
  last_seq: number;
  agent_seqs: Record<string, number>;
}

/**
 * File format (JSONL, append-only between compactions):
 *   {"state": LogState}  — first line after a compaction
 *   {"ack": n}           — events with seq <= n are acknowledged
 *   {...NodeEvent}       — an event
 * A torn last line (crash mid-write) is ignored.
 */
export function loadLogFile(path: string): { state: LogState; events: NodeEvent[] } {
  const state: LogState = { acked: 0, last_seq: 0, agent_seqs: {} };
  const events: NodeEvent[] = [];
  if (!existsSync(path)) return { state, events };
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line) continue;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (rec.state && typeof rec.state === "object") {
      const s = rec.state as LogState;
      state.acked = Math.max(state.acked, s.acked);
      state.last_seq = Math.max(state.last_seq, s.last_seq);
      for (const [id, n] of Object.entries(s.agent_seqs))
        state.agent_seqs[id] = Math.max(state.agent_seqs[id] ?? 0, n);
    } else if (typeof rec.ack === "number") {
      state.acked = Math.max(state.acked, rec.ack);
    } else if (typeof rec.seq === "number" && rec.seq > state.last_seq) {
      const ev = rec as unknown as NodeEvent;
      events.push(ev);
      state.last_seq = ev.seq;
      state.agent_seqs[ev.agent_id] = Math.max(state.agent_seqs[ev.agent_id] ?? 0, ev.agent_seq);
    }
  }
  return { state, events: events.filter((e) => e.seq > state.acked) };
}

/** Atomically replaces the log with a state line plus `events` (write tmp, fsync, rename, fsync dir). */
export function rewriteLogFile(path: string, state: LogState, events: readonly NodeEvent[]): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    const lines = [JSON.stringify({ state }), ...events.map((e) => JSON.stringify(e))];
    writeSync(fd, `${lines.join("\n")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dirname(path), "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
