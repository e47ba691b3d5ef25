import type { FastifyReply, FastifyRequest } from "fastify";
import type { AgentEventBus, StoredAgentEvent } from "../hub/agent-event-bus.js";
import type { AgentsRepo } from "../store/agents-repo.js";
import type { SseStreams } from "./sse-stream.js";

const REPLAY_PAGE = 500;

/** One event's frame; `dataJson` (the stored text of `data`, when at hand) is used as it is. */
function frame(
  e: { seq: number; kind: string; data?: unknown; at: string | null },
  dataJson?: string,
): string {
  const body =
    dataJson === undefined
      ? JSON.stringify({ seq: e.seq, kind: e.kind, data: e.data, at: e.at })
      : `{"seq":${e.seq},"kind":${JSON.stringify(e.kind)},"data":${dataJson},"at":${JSON.stringify(e.at)}}`;
  return `id: ${e.seq}\nevent: ${e.kind}\ndata: ${body}\n\n`;
}

/**
 * Streams an agent's events as SSE: stored events after `Last-Event-ID` (or `after`, the route's
 * validated `?after=`), read from the database at the client's pace, then live ones from the bus,
 * with no gap and no duplicate. Nothing is buffered per client while it replays (events published
 * meanwhile are stored, and read again); a live client that falls more than the bound behind is
 * disconnected (see SseStreams) and resumes with `Last-Event-ID`.
 */
export function streamAgentEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  agentId: string,
  repo: AgentsRepo,
  bus: AgentEventBus,
  streams: SseStreams,
  after = 0,
): void {
  const lastId = req.headers["last-event-id"];
  let cursor = typeof lastId === "string" ? Number(lastId) : after;
  if (!Number.isInteger(cursor) || cursor < 0) cursor = 0;

  const stream = streams.open(req, reply);
  let live = false;
  // The newest seq published while replaying: the replay goes on until it has sent it.
  let published = 0;
  const onEvent = (e: StoredAgentEvent) => {
    if (e.agent_id !== agentId) return;
    if (!live) {
      if (e.seq > published) published = e.seq;
      return;
    }
    if (e.seq <= cursor) return;
    cursor = e.seq;
    stream.push(frame(e, e.data_json));
  };
  bus.on("event", onEvent);
  stream.onClose(() => bus.off("event", onEvent));

  const read = (from: number) =>
    repo.eventRows(agentId, from, REPLAY_PAGE).map((e) => ({
      seq: e.seq,
      frame: frame({ seq: e.seq, kind: e.kind, at: new Date(e.created_at).toISOString() }, e.data_json),
    }));
  void (async () => {
    try {
      do {
        const sent = await stream.replay(cursor, REPLAY_PAGE, read);
        if (sent === undefined) return;
        cursor = sent;
      } while (published > cursor);
      live = true;
    } catch (err) {
      // The database closed under us (hub stopping): the stream ends, the client reconnects.
      req.log.debug({ err: (err as Error).message, agent_id: agentId }, "agent event stream ended");
      stream.end();
    }
  })();
}
