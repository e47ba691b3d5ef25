import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { AppError, ERRORS, type ErrorCode } from "../../src/errors/registry.js";
import {
  appErrorFromServiceError,
  appErrorOfCall,
  ERROR_CODE_KEY,
  grpcStatusOf,
  toServiceError,
} from "../../src/grpc/error-mapping.js";

const asServiceError = (e: ReturnType<typeof toServiceError>): ServiceError =>
  Object.assign(new Error(e.details), e, { metadata: e.metadata ?? new Metadata() }) as ServiceError;

describe("error mapping", () => {
  it("maps every registry code to a gRPC status", () => {
    const expected: Partial<Record<ErrorCode, status>> = {
      BAD_REQUEST: status.INVALID_ARGUMENT,
      INVALID_TOKEN: status.UNAUTHENTICATED,
      MISSING_TOKEN: status.UNAUTHENTICATED,
      FORBIDDEN: status.PERMISSION_DENIED,
      REVIEW_NOT_FOUND: status.NOT_FOUND,
      AGENT_NODE_EXISTS: status.ALREADY_EXISTS,
      ILLEGAL_TRANSITION: status.FAILED_PRECONDITION,
      TEAM_CHANGED: status.ABORTED,
      RATE_LIMITED: status.RESOURCE_EXHAUSTED,
      NODE_CONNECT_FAILED: status.UNAVAILABLE,
      INTERNAL_GRPC_UNAVAILABLE: status.UNAVAILABLE,
      INTERNAL: status.INTERNAL,
    };
    for (const [code, st] of Object.entries(expected)) expect(grpcStatusOf(code as ErrorCode), code).toBe(st);
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const st = grpcStatusOf(code);
      expect(st, code).not.toBe(status.OK);
      expect(st === status.INTERNAL, code).toBe(ERRORS[code].status === 500);
    }
  });

  it("round-trips code, message and details through metadata", () => {
    const err = new AppError("REVIEW_NOT_FOUND", { request_id: "rq-ü" });
    const wire = toServiceError(err);
    expect(wire.code).toBe(status.NOT_FOUND);
    expect(wire.metadata?.get(ERROR_CODE_KEY)).toEqual(["REVIEW_NOT_FOUND"]);
    const back = appErrorFromServiceError(asServiceError(wire));
    expect(back?.code).toBe("REVIEW_NOT_FOUND");
    expect(back?.message).toBe("permission review not found");
    expect(back?.details).toMatchObject({ request_id: "rq-ü", grpc_status: status.NOT_FOUND });
  });

  it("hides unexpected errors behind INTERNAL", () => {
    const wire = toServiceError(new Error("secret path /etc/shadow"));
    expect(wire.code).toBe(status.INTERNAL);
    expect(wire.details).toBe("internal server error");
  });

  it("never classifies by text: no x-error-code means no AppError", () => {
    const se = Object.assign(new Error("5 NOT_FOUND: agent not found"), {
      code: status.NOT_FOUND,
      details: "agent not found",
      metadata: new Metadata(),
    }) as ServiceError;
    expect(appErrorFromServiceError(se)).toBeUndefined();
  });
});

describe("appErrorOfCall (the actor CLI's edge)", () => {
  const se = (code: number, details: string) =>
    Object.assign(new Error(details), { code, details, metadata: undefined });

  it("names the cause by the gRPC status when the server named no code; unreachable only for transport failures", () => {
    expect(appErrorOfCall(se(status.INTERNAL, "Response deserialization failed")).code).toBe("INTERNAL");
    expect(appErrorOfCall(se(status.RESOURCE_EXHAUSTED, "message larger than max")).code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
    expect(appErrorOfCall(se(status.INVALID_ARGUMENT, "bad")).code).toBe("BAD_REQUEST");
    expect(appErrorOfCall(se(status.UNAVAILABLE, "No connection established")).code).toBe(
      "INTERNAL_GRPC_UNAVAILABLE",
    );
    expect(appErrorOfCall(new Error("ECONNREFUSED")).code).toBe("INTERNAL_GRPC_UNAVAILABLE");
    const own = new AppError("BAD_REQUEST", { field: "payload" });
    expect(appErrorOfCall(own)).toBe(own);
  });
});
