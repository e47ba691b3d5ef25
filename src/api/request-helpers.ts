import type { FastifyRequest } from "fastify";

export type Body = Record<string, unknown>;

/** The JSON body as an object (anything else reads as empty, and validation names what is missing). */
export function bodyOf(req: FastifyRequest): Body {
  const b = req.body;
  return b && typeof b === "object" && !Array.isArray(b) ? (b as Body) : {};
}

export function paramsOf(req: FastifyRequest): Record<string, string> {
  return req.params as Record<string, string>;
}

export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  return (req.query ?? {}) as Record<string, string | undefined>;
}

export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
