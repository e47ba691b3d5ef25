import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { AppError, ERRORS, type ErrorCode, isAppError } from "../errors/registry.js";

/** Metadata keys carrying our error code (and JSON details) next to the gRPC status. */
export const ERROR_CODE_KEY = "x-error-code";
export const ERROR_DETAILS_KEY = "x-error-details-bin";

/** Codes whose gRPC status is not the one their HTTP status implies. */
const BY_CODE: Partial<Record<ErrorCode, status>> = {
  ROOT_ALREADY_INITIALIZED: status.ALREADY_EXISTS,
  USERNAME_TAKEN: status.ALREADY_EXISTS,
  TEAM_NAME_EXISTS: status.ALREADY_EXISTS,
  STEP_EXISTS: status.ALREADY_EXISTS,
  AGENT_NODE_EXISTS: status.ALREADY_EXISTS,
  TEAM_CHANGED: status.ABORTED,
};

const BY_HTTP: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.FAILED_PRECONDITION,
  413: status.RESOURCE_EXHAUSTED,
  414: status.INVALID_ARGUMENT,
  415: status.INVALID_ARGUMENT,
  422: status.FAILED_PRECONDITION,
  424: status.FAILED_PRECONDITION,
  429: status.RESOURCE_EXHAUSTED,
  500: status.INTERNAL,
  502: status.UNAVAILABLE,
  503: status.UNAVAILABLE,
};

/** The gRPC status of one of our error codes. The only place this mapping lives. */
export function grpcStatusOf(code: ErrorCode): status {
  return BY_CODE[code] ?? BY_HTTP[ERRORS[code].status] ?? status.INTERNAL;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}

/**
 * Server edge: any thrown value -> a grpc-js ServiceError. AppErrors keep their message and carry
 * `x-error-code` (+ details); anything else becomes INTERNAL without leaking its text.
 */
export function toServiceError(err: unknown): Partial<ServiceError> & { code: status; details: string } {
  const app = isAppError(err) ? err : new AppError("INTERNAL", undefined, { cause: err });
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, app.code);
  if (app.details !== undefined) metadata.set(ERROR_DETAILS_KEY, Buffer.from(JSON.stringify(app.details)));
  return {
    name: "AppError",
    message: app.message,
    code: grpcStatusOf(app.code),
    details: app.message,
    metadata,
  };
}

function detailsOf(md: Metadata | undefined): Record<string, unknown> {
  const raw = md?.get(ERROR_DETAILS_KEY)[0];
  if (!Buffer.isBuffer(raw)) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Client side: a failed call's error -> our AppError when the server named a code, else undefined. */
export function appErrorFromServiceError(err: ServiceError): AppError | undefined {
  const code = err.metadata?.get(ERROR_CODE_KEY)[0];
  if (!isErrorCode(code)) return undefined;
  return new AppError(
    code,
    { ...detailsOf(err.metadata), grpc_status: err.code },
    {
      message: err.details,
      cause: err,
    },
  );
}

/** Client side: the error to surface — our AppError when the server named a code, else the ServiceError. */
export function fromServiceError(err: ServiceError): AppError | ServiceError {
  return appErrorFromServiceError(err) ?? err;
}

/** Our code for a gRPC status the server did not name a code for (grpc-js's own failures). */
const CODE_OF_STATUS: Partial<Record<status, ErrorCode>> = {
  [status.INVALID_ARGUMENT]: "BAD_REQUEST",
  [status.UNAUTHENTICATED]: "INVALID_TOKEN",
  [status.PERMISSION_DENIED]: "FORBIDDEN",
  [status.NOT_FOUND]: "NOT_FOUND",
  [status.RESOURCE_EXHAUSTED]: "PAYLOAD_TOO_LARGE",
  [status.INTERNAL]: "INTERNAL",
  [status.UNKNOWN]: "INTERNAL",
  [status.DATA_LOSS]: "INTERNAL",
  [status.UNIMPLEMENTED]: "INTERNAL",
};

/**
 * Client side: the AppError for any failed call. The server's code when it named one; otherwise
 * the gRPC status decides (a message that could not be encoded or decoded is INTERNAL or
 * RESOURCE_EXHAUSTED, a bad request INVALID_ARGUMENT), and only a channel that could not reach the
 * server (UNAVAILABLE, DEADLINE_EXCEEDED, or an error that is no gRPC status) is
 * INTERNAL_GRPC_UNAVAILABLE.
 */
export function appErrorOfCall(err: unknown): AppError {
  if (isAppError(err)) return err;
  const se = err as Partial<ServiceError>;
  if (typeof se.code === "number") {
    const named = appErrorFromServiceError(se as ServiceError);
    if (named) return named;
    const code = CODE_OF_STATUS[se.code as status];
    const text = se.details || se.message || String(err);
    if (code && isErrorCode(code)) {
      return new AppError(
        code,
        { grpc_status: se.code, cause: text },
        { message: `${ERRORS[code].message}: ${text}`, cause: err },
      );
    }
  }
  const text = (err as Error)?.message ?? String(err);
  return new AppError(
    "INTERNAL_GRPC_UNAVAILABLE",
    { cause: text },
    { message: `cannot reach the hub's internal gRPC: ${text}`, cause: err },
  );
}
