import type { FastifyInstance } from "fastify";
import { jsonDepth } from "../domain/json-depth.js";
import { AppError } from "../errors/registry.js";

/** Deepest JSON nesting a body may have: real specs nest ~6 levels; thousands would only cost us. */
export const MAX_JSON_DEPTH = 64;

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
