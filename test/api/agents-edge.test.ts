import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Agents and agent nodes at the edge: every refusal is a 4xx in the contract (`{error, code,
 * request_id}` with `X-Request-Id`) naming the field, nothing is stored by a refused request, and
 * nothing is silently ignored (an unsupported filter, an unknown key).
 */

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let safe: string;

beforeAll(async () => {
  work = tempDir();
  safe = join(work.path, "projects");
  mkdirSync(join(safe, "app"), { recursive: true });
  h = await startHubWithRoot({ safe_paths: [safe] });
});
afterAll(async () => {
  await h.close();
  work.cleanup();
});

type ErrorBody = {
  error: string;
  code: string;
  request_id: string;
  details?: { field?: string | null; location?: string };
};

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T & ErrorBody>(h.url, method, path, { token: h.rootToken, body });

/** A 400 BAD_REQUEST in the contract that names `location.field`. */
function expectRefused(r: ApiResponse<ErrorBody>, location: "body" | "query" | "path", field: string): void {
  expect([r.status, r.body.code], JSON.stringify(r.body).slice(0, 500)).toEqual([400, "BAD_REQUEST"]);
  expect(r.body.error.startsWith(`${location}.${field}: `), r.body.error.slice(0, 300)).toBe(true);
  expect(r.body.details).toMatchObject({ location, field });
  expect(r.body.request_id).toMatch(/^req_/);
  expect(r.headers.get("x-request-id")).toBe(r.body.request_id);
}

/** Nothing stored: neither the API nor the table has an agent. */
async function expectNoAgents(): Promise<void> {
  expect((await call<{ agents: unknown[] }>("GET", "/api/agents")).body.agents).toEqual([]);
  expect(h.hub.agents.repo.list(null)).toEqual([]);
}

const agent = (over: Record<string, unknown> = {}) => ({
  name: "a",
  provider: "scripted",
  workdir: join(safe, "app"),
  ...over,
});

describe("GET /api/agents refuses what it does not support", () => {
  it("an unsupported filter (?team_id=) is a 400 naming it, never ignored", async () => {
    for (const q of ["team_id=t_1", "team_id="]) {
      const r = await call("GET", `/api/agents?${q}`);
      expectRefused(r, "query", "team_id");
      expect(r.body.error).toBe('query.team_id: unknown key "team_id"');
    }
  });
});

describe("POST /api/agents: hostile input is a 4xx naming the field; nothing is stored", () => {
  it("a workdir with a NUL byte", async () => {
    const r = await call("POST", "/api/agents", agent({ workdir: `${safe}/app\u0000/etc` }));
    expectRefused(r, "body", "workdir");
    expect(r.body.error).toBe("body.workdir: must not contain NUL bytes");
    await expectNoAgents();
  });

  it("a workdir longer than the OS path limit (4096)", async () => {
    for (const len of [4096, 5000, 100_000]) {
      const r = await call("POST", "/api/agents", agent({ workdir: `${safe}/${"d".repeat(len)}` }));
      expectRefused(r, "body", "workdir");
    }
    // The same for the other paths an agent definition carries.
    const repo = await call(
      "POST",
      "/api/agents",
      agent({ workdir: undefined, worktree_mode: "create_worktree", worktree_repo: "/r".repeat(3000) }),
    );
    expectRefused(repo, "body", "worktree_repo");
    await expectNoAgents();
  });

  it("a 1 MB name", async () => {
    const r = await call("POST", "/api/agents", agent({ name: "n".repeat(1_000_000) }));
    expectRefused(r, "body", "name");
    await expectNoAgents();
  });

  it("an unknown key (a typo) is refused with its path, not dropped", async () => {
    const r = await call("POST", "/api/agents", { ...agent({ workdir: undefined }), wrokdir: safe });
    expectRefused(r, "body", "wrokdir");
    expect(r.body.error).toBe('body.wrokdir: unknown key "wrokdir"');
    await expectNoAgents();
  });

  it("wrong types, an unknown worktree_mode, an env name with '=' or a NUL value", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [agent({ name: 42 }), "name"],
      [agent({ args: "--flag" }), "args"],
      [agent({ args: ["ok", 1] }), "args.1"],
      [agent({ worktree_mode: "copy" }), "worktree_mode"],
      [agent({ env: { "A=B": "x" } }), "env.A=B"],
      [agent({ env: { A: "x\u0000y" } }), "env.A"],
      [agent({ node_id: ["main", "main"] }), "node_id"],
    ];
    for (const [body, field] of cases) expectRefused(await call("POST", "/api/agents", body), "body", field);
    await expectNoAgents();
  });

  it("the contract's own messages stay: a blank name, no workdir, an option-like ref", async () => {
    const blank = await call("POST", "/api/agents", agent({ name: "   " }));
    expect([blank.status, blank.body.error]).toEqual([400, "name is required"]);
    const noWorkdir = await call("POST", "/api/agents", agent({ workdir: undefined }));
    expect([noWorkdir.status, noWorkdir.body.code, noWorkdir.body.error]).toEqual([
      400,
      "WORKDIR_REQUIRED",
      "workdir is required",
    ]);
    const ref = await call(
      "POST",
      "/api/agents",
      agent({
        workdir: undefined,
        worktree_mode: "create_worktree",
        worktree_repo: safe,
        worktree_ref: "main\u0000",
      }),
    );
    expect([ref.status, ref.body.code]).toEqual([400, "WORKTREE_REF_INVALID"]);
    expect(ref.body.details).toMatchObject({ field: "worktree_ref" });
    expect(ref.headers.get("x-request-id")).toBe(ref.body.request_id);
    await expectNoAgents();
  });
});

describe("an agent's other routes check their input", () => {
  it("query filters: repeated parameters, unknown values and unknown keys are 400s naming them", async () => {
    const created = await call<{ id: string }>("POST", "/api/agents", agent({ name: "checked" }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    try {
      expectRefused(await call("GET", `/api/agents/${id}/events?limit=1&limit=2`), "query", "limit");
      expectRefused(await call("GET", `/api/agents/${id}/events?after=-1`), "query", "after");
      expectRefused(await call("GET", `/api/agents/${id}/events?limit=0`), "query", "limit");
      expectRefused(await call("GET", `/api/agents/${id}/events?since=3`), "query", "since");
      const bogus = await call("GET", `/api/agents/${id}/permissions?status=bogus`);
      expectRefused(bogus, "query", "status");
      expect(bogus.body.error).toContain('"pending"');
      expect(bogus.body.error).toContain('"resolved"');
      expectRefused(await call("GET", `/api/agents/${id}/permissions?agent=x`), "query", "agent");

      // EventSource clients pass the token in the query: the JSON page takes it too.
      const page = await api<{ events: unknown[]; next_cursor: string | null }>(
        h.url,
        "GET",
        `/api/agents/${id}/events?token=${h.rootToken}&after=0&limit=10`,
      );
      expect([page.status, page.body.events, page.body.next_cursor]).toEqual([200, [], null]);
      const pending = await call<{ permissions: unknown[] }>(
        "GET",
        `/api/agents/${id}/permissions?status=pending`,
      );
      expect([pending.status, pending.body.permissions]).toEqual([200, []]);
    } finally {
      expect((await call("DELETE", `/api/agents/${id}`)).status).toBe(204);
    }
    await expectNoAgents();
  });

  it("bodies of input and permission answers are strict and bounded", async () => {
    const created = await call<{ id: string }>("POST", "/api/agents", agent({ name: "bodies" }));
    const id = created.body.id;
    try {
      expectRefused(
        await call("POST", `/api/agents/${id}/input`, { text: "hi", turn: "t1" }),
        "body",
        "turn",
      );
      expectRefused(await call("POST", `/api/agents/${id}/input`, { text: 7 }), "body", "text");
      expectRefused(await call("POST", `/api/agents/${id}/input`, { text: "a\u0000b" }), "body", "text");
      expectRefused(
        await call("POST", `/api/agents/${id}/permissions/perm_x/respond`, { option: "allow" }),
        "body",
        "option",
      );
      expectRefused(
        await call("POST", `/api/agents/${id}/permissions/perm_x/respond`, { outcome: "approved" }),
        "body",
        "outcome",
      );
      const unknown = await call("POST", `/api/agents/${id}/permissions/perm_x/respond`, { option_id: "a" });
      expect([unknown.status, unknown.body.code]).toEqual([404, "PERMISSION_REQUEST_NOT_FOUND"]);
      // Action routes take no body: an empty one with a JSON content type works, a key in it is refused.
      const empty = await api(h.url, "POST", `/api/agents/${id}/stop`, {
        token: h.rootToken,
        headers: { "content-type": "application/json" },
      });
      expect(empty.status, JSON.stringify(empty.body)).toBe(200);
      expect((await call("POST", `/api/agents/${id}/stop`, {})).status).toBe(200);
      expectRefused(await call("POST", `/api/agents/${id}/start`, { force: true }), "body", "force");
      expect((await call<{ status: string }>("GET", `/api/agents/${id}`)).body.status).toBe("created");
      // An agent that is not running gets no input: the body was fine, the state is not.
      const idle = await call("POST", `/api/agents/${id}/input`, { text: "hello" });
      expect([idle.status, idle.body.code]).toEqual([409, "CONFLICT"]);
    } finally {
      await call("DELETE", `/api/agents/${id}`);
    }
  });

  it("an id with a NUL byte or over the router's length is refused in the contract before any lookup", async () => {
    expectRefused(await call("GET", "/api/agents/agt_a%00b"), "path", "id");
    expectRefused(await call("GET", "/api/admin/agent-nodes/main%00/health"), "path", "id");
    const long = await call("GET", `/api/agents/${"x".repeat(300)}`);
    expect([long.status, long.body.code]).toEqual([414, "URI_TOO_LONG"]);
    expect(long.headers.get("x-request-id")).toBe(long.body.request_id);
  });
});

describe("agent nodes (root): registration and edits check their input; nothing is stored", () => {
  const nodeIds = async () =>
    (await call<{ nodes: { id: string }[] }>("GET", "/api/admin/agent-nodes")).body.nodes.map((n) => n.id);

  it("register: a bad id, a missing target, NUL bytes, an unknown key", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: "-x", grpc_target: "127.0.0.1:1" }, "id"],
      [{ id: "n".repeat(64), grpc_target: "127.0.0.1:1" }, "id"],
      [{ id: "n1" }, "grpc_target"],
      [{ id: "n1", grpc_target: "127.0.0.1:1", tls_server_name: "a\u0000b" }, "tls_server_name"],
      [
        { id: "n1", grpc_target: "127.0.0.1:1", default_worktree_root: `/w${"w".repeat(5000)}` },
        "default_worktree_root",
      ],
      [{ id: "n1", grpc_target: "127.0.0.1:1", grpc: "x" }, "grpc"],
      [{ id: "n1", grpc_target: "127.0.0.1:1", name: "m".repeat(1_000_000) }, "name"],
    ];
    for (const [body, field] of cases) {
      expectRefused(await call("POST", "/api/admin/agent-nodes", body), "body", field);
    }
    expect(await nodeIds()).toEqual(["main"]);
  });

  it("edit: an unknown key or a wrong type is refused and the node is unchanged", async () => {
    const before = await call<Record<string, unknown>>("GET", "/api/admin/agent-nodes/main");
    expectRefused(await call("PUT", "/api/admin/agent-nodes/main", { nam: "x" }), "body", "nam");
    expectRefused(await call("PUT", "/api/admin/agent-nodes/main", { name: 3 }), "body", "name");
    const after = await call<Record<string, unknown>>("GET", "/api/admin/agent-nodes/main");
    expect(after.body).toEqual(before.body);
  });

  it("health of the built-in node answers its isolation", async () => {
    const r = await call<{ id: string; status: string; isolation: string | null }>(
      "GET",
      "/api/admin/agent-nodes/main/health",
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: "main", status: "online" });
    expect(["bwrap", "none"]).toContain(r.body.isolation);
  });
});

describe("the document and the answers agree", () => {
  it("every agent and agent-node route is in the OpenAPI document with its input", async () => {
    const doc = await api<{
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    }>(h.url, "GET", "/api/openapi.json");
    const paths = doc.body.paths;
    const ops = Object.entries(paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    for (const op of [
      "POST /api/agents",
      "GET /api/agents",
      "GET /api/agents/{id}",
      "DELETE /api/agents/{id}",
      "POST /api/agents/{id}/start",
      "POST /api/agents/{id}/stop",
      "POST /api/agents/{id}/input",
      "GET /api/agents/{id}/events",
      "GET /api/agents/{id}/permissions",
      "POST /api/agents/{id}/permissions/{pid}/respond",
      "POST /api/admin/agent-nodes",
      "GET /api/admin/agent-nodes",
      "GET /api/admin/agent-nodes/{id}",
      "PUT /api/admin/agent-nodes/{id}",
      "DELETE /api/admin/agent-nodes/{id}",
      "GET /api/admin/agent-nodes/{id}/health",
    ]) {
      expect(ops).toContain(op);
    }
    const events = paths["/api/agents/{id}/events"]!.get!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(events).toEqual(expect.arrayContaining(["path:id", "query:after", "query:limit", "query:token"]));
    const unschemed = h.hub.app?.routesWithoutSchema() ?? [];
    expect(unschemed.filter((r) => r.includes("/api/agents") || r.includes("/agent-nodes"))).toEqual([]);
  });

  it("answers of the agent routes match their response schemas (no drift is logged)", async () => {
    const created = await call<{ id: string; spec: { env: Record<string, string> } }>(
      "POST",
      "/api/agents",
      agent({ name: "shown", env: { KEY: "secret-value" }, args: ["--x"] }),
    );
    expect(created.status).toBe(201);
    expect(created.body.spec.env).toEqual({ KEY: "(set)" });
    const id = created.body.id;
    await call("GET", "/api/agents");
    await call("GET", `/api/agents/${id}`);
    await call("GET", `/api/agents/${id}/events`);
    await call("GET", `/api/agents/${id}/permissions`);
    await call("GET", "/api/admin/agent-nodes");
    await call("GET", "/api/admin/agent-nodes/main");
    await call("GET", "/api/admin/agent-nodes/main/health");
    const deleted = await fetch(`${h.url}/api/agents/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${h.rootToken}` },
    });
    expect([deleted.status, await deleted.text()]).toEqual([204, ""]);
    expect(h.logs()).not.toContain("response does not match its schema");
    await expectNoAgents();
  });
});
