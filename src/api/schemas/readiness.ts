import { z } from "zod";

/** One readiness check: whether it holds, and why not. */
const Check = z.object({
  ok: z.boolean(),
  error: z.string().optional().describe("why the check failed"),
});

/** What `GET /readyz` checks; the same object is in a 503's `details.checks`. */
export const ReadinessChecks = z
  .object({
    database: Check.describe("the database takes writes (a write transaction that rolls back)"),
    migrations: Check.extend({
      schema_version: z
        .number()
        .int()
        .nullable()
        .describe("the database's schema version (null: unreadable)"),
      latest_version: z.number().int().describe("the latest schema version this agenthub knows"),
    }).describe("the schema is at this build's latest migration"),
    internal_grpc: Check.extend({
      enabled: z.boolean().describe("false: `[internal_grpc] enabled = false`, nothing to check"),
    }).describe("the internal gRPC server (actor CLI, remote nodes) is serving"),
  })
  .meta({ id: "ReadinessChecks" });
export type ReadinessChecks = z.infer<typeof ReadinessChecks>;

export const Ready = z.object({ ready: z.literal(true), checks: ReadinessChecks }).meta({ id: "Ready" });
