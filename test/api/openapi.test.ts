import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Harness, startHub } from "../helpers/hub-harness.js";

/** The API's contract document: every route has a schema, and the document is valid OpenAPI 3.1. */

let h: Harness;
beforeAll(async () => {
  h = await startHub();
});
afterAll(() => h.close());

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
};

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const r = await api<Doc>(h.url, "GET", "/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    const v = new Validator();
    const res = await v.validate(structuredClone(r.body) as unknown as Record<string, unknown>);
    expect(res.errors ?? [], JSON.stringify(res.errors, null, 2)?.slice(0, 2000)).toEqual([]);
    expect(res.valid).toBe(true);
  });

  it("every route declares a schema, and every documented operation lists its error responses", async () => {
    expect(h.hub.app?.routesWithoutSchema()).toEqual([]);
    const r = await api<Doc>(h.url, "GET", "/api/openapi.json");
    const ops = Object.entries(r.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(ops.length).toBeGreaterThan(50);
    for (const { path, method, op } of ops) {
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses, `${method} ${path}`).toContain("400");
      expect(statuses, `${method} ${path}`).toContain("500");
      expect(
        statuses.some((s) => s.startsWith("2")),
        `${method} ${path}`,
      ).toBe(true);
    }
  });

  it("serves the readable reference page from the package (no CDN)", async () => {
    const page = await fetch(`${h.url}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("swagger");
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs|jsdelivr)/);
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      if (src.startsWith("http")) throw new Error(`external asset ${src}`);
      const asset = await fetch(new URL(src, `${h.url}/api/docs/`));
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
    }
  });
});
