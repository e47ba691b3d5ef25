import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import { createSerializerCompiler } from "fastify-type-provider-zod";
import type { Logger } from "../util/logger.js";

/**
 * Responses are encoded through their zod schema (so the OpenAPI document is what clients get). A view
 * that drifted from its schema is a bug of ours: it is logged loudly with the route and the problem,
 * and the data is still sent, rather than turning a good answer into a 500.
 */
export function responseSerializer(logger: Logger): FastifySerializerCompiler<unknown> {
  const strict = createSerializerCompiler({});
  return (route) => {
    const encode = strict(route as Parameters<typeof strict>[0]) as (data: unknown) => string;
    return (data: unknown) => {
      try {
        return encode(data);
      } catch (err) {
        logger.error(
          {
            component: "api",
            method: route.method,
            url: route.url,
            issues: (err as { cause?: { issues?: unknown } }).cause?.issues,
          },
          "response does not match its schema",
        );
        return JSON.stringify(data);
      }
    };
  };
}
