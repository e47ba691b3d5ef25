import type { FastifyReply, FastifyRequest } from "fastify";
import type { AgentEventBus, StoredAgentEvent } from "../hub/agent-event-bus.js";
import type { AgentsRepo } from "../store/agents-repo.js";

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;

function frame(e: { seq: number; kind: string; data: unknown; at: string | null }): string {
  return `id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify({ seq: e.seq, kind: e.kind, data: e.data, at: e.at })}\n\n`;
}

/**
 * Streams an agent's events as SSE: stored events after `Last-Event-ID` (or `after`, the route's
 * validated `?after=`), then live ones,
 * with no gap and no duplicate (live events are buffered while the replay runs). Heartbeat comments
 * keep proxies from closing an idle stream.
 */
export function streamAgentEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  agentId: string,
  repo: AgentsRepo,
  bus: AgentEventBus,
  after = 0,
): void {
  const lastId = req.headers["last-event-id"];
  let cursor = typeof lastId === "string" ? Number(lastId) : after;
  if (!Number.isInteger(cursor) || cursor < 0) cursor = 0;

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

  let replaying = true;
  const buffered: StoredAgentEvent[] = [];
  // Frames produced in one synchronous run (the ingestor publishes a stored batch at once) go out as
  // one write at the end of it, instead of one chunked write (three buffers) per event.
  let out = "";
  const writeOut = () => {
    const text = out;
    out = "";
    if (text && !res.writableEnded && !res.destroyed) res.write(text);
  };
  const send = (e: StoredAgentEvent) => {
    if (e.seq <= cursor) return;
    cursor = e.seq;
    if (out === "") queueMicrotask(writeOut);
    out += frame(e);
  };
  const onEvent = (e: StoredAgentEvent) => {
    if (e.agent_id !== agentId) return;
    if (replaying) buffered.push(e);
    else send(e);
  };
  bus.on("event", onEvent);

  for (;;) {
    const page = repo.events(agentId, cursor, REPLAY_PAGE);
    for (const e of page) {
      send({
        agent_id: agentId,
        seq: e.seq,
        kind: e.kind,
        data: e.data,
        at: new Date(e.created_at).toISOString(),
      });
    }
    writeOut();
    if (page.length < REPLAY_PAGE) break;
  }
  replaying = false;
  for (const e of buffered) send(e);

  const heartbeat = setInterval(() => {
    writeOut();
    res.write(": heartbeat\n\n");
  }, HEARTBEAT_MS);
  // A draining hub ends its streams so the listener can close; clients reconnect with Last-Event-ID.
  const onShutdown = () => {
    writeOut();
    res.end();
  };
  bus.once("shutdown", onShutdown);
  const cleanup = () => {
    clearInterval(heartbeat);
    bus.off("event", onEvent);
    bus.off("shutdown", onShutdown);
  };
  req.raw.on("close", cleanup);
  res.on("error", cleanup);
}
