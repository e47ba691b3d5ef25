import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { fillMessage } from "../errors/message-template.js";
import { AppError } from "../errors/registry.js";
import { errorBody } from "./error-handler.js";
import { errorResponses } from "./schemas/common.js";
import { type ReadinessChecks, Ready } from "./schemas/readiness.js";

/**
 * `GET /readyz`: whether this hub can do its work now (unlike `/health`, which says it is alive). 200
 * with every check, or 503 in the error contract naming the failed checks (`details.failed`,
 * `details.checks`). `check` runs the checks; it never throws.
 */
export function registerReadinessRoute(app: FastifyInstance, check: () => ReadinessChecks): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/readyz",
    {
      schema: {
        summary: "Readiness: database writable, migrations current, internal gRPC serving",
        description:
          "For deploys and load balancers: 200 once the hub can serve, 503 (`NOT_READY`, naming the failed checks in the message and `details`) when it cannot. `/health` is liveness only.",
        tags: ["health"],
        security: [],
        response: { 200: Ready, ...errorResponses("NOT_READY") },
      },
    },
    async (req, reply) => {
      const checks = check();
      const failed = Object.entries(checks)
        .filter(([, c]) => !c.ok)
        .map(([name]) => name);
      if (failed.length === 0) return { ready: true as const, checks };
      const err = new AppError(
        "NOT_READY",
        { ready: false, failed, checks },
        { message: fillMessage("NOT_READY", { failed: failed.join(", ") }) },
      );
      // Answered here rather than thrown: a failing probe is logged once as a warning, not as a 500's error.
      req.log.warn({ failed, checks }, "not ready");
      // The typed reply knows only the 200 body; the error body is the registry's (documented above).
      return (reply as FastifyReply).status(err.status).send(errorBody(err, req.id));
    },
  );
}
