import type { FastifyReply, FastifyRequest } from "fastify";
import type { AttentionService } from "../hub/attention-service.js";
import type { Principal } from "../hub/auth-service.js";
import type { SseStreams } from "./sse-stream.js";
import { attentionListView } from "./views/attention.js";

/**
 * Streams the caller's attention list as SSE: the whole list at once, then again whenever it changes
 * (`event: attention`, the same JSON as the GET). Each frame is complete, so a client that reconnects
 * simply gets the current list first; frames carry no id.
 */
export function streamAttention(
  req: FastifyRequest,
  reply: FastifyReply,
  p: Principal,
  attention: AttentionService,
  streams: SseStreams,
): void {
  const stream = streams.open(req, reply);
  let last = "";
  const send = () => {
    if (!stream.isOpen) return;
    let body: string;
    try {
      body = JSON.stringify(attentionListView(attention.list(p)));
    } catch (err) {
      // The database closed under us (hub stopping): the stream ends, the client reconnects.
      req.log.debug({ err: (err as Error).message }, "attention stream ended");
      stream.end();
      return;
    }
    if (body === last) return;
    last = body;
    stream.push(`event: attention\ndata: ${body}\n\n`);
  };
  stream.onClose(attention.watch(send));
  send();
}
