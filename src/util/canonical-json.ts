import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so two equal values give the same text whatever the
 * order their keys were written in (`{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}

/** sha256 (hex) of a value's canonical JSON. */
export function jsonHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
