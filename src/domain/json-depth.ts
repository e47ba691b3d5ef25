import { AppError } from "../errors/registry.js";

/** The nesting depth of a parsed JSON value, walked iteratively (a deep value must not overflow the stack). */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Deepest nesting a mailbox payload (or task context) may have. Payloads cross the internal gRPC as
 * `google.protobuf.Value`, where each JSON object level costs three protobuf levels and decoders stop
 * at 100: 32 JSON levels always fit inside a response, so whatever was accepted can be received.
 */
export const MAX_PAYLOAD_DEPTH = 32;

/** Refuses a payload nested deeper than {@link MAX_PAYLOAD_DEPTH} (BAD_REQUEST naming the field). */
export function checkPayloadDepth(value: unknown, field = "payload"): void {
  const depth = jsonDepth(value, MAX_PAYLOAD_DEPTH);
  if (depth > MAX_PAYLOAD_DEPTH) {
    throw new AppError(
      "BAD_REQUEST",
      { field, reason: "too_deep", max_depth: MAX_PAYLOAD_DEPTH },
      { message: `${field} is nested deeper than ${MAX_PAYLOAD_DEPTH} levels` },
    );
  }
}
