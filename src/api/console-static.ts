import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError } from "../errors/registry.js";
import { errorBody } from "./error-handler.js";

/** The console's build (`npm run build` runs Vite into web/dist), found from the package root. */
export function consoleDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json"))) {
      const dist = join(dir, "web", "dist");
      return existsSync(join(dist, "index.html")) ? dist : undefined;
    }
    dir = dirname(dir);
  }
  return undefined;
}

function filesUnder(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.add(relative(root, p).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

/**
 * The page may load only what the hub serves (no CDN, nothing inline but style attributes), may not be
 * framed, and sends no referrer.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function pageHeaders(reply: FastifyReply): void {
  void reply.header("content-security-policy", CSP);
  void reply.header("x-content-type-options", "nosniff");
  void reply.header("x-frame-options", "DENY");
  void reply.header("referrer-policy", "no-referrer");
}

/**
 * The console's own pages (the routes of web/src/router.ts): loading or reloading any of them gets
 * `index.html`, and the console shows the page. Other paths keep the API's JSON 404.
 */
export const CONSOLE_PAGES = [
  "/",
  "/login",
  "/join",
  "/teams",
  "/teams/*",
  "/runs/*",
  "/agents",
  "/agents/*",
  "/nodes",
  "/admin",
] as const;

/**
 * Serves the web console at `/`: its pages (`index.html`, revalidated on every load), its hashed
 * assets (cached for good) and its other built files. Without a build (`dir` null), the pages answer
 * 503 CONSOLE_NOT_BUILT.
 */
export function serveConsole(app: FastifyInstance, dir: string | null = consoleDir() ?? null): void {
  const hidden = { schema: { hide: true } };
  if (!dir) {
    for (const page of CONSOLE_PAGES) {
      app.get(page, hidden, async (req, reply) => {
        const err = new AppError("CONSOLE_NOT_BUILT");
        return reply.status(err.status).send(errorBody(err, req.id));
      });
    }
    return;
  }
  void app.register(fastifyStatic, { root: dir, serve: false });
  const files = filesUnder(dir);
  for (const page of CONSOLE_PAGES) {
    app.get(page, hidden, async (_req, reply) => {
      pageHeaders(reply);
      void reply.header("cache-control", "no-cache");
      return reply.sendFile("index.html", { cacheControl: false });
    });
  }
  app.get("/assets/*", hidden, async (req, reply) => {
    const rel = `assets/${(req.params as { "*": string })["*"]}`;
    if (!files.has(rel)) {
      reply.callNotFound();
      return reply;
    }
    return reply.sendFile(rel, { cacheControl: true, immutable: true, maxAge: "365d" });
  });
  for (const rel of files) {
    if (rel === "index.html" || rel.startsWith("assets/")) continue;
    app.get(`/${rel}`, hidden, async (_req, reply) => {
      void reply.header("cache-control", "no-cache");
      return reply.sendFile(rel, { cacheControl: false });
    });
  }
}
