import type { ReadinessChecks } from "../api/schemas/readiness.js";
import type { Database } from "../store/database.js";
import { LATEST_SCHEMA_VERSION, probeWritable, schemaState } from "../store/database-probe.js";

/** What readiness asks of internal gRPC. */
export interface GrpcServing {
  readonly enabled: boolean;
  readonly serving: boolean;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The hub's readiness checks (`GET /readyz`): the database takes a write (a transaction that rolls
 * back), its schema is at this build's latest migration, and internal gRPC serves (when enabled).
 * Never throws: a check that cannot run fails with the reason.
 */
export function checkHubReadiness(db: Database | undefined, grpc: GrpcServing | undefined): ReadinessChecks {
  return { database: database(db), migrations: migrations(db), internal_grpc: internalGrpc(grpc) };
}

function database(db: Database | undefined): ReadinessChecks["database"] {
  if (!db?.open) return { ok: false, error: "database is closed" };
  try {
    probeWritable(db);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `database does not take writes: ${message(err)}` };
  }
}

function migrations(db: Database | undefined): ReadinessChecks["migrations"] {
  if (!db?.open)
    return {
      ok: false,
      schema_version: null,
      latest_version: LATEST_SCHEMA_VERSION,
      error: "database is closed",
    };
  let s: ReturnType<typeof schemaState>;
  try {
    s = schemaState(db);
  } catch (err) {
    return { ok: false, schema_version: null, latest_version: LATEST_SCHEMA_VERSION, error: message(err) };
  }
  const base = { schema_version: s.version, latest_version: s.latest };
  if (s.version === s.latest) return { ok: true, ...base };
  const error =
    s.version > s.latest
      ? `the database is at schema version ${s.version}, newer than this agenthub's ${s.latest}: a newer agenthub migrated it; upgrade this one`
      : `the database is at schema version ${s.version}, behind this agenthub's ${s.latest}: restart the hub to migrate it`;
  return { ok: false, ...base, error };
}

function internalGrpc(grpc: GrpcServing | undefined): ReadinessChecks["internal_grpc"] {
  if (grpc && !grpc.enabled) return { ok: true, enabled: false };
  if (grpc?.serving) return { ok: true, enabled: true };
  return { ok: false, enabled: true, error: "the internal gRPC server is not serving" };
}
