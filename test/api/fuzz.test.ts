import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Walks every operation of the generated OpenAPI document with malformed and hostile inputs (fast-check)
 * and asserts the contract: never a 5xx, every error body `{error, code, request_id}` matching the
 * X-Request-Id header with one of this project's codes, and no row changed by a refused request.
 */

type Op = { method: string; path: string; params: string[]; bodyKeys: string[] };
type Schema = { $ref?: string; properties?: Record<string, unknown> };
type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
type ErrorBody = { error?: unknown; code?: unknown; request_id?: unknown };

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let db: Database.Database;
let userToken: string;
const fixtures: Record<string, string[]> = {};
let ops: Op[] = [];

// Tables a refusal may legitimately touch: a wrong PIN counts an attempt; sessions only by login/logout.
const VOLATILE = new Set(["join_challenges", "sessions", "schema_migrations"]);
// Columns the hub's own background work rewrites (node probes), whatever requests arrive.
const BACKGROUND_COLUMNS: Record<string, string[]> = {
  agent_nodes: ["status", "last_probe_at", "last_ok_at", "probe_latency_ms", "last_error", "updated_at"],
};

function snapshot(): string {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const hash = createHash("sha256");
  for (const { name } of tables) {
    if (VOLATILE.has(name)) continue;
    hash.update(name);
    const skip = BACKGROUND_COLUMNS[name] ?? [];
    for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
      hash.update(JSON.stringify(Object.entries(row).filter(([k]) => !skip.includes(k))));
    }
  }
  return hash.digest("hex");
}

beforeAll(async () => {
  work = tempDir();
  mkdirSync(join(work.path, "app"), { recursive: true });
  h = await startHubWithRoot({ safe_paths: [work.path] });
  userToken = await addUser(h, h.rootToken, "mallory");
  const call = <T>(method: string, path: string, body?: unknown) =>
    api<T>(h.url, method, path, { token: h.rootToken, body });
  const team = await call<{ id: string }>("POST", "/api/teams", { name: "fuzz", spec: singleSpec() });
  const run = await call<{ id: string }>("POST", `/api/teams/${team.body.id}/runs`, { input: { goal: "x" } });
  const agent = await call<{ id: string }>("POST", "/api/agents", {
    name: "fz",
    provider: "scripted",
    workdir: join(work.path, "app"),
  });
  const task = await call<{ id: string }>("POST", `/api/teams/${team.body.id}/tasks`, { title: "t" });
  fixtures.id = [team.body.id, run.body.id, agent.body.id, "main"];
  fixtures.task_id = [task.body.id ?? "tsk_none"];
  fixtures.step_key = ["plan", "build"];
  fixtures.message_id = ["msg_none"];
  fixtures.review_id = ["rev_none"];
  fixtures.pid = ["perm_none"];
  const doc = (
    await api<{
      paths: Record<string, Record<string, Operation>>;
      components?: { schemas?: Record<string, Schema> };
    }>(h.url, "GET", "/api/openapi.json")
  ).body;
  const resolve = (s: Schema | undefined): Schema | undefined =>
    s?.$ref ? doc.components?.schemas?.[s.$ref.split("/").at(-1)!] : s;
  ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
      // The documented body's own keys: hostile values where the handler looks, not only junk keys.
      bodyKeys: Object.keys(resolve(op.requestBody?.content?.["application/json"]?.schema)?.properties ?? {}),
    })),
  );
  db = new Database(join(h.home, "agenthub.db"), { readonly: true, fileMustExist: true });
}, 60_000);

afterAll(async () => {
  db?.close();
  await h?.close();
  work?.cleanup();
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "../../etc/passwd",
    "%",
    "🙂",
    "-m",
    "--force",
    "null",
    "0",
    "-1",
  ),
  fc.string({ minLength: 300, maxLength: 600 }),
  fc.constant("x".repeat(70_000)),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const knownKeys = fc.constantFrom(
  "name",
  "spec",
  "input",
  "text",
  "title",
  "workdir",
  "provider",
  "command",
  "option_id",
  "member_id",
  "status",
  "limit",
  "cursor",
  "after",
  "id",
  "grpc_target",
  "join_token",
  "pin",
  "username",
  "password",
  "env",
  "worktree_ref",
  "actor_id",
);
const hostileBody = fc.oneof(
  fc.dictionary(fc.oneof(knownKeys, hostileString), hostileValue, { maxKeys: 5 }),
  fc.constant(
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  ),
  fc.constantFrom("{", "[]", "null", '"str"', "12", '{"__proto__":{"x":1}}', '{"a":'),
  fc.constant(undefined),
);
const query = fc.array(fc.tuple(fc.oneof(knownKeys, hostileString), hostileString), { maxLength: 4 });
const auth = fc.constantFrom("root", "user", "none", "garbage");

/** Actions on real fixtures could legitimately change state: those get only unknown ids. */
const MUTATING = /\/(start|stop|cancel|resume|restart|respond|ack|complete|fail|input_required|logout)$/;

function pathValue(op: Op, param: string, choice: number, junk: string): string {
  const real = fixtures[param] ?? [];
  const mayUseReal = op.method === "GET" || (op.method !== "DELETE" && !MUTATING.test(op.path));
  if (mayUseReal && real.length > 0 && choice % 2 === 0) return real[choice % real.length]!;
  return encodeURIComponent(junk.slice(0, 150)) || "x";
}

describe("every route under hostile input", () => {
  it("answers in the contract: no 5xx, codes of this project, no row changed by a refusal", async () => {
    expect(ops.length).toBeGreaterThan(50);
    const seen = new Map<string, number>();
    for (const op of ops) {
      if (op.path === "/api/docs" || op.path.startsWith("/api/docs/")) continue;
      const shaped =
        op.bodyKeys.length > 0
          ? fc.dictionary(fc.constantFrom(...op.bodyKeys), hostileValue, {
              minKeys: 1,
              maxKeys: op.bodyKeys.length,
            })
          : hostileBody;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(), hostileString), {
            minLength: op.params.length,
            maxLength: op.params.length,
          }),
          query,
          fc.oneof(hostileBody, shaped, shaped),
          auth,
          async (params, q, body, who) => {
            let path = op.path;
            op.params.forEach((p, i) => {
              const [choice, junk] = params[i]!;
              path = path.replace(`{${p}}`, pathValue(op, p, choice, junk));
            });
            // Logout with a real token would end the session the rest of the walk uses.
            const whoNow = op.path === "/api/logout" && (who === "root" || who === "user") ? "garbage" : who;
            const token =
              whoNow === "root"
                ? h.rootToken
                : whoNow === "user"
                  ? userToken
                  : whoNow === "garbage"
                    ? "aht_nope"
                    : undefined;
            const qs = new URLSearchParams();
            for (const [k, v] of q) qs.append(k, v);
            const url = `${h.url}${path}${q.length > 0 ? `?${qs}` : ""}`;
            const headers: Record<string, string> = {};
            if (token) headers.authorization = `Bearer ${token}`;
            let payload: string | undefined;
            if (body !== undefined && op.method !== "GET" && op.method !== "DELETE") {
              headers["content-type"] = "application/json";
              payload = typeof body === "string" ? body : JSON.stringify(body);
            }
            const before = snapshot();
            const res = await fetch(url, { method: op.method, headers, body: payload });
            const text = await res.text();
            const where = `${op.method} ${url.slice(0, 200)} body=${(payload ?? "").slice(0, 200)}`;
            expect(res.status, where).toBeLessThan(500);
            const requestId = res.headers.get("x-request-id");
            expect(requestId, where).toMatch(/^req_/);
            if (res.status >= 400) {
              const err = JSON.parse(text) as ErrorBody;
              expect(typeof err.error, where).toBe("string");
              expect(err.code, where).toMatch(/^[A-Z][A-Z_]+$/);
              expect(String(err.code).startsWith("FST_"), where).toBe(false);
              expect(err.request_id, where).toBe(requestId);
              expect(snapshot(), `${where}: a refused request changed rows`).toBe(before);
            }
            seen.set(String(res.status), (seen.get(String(res.status)) ?? 0) + 1);
          },
        ),
        { numRuns: 20 },
      );
    }
    // The walk reached handlers, not only the front door.
    expect([...seen.keys()].some((s) => s.startsWith("2"))).toBe(true);
    expect(seen.get("400") ?? 0).toBeGreaterThan(50);
    // No answer drifted from its documented schema.
    expect(h.logs()).not.toContain("response does not match its schema");
  }, 240_000);
});
