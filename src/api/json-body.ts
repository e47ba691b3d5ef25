import type { FastifyInstance } from "fastify";
import { AppError } from "../errors/registry.js";

/** Deepest JSON nesting a body may have: real specs nest ~6 levels; thousands would only cost us. */
export const MAX_JSON_DEPTH = 64;

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
 * JSON bodies only: Fastify's own safe parser (prototype poisoning refused), an empty body read as `{}` so
 * bodiless action POSTs work with a JSON content type, and a nesting limit.
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  // JSON only: any other content type (text/plain included) is 415, never a string body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") {
      done(null, {});
      return;
    }
    void parse(req, text, (err, value) => {
      if (err) {
        done(err, undefined);
        return;
      }
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        done(
          new AppError(
            "BAD_REQUEST",
            { max_depth: MAX_JSON_DEPTH },
            { message: `request body is nested deeper than ${MAX_JSON_DEPTH} levels` },
          ),
          undefined,
        );
        return;
      }
      done(null, value);
    });
  });
}
