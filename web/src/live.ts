import { useEffect, useRef, useSyncExternalStore } from "react";
import { notifySignedOut } from "./api/client";

/**
 * Live updates: Server-Sent Events read with fetch (the session cookie goes along; no token in the
 * URL), resumed after a drop with `Last-Event-ID`, reconnected by themselves with back-off, and
 * reported to one connectivity store the page shows ("offline, reconnecting").
 */

export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

export type StreamState = "connecting" | "open" | "down";

// ---- connectivity: every open stream's state, and the browser's own idea of being online ----

const states = new Map<number, StreamState>();
const subscribers = new Set<() => void>();
let nextStreamId = 1;
let snapshot = "online";

function recompute(): void {
  const down = !navigator.onLine || [...states.values()].some((s) => s === "down");
  const next = down ? "offline" : "online";
  if (next !== snapshot) {
    snapshot = next;
    for (const fn of subscribers) fn();
  }
}
window.addEventListener("online", recompute);
window.addEventListener("offline", recompute);

function setState(id: number, state: StreamState | undefined): void {
  if (state === undefined) states.delete(id);
  else states.set(id, state);
  recompute();
}

/** "offline" while the browser is offline or any live stream is down (and reconnecting). */
export function useConnectivity(): "online" | "offline" {
  return useSyncExternalStore(
    (fn) => {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    () => snapshot as "online" | "offline",
  );
}

// ---- one stream ----

/** No byte (not even the hub's 15 s heartbeat) for this long: the connection is dead; reconnect. */
const SILENCE_MS = 40_000;
const MAX_BACKOFF_MS = 10_000;

/** Splits an SSE byte stream into messages (comments and heartbeats skipped). */
export class SseParser {
  private buf = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;

  push(text: string, emit: (m: SseMessage) => void): void {
    this.buf += text;
    for (;;) {
      const nl = this.buf.search(/\r\n|\r|\n/);
      if (nl < 0) return;
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(this.buf[nl] === "\r" && this.buf[nl + 1] === "\n" ? nl + 2 : nl + 1);
      if (line === "") {
        if (this.data.length > 0)
          emit({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
        this.data = [];
        this.event = "";
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.data.push(value);
      else if (field === "event") this.event = value;
      else if (field === "id") this.id = value;
    }
  }
}

export interface StreamOptions {
  /** Called for every message, in order. */
  onMessage: (m: SseMessage) => void;
  /** Called when the hub refuses the stream (4xx): no retry. */
  onRefused?: (status: number) => void;
  onState?: (s: StreamState) => void;
}

/** Opens `url` as an SSE stream until the returned function is called. */
export function openStream(url: string, o: StreamOptions): () => void {
  const id = nextStreamId++;
  const stop = new AbortController();
  let lastId: string | undefined;
  let failures = 0;
  const report = (s: StreamState) => {
    setState(id, s);
    o.onState?.(s);
  };

  const once = async (): Promise<"retry" | "stop"> => {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    stop.signal.addEventListener("abort", abort);
    let silence: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(abort, SILENCE_MS);
    };
    try {
      const headers: Record<string, string> = { accept: "text/event-stream" };
      if (lastId !== undefined) headers["last-event-id"] = lastId;
      alive();
      const res = await fetch(url, { headers, credentials: "same-origin", signal: attempt.signal });
      if (res.status >= 400 && res.status < 500) {
        if (res.status === 401) notifySignedOut();
        o.onRefused?.(res.status);
        return "stop";
      }
      if (!res.ok || !res.body) return "retry";
      report("open");
      failures = 0;
      const parser = new SseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return "retry";
        alive();
        parser.push(value, (m) => {
          if (m.id !== undefined) lastId = m.id;
          o.onMessage(m);
        });
      }
    } catch {
      return stop.signal.aborted ? "stop" : "retry";
    } finally {
      clearTimeout(silence);
      stop.signal.removeEventListener("abort", abort);
    }
  };

  void (async () => {
    report("connecting");
    while (!stop.signal.aborted) {
      const next = await once();
      if (next === "stop" || stop.signal.aborted) break;
      report("down");
      failures++;
      const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 6));
      await new Promise((r) => setTimeout(r, wait));
    }
    setState(id, undefined);
  })();
  return () => {
    stop.abort();
    setState(id, undefined);
  };
}

/** A stream for the component's lifetime (reopened when `url` changes; null: none). */
export function useStream(url: string | null, o: StreamOptions): void {
  const ref = useRef(o);
  ref.current = o;
  useEffect(() => {
    if (!url) return;
    return openStream(url, {
      onMessage: (m) => ref.current.onMessage(m),
      onRefused: (s) => ref.current.onRefused?.(s),
      onState: (s) => ref.current.onState?.(s),
    });
  }, [url]);
}
