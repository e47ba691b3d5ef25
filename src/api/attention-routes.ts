import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AttentionService } from "../hub/attention-service.js";
import type { AuthService } from "../hub/auth-service.js";
import { authenticate } from "./authenticate.js";
import { AttentionList, AttentionQuery } from "./schemas/attention.js";
import { AUTH_ERRORS, errorResponses } from "./schemas/common.js";
import { streamAttention } from "./sse-attention.js";
import type { SseStreams } from "./sse-stream.js";
import { attentionListView } from "./views/attention.js";

export interface AttentionRouteDeps {
  auth: AuthService;
  attention: AttentionService;
  sse: SseStreams;
}

/** GET /api/attention: what waits for the caller, as JSON or as a live SSE stream. */
export function registerAttentionRoutes(app: FastifyInstance, d: AttentionRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/attention",
    {
      schema: {
        summary:
          "What waits for the caller: permission requests, steps needing input, failed runs, offline nodes",
        description:
          "Permission reviews routed to humans in the caller's teams (and their own agents' requests outside runs), " +
          "steps `input_required`, runs failed in the last 24 hours, and offline nodes (root: every node; others: " +
          "the nodes their teams use). With `Accept: text/event-stream` the answer is a stream of `event: attention` " +
          "frames, each the whole list: the current one first, then a new one whenever it changes.",
        tags: ["attention"],
        querystring: AttentionQuery,
        response: {
          200: {
            description: "the list (JSON), or the stream of lists (SSE)",
            content: {
              "application/json": { schema: AttentionList },
              "text/event-stream": {
                schema: z.string().describe("SSE frames: event attention, data AttentionList"),
              },
            },
          },
          ...errorResponses(...AUTH_ERRORS),
        },
      },
    },
    async (req, reply) => {
      const p = authenticate(d.auth, req);
      if ((req.headers.accept ?? "").includes("text/event-stream")) {
        streamAttention(req, reply, p, d.attention, d.sse);
        return reply;
      }
      return attentionListView(d.attention.list(p));
    },
  );
}
