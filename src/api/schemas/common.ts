import { z } from "zod";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../domain/paging.js";
import { ERRORS, type ErrorCode } from "../../errors/registry.js";

/**
 * Schemas every route shares: the error body, ids in paths, pagination, bounded strings. One place,
 * so the OpenAPI document and the validation agree everywhere.
 */

/** The one error body (seed 004): every 4xx/5xx answer has this shape. */
export const ErrorSchema = z
  .object({
    error: z.string().describe("human-readable message (the contract's exact strings)"),
    code: z.string().describe("stable error code of this project"),
    request_id: z.string().describe("also in the X-Request-Id header"),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "Error" });

/** Longest id, name or key a path or body may carry (ids are ~20 characters). */
export const MAX_ID = 200;
/** Longest free text (prompts, messages, descriptions); the body limit caps the total. */
export const MAX_TEXT = 256 * 1024;

const noNul = (v: string) => !v.includes("\u0000");

/** A bounded string without NUL bytes (paths and names reach the OS and SQLite). */
export function text(max = MAX_TEXT) {
  return z.string().max(max).refine(noNul, { message: "must not contain NUL bytes" });
}

/** A required, non-empty, bounded name or id. */
export function name(max = MAX_ID) {
  return z.string().min(1).max(max).refine(noNul, { message: "must not contain NUL bytes" });
}

/** `/:id` routes. */
export const IdParams = z.strictObject({ id: name() });

/**
 * An integer from a query string. Query values are single strings: a repeated parameter
 * (`?limit=1&limit=2`) arrives as an array and is refused, never silently merged.
 */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,16}$/, { message: "must be a whole number" })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** Page size, the same everywhere: domain/paging's bounds, which the services use too. */
export const limit = queryInt(1, MAX_PAGE_SIZE)
  .optional()
  .describe(`page size: ${DEFAULT_PAGE_SIZE} when absent, at most ${MAX_PAGE_SIZE}`);

/** Pages of a sequence (events, messages): everything after `after` (or `cursor`, the same seq). */
export const SeqPageQuery = z.strictObject({
  after: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  cursor: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  limit,
});

/** Pages of a list ordered by creation: an opaque `cursor` from the previous page's `next_cursor`. */
export const CursorPageQuery = z.strictObject({
  cursor: name(1000).optional(),
  limit,
});

/**
 * Action routes take no body: none, an empty one (with a JSON content type) or `{}`; anything in it is
 * refused by name rather than ignored.
 */
export const NoBody = z.strictObject({}).nullish();

/** A 204 answer (DELETE). */
export const Deleted = z.undefined().describe("deleted");

/**
 * Error responses for the OpenAPI document: one entry per HTTP status, each listing the codes (and the
 * contract's messages) the route can answer with. Every route also gets 400, 413 and 500.
 */
export function errorResponses(...codes: ErrorCode[]) {
  const all = new Set<ErrorCode>(["BAD_REQUEST", "INTERNAL", ...codes]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of all) {
    const status = ERRORS[c].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const out: Record<
    number,
    { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }
  > = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[status] = {
      description: list.map((c) => `\`${c}\`: ${ERRORS[c].message}`).join("; "),
      content: { "application/json": { schema: ErrorSchema } },
    };
  }
  return out;
}

/**
 * Errors of any route that needs a bearer token (or the console's session cookie, which a
 * state-changing request must back with `X-CSRF-Token`).
 */
export const AUTH_ERRORS: ErrorCode[] = ["MISSING_TOKEN", "INVALID_TOKEN", "CSRF_TOKEN_INVALID"];
