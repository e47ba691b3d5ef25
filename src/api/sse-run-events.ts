import type { FastifyReply, FastifyRequest } from "fastify";
import type { RunEventLog } from "../hub/run-service.js";
import type { RunEvent } from "../store/run-events-repo.js";
import { runEventView } from "./views/runs.js";

const HEARTBEAT_MS = 15_000;
const PAGE = 500;

function frame(e: RunEvent): string {
  return `id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(runEventView(e))}\n\n`;
}

/** Open run event streams, so a closing hub can end them (clients reconnect with Last-Event-ID). */
export class RunEventStreams {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => {
      this.open.delete(end);
    };
  }

  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}

/**
 * Streams a run's event log as SSE: stored events after `after` (the `Last-Event-ID`), then new ones as
 * they are committed, in seq order with no gap and no duplicate. Every frame is read from the store
 * (an append announces only that there is something to read), and reads happen after the appending
 * tick, so an event of a transaction that rolled back is never sent. Heartbeat comments keep proxies
 * from closing an idle stream.
 */
export function streamRunEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  runId: string,
  after: number,
  log: RunEventLog,
  streams: RunEventStreams,
): void {
  let cursor = after;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": req.id,
  });
  res.write(": connected\n\n");

  let closed = false;
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    if (closed || res.writableEnded || res.destroyed) return;
    for (;;) {
      let page: RunEvent[];
      try {
        page = log.page(runId, cursor, PAGE);
      } catch (err) {
        // The database closed under us (hub stopping): the stream ends, the client reconnects.
        req.log.debug({ err: (err as Error).message, run_id: runId }, "run event stream ended");
        end();
        return;
      }
      if (page.length === 0) return;
      cursor = page.at(-1)!.seq;
      res.write(page.map(frame).join(""));
      if (page.length < PAGE) return;
    }
  };
  const onAppended = (id: string) => {
    if (id !== runId || scheduled) return;
    scheduled = true;
    // After the appending tick: its transaction has committed (or rolled back) by then.
    setImmediate(drain);
  };
  const heartbeat = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write(": heartbeat\n\n");
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let forget: () => void = () => undefined;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    log.off("appended", onAppended);
    forget();
  };
  function end() {
    cleanup();
    if (!res.writableEnded) res.end();
  }
  forget = streams.add(end);
  req.raw.on("close", cleanup);
  res.on("error", cleanup);
  log.on("appended", onAppended);
  drain();
}
