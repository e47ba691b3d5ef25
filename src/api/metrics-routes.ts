import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors/registry.js";
import { bearerToken } from "./authenticate.js";
import { errorResponses } from "./schemas/common.js";

/** One scrape: the exposition text and its content type (Prometheus text format 0.0.4). */
export interface MetricsScrape {
  contentType: string;
  body: string;
}

export type Scrape = () => Promise<MetricsScrape>;

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * `GET /metrics` on the REST listener, for scrapers on other machines: only registered when
 * `[metrics] token_file` is set, and it answers only with that file's token (`Authorization: Bearer`),
 * compared in constant time. Not configured, the path is the router's 404 like any unknown one.
 */
export function registerMetricsRoute(app: FastifyInstance, token: string, scrape: Scrape): void {
  const expected = digest(token);
  app.withTypeProvider<ZodTypeProvider>().get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (when `[metrics] token_file` is set)",
        description:
          "The hub's metrics in the Prometheus text format. Needs the bearer token in `[metrics] token_file` (not a user's session token). Without that key this path is 404; `[metrics] listen` serves the same on a separate loopback listener.",
        tags: ["health"],
        security: [{ metricsToken: [] }],
        response: {
          200: {
            description: "Prometheus text exposition format 0.0.4",
            content: { "text/plain": { schema: z.string() } },
          },
          ...errorResponses("MISSING_TOKEN", "INVALID_TOKEN"),
        },
      },
    },
    async (req, reply) => {
      const given = bearerToken(req);
      if (given === undefined) throw new AppError("MISSING_TOKEN");
      if (!timingSafeEqual(digest(given), expected)) throw new AppError("INVALID_TOKEN");
      const out = await scrape();
      return reply.type(out.contentType).send(out.body);
    },
  );
}
