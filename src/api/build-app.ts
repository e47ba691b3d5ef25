import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { MetricsSink } from "../contracts/metrics-sink.js";
import { AppError } from "../errors/registry.js";
import type { AuthService } from "../hub/auth-service.js";
import { newId } from "../util/ids.js";
import type { Logger } from "../util/logger.js";
import { registerAuthRoutes } from "./auth-routes.js";
import { errorBody, installErrorHandler, routerError } from "./error-handler.js";
import { installJsonParser } from "./json-body.js";
import { responseSerializer } from "./response-serializer.js";
import { errorResponses } from "./schemas/common.js";

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
  /** Told every answered request's duration by route pattern (metrics; absent when they are off). */
  metrics?: Pick<MetricsSink, "httpRequest">;
  /**
   * Undefined when every write so far is on disk, else a promise of that (group commit): no answer
   * leaves before it, so nothing a client was told can be lost by a crash.
   */
  durable?: () => Promise<void> | undefined;
}

// Query-string tokens (EventSource clients) must never reach a log line.
function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/gi, "$1[redacted]");
}

declare module "fastify" {
  interface FastifyInstance {
    /** Routes registered without a schema (CI fails when any exist). */
    routesWithoutSchema(): string[];
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: "api" }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "request_id" }),
    bodyLimit: deps.bodyLimitBytes,
    genReqId: () => newId("req"),
    trustProxy: false,
    // Path ids are bounded like every id in the schemas (MAX_ID).
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals (bad percent-encoding, an over-long path parameter) answer in the contract.
    frameworkErrors: (err, req, reply) => {
      const appErr = routerError(err);
      const raw = reply as unknown as {
        header(k: string, v: string): unknown;
        code(n: number): { send(b: unknown): unknown };
      };
      raw.header("X-Request-Id", req.id);
      raw.code(appErr.status).send(errorBody(appErr, req.id));
    },
    // Requests Node's HTTP parser refuses (a malformed header line) never reach a route: answer them
    // in the contract too, then close.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return;
      const id = newId("req");
      const appErr = new AppError(
        "BAD_REQUEST",
        { reason: "malformed_http" },
        { message: `malformed HTTP request: ${err.code ?? err.message}` },
      );
      const body = JSON.stringify(errorBody(appErr, id));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  installErrorHandler(app);
  installJsonParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer(deps.logger));
  // Routes without a schema are collected so a test (and CI) fails on them.
  const unschemed: string[] = [];
  app.addHook("onRoute", (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (methods.every((m) => m === "HEAD")) return;
    const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
    if (!r.schema && !hidden) unschemed.push(`${methods.join(",")} ${r.url}`);
  });
  app.decorate("routesWithoutSchema", () => [...unschemed]);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "agenthub",
        version: deps.version,
        description:
          "The agenthub hub's REST API. Every error is `{error, code, request_id, details?}` with an `X-Request-Id` header.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "POST /api/login or /api/join" },
          metricsToken: { type: "http", scheme: "bearer", description: "the token in [metrics] token_file" },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "agenthub_session",
            description:
              "The web console's session cookie (set by POST /api/login or /api/join); state-changing requests also send X-CSRF-Token",
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The reference page is served from the package (no CDN), so it works offline.
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
  app.addHook("onRequest", async (req, reply) => {
    void reply.header("X-Request-Id", req.id);
  });
  const durable = deps.durable;
  if (durable) {
    app.addHook("onSend", (_req, _reply, payload, done) => {
      const synced = durable();
      if (synced) synced.then(() => done(null, payload), done);
      else done(null, payload);
    });
  }
  // One line per request, written when it ends; its duration by route pattern (never the raw URL),
  // except SSE streams, whose length is the client's, not the hub's latency.
  const metrics = deps.metrics;
  const isStream = (type: unknown) => typeof type === "string" && type.startsWith("text/event-stream");
  app.addHook("onResponse", async (req, reply) => {
    if (!isStream(reply.raw.getHeader("content-type"))) {
      metrics?.httpRequest({
        method: req.method,
        route: req.routeOptions.url ?? "unmatched",
        status: reply.statusCode,
        seconds: reply.elapsedTime / 1000,
      });
    }
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

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/health",
    {
      schema: {
        summary: "Liveness, version and the agent isolation in force",
        tags: ["health"],
        security: [],
        response: {
          200: z.looseObject({ status: z.literal("ok"), version: z.string() }),
          ...errorResponses(),
        },
      },
    },
    async () => ({ ...deps.health?.(), status: "ok" as const, version: deps.version }),
  );
  typed.get(
    "/api/openapi.json",
    {
      schema: {
        summary: "This document (OpenAPI 3.1), to generate clients from",
        tags: ["health"],
        security: [],
        response: { 200: z.record(z.string(), z.unknown()), ...errorResponses() },
      },
    },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
  registerAuthRoutes(app, deps.auth, authLimit);
  for (const register of deps.registerRoutes ?? []) register(app);
  return app;
}
