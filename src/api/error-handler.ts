import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERRORS, type ErrorCode } from "../errors/registry.js";

export interface ErrorBody {
  error: string;
  code: ErrorCode;
  request_id: string;
  details?: Record<string, unknown>;
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  const body: ErrorBody = { error: err.message, code: err.code, request_id: requestId };
  if (err.details) body.details = err.details;
  return body;
}

/** Fastify's own errors (parser, body limit, schema) mapped onto the registry by their stable code. */
function fromFastify(err: FastifyError): AppError {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError("PAYLOAD_TOO_LARGE");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("INVALID_JSON");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("BAD_REQUEST", undefined, { message: "content-type must be application/json" });
    default:
      if (err.validation) return new AppError("BAD_REQUEST", undefined, { message: err.message });
      if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
        return new AppError("BAD_REQUEST", undefined, { message: err.message });
      }
      return new AppError("INTERNAL");
  }
}

/** The one place where errors become HTTP responses. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = err instanceof AppError ? err : fromFastify(err as FastifyError);
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
