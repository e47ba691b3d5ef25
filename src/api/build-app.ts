import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { AppError } from "../errors/registry.js";
import type { AuthService } from "../hub/auth-service.js";
import { newId } from "../util/ids.js";
import type { Logger } from "../util/logger.js";
import { registerAuthRoutes } from "./auth-routes.js";
import { installErrorHandler } from "./error-handler.js";

export interface AppDeps {
  logger: Logger;
  auth: AuthService;
  bodyLimitBytes: number;
  authRateLimitPerMinute: number;
  version: string;
  /** More of `GET /health` (e.g. the isolation agents run in); the base fields stay. */
  health?: () => Record<string, unknown>;
  /** Later layers (teams, runs, agents, nodes) add their routes here. */
  registerRoutes?: ((app: FastifyInstance) => void)[];
}

// Query-string tokens (EventSource clients) must never reach a log line.
function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/gi, "$1[redacted]");
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: "api" }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    bodyLimit: deps.bodyLimitBytes,
    genReqId: () => newId("req"),
    trustProxy: false,
  });
  installErrorHandler(app);
  // A bodiless POST (`curl -H 'content-type: application/json' -X POST …/start`, as the README's helper
  // sends) is an empty object, not invalid JSON; anything else goes through Fastify's own safe parser.
  const jsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, {});
      return;
    }
    jsonParser(req, text, done);
  });

  app.addHook("onRequest", async (req, reply) => {
    void reply.header("X-Request-Id", req.id);
  });
  // One line per request, written when it ends.
  app.addHook("onResponse", async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        url: redactUrl(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      "request",
    );
  });

  await app.register(rateLimit, {
    global: false,
    addHeadersOnExceeding: {
      "x-ratelimit-limit": true,
      "x-ratelimit-remaining": true,
      "x-ratelimit-reset": true,
    },
    addHeaders: {
      "x-ratelimit-limit": true,
      "x-ratelimit-remaining": true,
      "x-ratelimit-reset": true,
      "retry-after": true,
    },
    // Thrown by the plugin, so it reaches the one error handler like any other registry error.
    errorResponseBuilder: (_req, ctx) =>
      new AppError("RATE_LIMITED", { retry_after_seconds: Math.ceil(ctx.ttl / 1000) }),
  });
  const authLimit = { max: deps.authRateLimitPerMinute, timeWindow: 60_000 };

  app.get("/health", async () => ({ ...deps.health?.(), status: "ok", version: deps.version }));
  registerAuthRoutes(app, deps.auth, authLimit);
  for (const register of deps.registerRoutes ?? []) register(app);
  return app;
}
