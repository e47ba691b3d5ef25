import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, ERRORS, type ErrorCode } from "../errors/registry.js";

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  request_id: string;
  details?: Record<string, unknown>;
}

/**
 * Route options a route may set: a registry code for a refused field, so a schema refusal keeps the
 * contract's own message (`{"body.name": "TEAM_NAME_REQUIRED"}` -> "team name is required").
 */
export interface RouteErrorConfig {
  fieldCodes?: Readonly<Record<string, ErrorCode>>;
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  const body: ErrorBody = { error: err.message, code: err.code, request_id: requestId };
  if (err.details) body.details = err.details;
  return body;
}

type Where = "body" | "querystring" | "params" | "headers";
const LOCATION: Record<Where, string> = {
  body: "body",
  querystring: "query",
  params: "path",
  headers: "header",
};

interface ZodIssueLike {
  instancePath: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** A schema refusal: the first problem names its field; all of them are in details.issues. */
function fromValidation(err: FastifyError, req: FastifyRequest): AppError {
  const where = (err.validationContext ?? "body") as Where;
  const loc = LOCATION[where] ?? where;
  const issues = (err.validation ?? []) as unknown as ZodIssueLike[];
  const list = issues.map((i) => {
    const keys = i.keyword === "unrecognized_keys" ? (i.params.keys as string[] | undefined) : undefined;
    const path = i.instancePath.split("/").filter(Boolean);
    const field = [...path, ...(keys && keys.length === 1 ? keys : [])].join(".");
    const message = keys
      ? `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`
      : i.message;
    return { field, message };
  });
  const first = list[0] ?? { field: "", message: err.message };
  const top = first.field.split(".")[0] ?? "";
  const codes = (req.routeOptions.config as RouteErrorConfig | undefined)?.fieldCodes;
  const code = codes?.[`${where}.${top}`];
  const details = { location: loc, field: first.field || null, issues: list };
  if (code) return new AppError(code, details);
  const label = first.field ? `${loc}.${first.field}` : loc;
  return new AppError("BAD_REQUEST", details, { message: `${label}: ${first.message}` });
}

/** Fastify's own errors (router, parser, body limit) mapped onto the registry by their stable code. */
function fromFastify(err: FastifyError, req: FastifyRequest): AppError {
  if (hasZodFastifySchemaValidationErrors(err) || err.validation) return fromValidation(err, req);
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("PAYLOAD_TOO_LARGE");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("INVALID_JSON");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("UNSUPPORTED_MEDIA_TYPE");
    case "FST_ERR_BAD_URL":
      return new AppError(
        "BAD_REQUEST",
        { reason: "bad_url" },
        { message: "malformed URL (bad percent-encoding)" },
      );
    case "FST_ERR_ASYNC_CONSTRAINT":
    case "FST_ERR_INVALID_URL":
      return new AppError("BAD_REQUEST", { reason: "bad_url" }, { message: "malformed URL" });
    default:
      if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
        if (err.statusCode === 413) return new AppError("PAYLOAD_TOO_LARGE");
        if (err.statusCode === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE");
        // Never a framework code in an answer: this project's code, the framework's words as the message.
        return new AppError("BAD_REQUEST", { reason: "rejected_by_router" }, { message: err.message });
      }
      return new AppError("INTERNAL");
  }
}

/** The router's refusals before any route runs (Fastify's `frameworkErrors`). */
export function routerError(err: FastifyError): AppError {
  if (err.code === "FST_ERR_MAX_PARAM_LENGTH") {
    return new AppError("URI_TOO_LONG", { reason: "path_parameter_too_long" });
  }
  if (err.code === "FST_ERR_BAD_URL") {
    return new AppError(
      "BAD_REQUEST",
      { reason: "bad_url" },
      { message: "malformed URL (bad percent-encoding)" },
    );
  }
  return new AppError("BAD_REQUEST", { reason: "rejected_by_router" }, { message: "malformed URL" });
}

/** The one place where errors become HTTP responses. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError, req);
    if (appErr.status >= 500) req.log.error({ err }, "request failed");
    else req.log.debug({ code: appErr.code }, "request rejected");
    void reply.status(appErr.status).send(errorBody(appErr, req.id));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({
      error: `no route for ${req.method} ${req.url.split("?")[0]}`,
      code: "NOT_FOUND",
      request_id: req.id,
    });
  });
}

export { ERRORS };
