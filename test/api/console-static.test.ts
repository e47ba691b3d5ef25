import { existsSync } from "node:fs";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleDir, serveConsole } from "../../src/api/console-static.js";
import { installErrorHandler } from "../../src/api/error-handler.js";
import { api, type Harness, startHub } from "../helpers/hub-harness.js";

/**
 * The hub serves the built console (`npm run build` puts it in web/dist) at `/`, same origin as the
 * API: its pages load on any of the console's routes, its assets come from the hub (no CDN), and
 * unknown `/api` paths keep the API's JSON 404.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHub();
});
afterAll(() => h.close());

async function get(path: string) {
  const res = await fetch(`${h.url}${path}`);
  return { res, text: await res.text() };
}

describe("the console at /", () => {
  it("is built (npm run build) and found from the package root", () => {
    const dir = consoleDir();
    expect(dir).toBeDefined();
    expect(existsSync(`${dir}/index.html`)).toBe(true);
  });

  it("answers its pages with index.html, revalidated, under a strict content security policy", async () => {
    for (const path of ["/", "/login", "/teams/team_x", "/runs/run_x", "/agents/agt_x", "/nodes", "/admin"]) {
      const { res, text } = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(text, path).toContain('<div id="root"></div>');
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'self'");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  it("loads nothing from another origin, and its assets are served by the hub and cached for good", async () => {
    const { text } = await get("/");
    const refs = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(1);
    for (const ref of refs) {
      expect(ref.startsWith("/"), ref).toBe(true);
      const asset = await fetch(`${h.url}${ref}`);
      expect(asset.status, ref).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, ref).toBeGreaterThan(0);
      if (ref.startsWith("/assets/")) {
        expect(asset.headers.get("cache-control"), ref).toContain("immutable");
      }
    }
    const script = refs.find((r) => r.endsWith(".js"))!;
    const js = await fetch(`${h.url}${script}`);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(await js.text()).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs|jsdelivr|fonts\.googleapis)/);
  });

  it("keeps the API's JSON 404 for unknown /api paths and unknown files", async () => {
    for (const path of ["/api/nope", "/api/teams/x/nope", "/assets/missing.js", "/nope"]) {
      const r = await api(h.url, "GET", path);
      expect([r.status, r.body.code], path).toEqual([404, "NOT_FOUND"]);
    }
    const post = await api(h.url, "POST", "/runs/x", { body: {} });
    expect(post.status).toBe(404);
  });

  it("without a build, its pages answer 503 CONSOLE_NOT_BUILT in the error contract", async () => {
    const app = Fastify();
    installErrorHandler(app);
    serveConsole(app, null);
    try {
      const r = await app.inject({ method: "GET", url: "/teams" });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({
        code: "CONSOLE_NOT_BUILT",
        error: "the web console is not built; run npm run build",
      });
    } finally {
      await app.close();
    }
  });
});
