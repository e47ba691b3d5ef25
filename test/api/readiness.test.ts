import { afterEach, describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION } from "../../src/store/database-probe.js";
import { api, type Harness, startHub } from "../helpers/hub-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Checks = Record<string, { ok: boolean; error?: string } & Record<string, unknown>>;
type ReadyBody = {
  ready?: boolean;
  checks?: Checks;
  error?: string;
  code?: string;
  request_id?: string;
  details?: Record<string, unknown>;
};

const checksOf = (b: ReadyBody) => (b.details?.checks ?? {}) as Checks;
const readyz = (hub: Harness) => api<ReadyBody>(hub.url, "GET", "/readyz");

const READY_CHECKS = {
  database: { ok: true },
  migrations: { ok: true, schema_version: LATEST_SCHEMA_VERSION, latest_version: LATEST_SCHEMA_VERSION },
  internal_grpc: { ok: true, enabled: true },
};

describe("GET /readyz", () => {
  it("200 with every check once the hub serves; no token needed", async () => {
    h = await startHub();
    const r = await readyz(h);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, checks: READY_CHECKS });
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(8);
  });

  it("503 naming the database when it stops taking writes, and 200 again once it does", async () => {
    h = await startHub();
    const db = h.hub.database;
    db.pragma("query_only = ON");
    try {
      const r = await readyz(h);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({
        request_id: r.headers.get("x-request-id"),
        code: "NOT_READY",
        error: "not ready: database",
        details: { ready: false, failed: ["database"] },
      });
      const checks = checksOf(r.body);
      expect(checks.database).toEqual({
        ok: false,
        error: "database does not take writes: attempt to write a readonly database",
      });
      expect(checks.migrations?.ok).toBe(true);
      expect(r.headers.get("x-request-id")).toMatch(/^req_/);
      expect(h.logs()).toContain('"msg":"not ready"');
    } finally {
      db.pragma("query_only = OFF");
    }
    expect((await readyz(h)).status).toBe(200);
    // The probe's write rolled back: nothing changed.
    expect(db.pragma("user_version", { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });

  it("503 naming migrations when the schema is not this build's (a newer agenthub migrated it)", async () => {
    h = await startHub();
    const db = h.hub.database;
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    try {
      const r = await readyz(h);
      expect([r.status, r.body.error]).toEqual([503, "not ready: migrations"]);
      expect(checksOf(r.body).migrations).toEqual({
        ok: false,
        schema_version: LATEST_SCHEMA_VERSION + 1,
        latest_version: LATEST_SCHEMA_VERSION,
        error: `the database is at schema version ${LATEST_SCHEMA_VERSION + 1}, newer than this agenthub's ${LATEST_SCHEMA_VERSION}: a newer agenthub migrated it; upgrade this one`,
      });
    } finally {
      db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
    }
  });

  it("503 naming internal_grpc once its server stopped; a hub without internal gRPC is ready", async () => {
    h = await startHub();
    await h.hub.internalGrpc.stop();
    const r = await readyz(h);
    expect([r.status, r.body.code, r.body.error]).toEqual([503, "NOT_READY", "not ready: internal_grpc"]);
    expect(checksOf(r.body).internal_grpc).toEqual({
      ok: false,
      enabled: true,
      error: "the internal gRPC server is not serving",
    });
    await h.close();

    h = await startHub({ internal_grpc: { enabled: false } });
    const off = await readyz(h);
    expect(off.status).toBe(200);
    expect(off.body.checks?.internal_grpc).toEqual({ ok: true, enabled: false });
  });

  it("is documented in the OpenAPI document: its 200 body and its 503", async () => {
    h = await startHub();
    const doc = await api<{
      paths: Record<string, { get?: { security?: unknown[]; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(h.url, "GET", "/api/openapi.json");
    const op = doc.body.paths["/readyz"]?.get;
    expect(op?.security).toEqual([]);
    expect(JSON.stringify(op?.responses["200"])).toContain("#/components/schemas/Ready");
    expect(JSON.stringify(op?.responses["503"])).toContain("NOT_READY");
    expect(Object.keys(doc.body.components.schemas.ReadinessChecks?.properties ?? {}).sort()).toEqual([
      "database",
      "internal_grpc",
      "migrations",
    ]);
  });
});
