import type { FastifyReply, FastifyRequest } from "fastify";
import type { RunEventLog } from "../hub/run-service.js";
import type { RunEvent } from "../store/run-events-repo.js";
import type { SseStreams } from "./sse-stream.js";
import { runEventView } from "./views/runs.js";

const PAGE = 500;

function frame(e: RunEvent): string {
  return `id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(runEventView(e))}\n\n`;
}

/**
 * Streams a run's event log as SSE: stored events after `after` (the `Last-Event-ID`), read at the
 * client's pace, then new ones as they are committed, in seq order with no gap and no duplicate.
 * Every frame is read from the store (an append announces only that there is something to read), and
 * reads happen after the appending tick, so an event of a transaction that rolled back is never sent.
 * A live client that falls more than the bound behind is disconnected (see SseStreams) and resumes
 * with `Last-Event-ID`.
 */
export function streamRunEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  runId: string,
  after: number,
  log: RunEventLog,
  streams: SseStreams,
): void {
  let cursor = after;
  const stream = streams.open(req, reply);

  let live = false;
  // An append announced while replaying: the replay reads once more before going live.
  let appended = false;
  let scheduled = false;
  const read = (from: number) => log.page(runId, from, PAGE).map((e) => ({ seq: e.seq, frame: frame(e) }));
  const failed = (err: unknown) => {
    // The database closed under us (hub stopping): the stream ends, the client reconnects.
    req.log.debug({ err: (err as Error).message, run_id: runId }, "run event stream ended");
    stream.end();
  };
  const pushNew = () => {
    scheduled = false;
    try {
      for (;;) {
        if (!stream.isOpen) return;
        const page = read(cursor);
        for (const f of page) {
          if (!stream.push(f.frame)) return;
          cursor = f.seq;
        }
        if (page.length < PAGE) return;
      }
    } catch (err) {
      failed(err);
    }
  };
  const onAppended = (id: string) => {
    if (id !== runId) return;
    if (!live) {
      appended = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    // After the appending tick: its transaction has committed (or rolled back) by then.
    setImmediate(pushNew);
  };
  log.on("appended", onAppended);
  stream.onClose(() => log.off("appended", onAppended));

  void (async () => {
    try {
      do {
        appended = false;
        const sent = await stream.replay(cursor, PAGE, read);
        if (sent === undefined) return;
        cursor = sent;
      } while (appended);
      live = true;
    } catch (err) {
      failed(err);
    }
  })();
}
