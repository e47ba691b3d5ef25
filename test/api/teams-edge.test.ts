import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApiResponse, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";

/**
 * The edges of the team, task and conversation routes: strict specs (typos and unknown providers
 * refused with their path), filters that never answer wrong input with silence, hostile values (1 MB
 * names, NUL bytes, repeated parameters), and nothing stored by a refused request.
 */

type ErrorBody = {
  error: string;
  code: string;
  request_id: string;
  details?: { field?: string; errors?: { field: string; message: string }[] } & Record<string, unknown>;
};
type Team = { id: string; name: string; version: number; updated_at: string; spec: Record<string, unknown> };
type Task = {
  id: string;
  title: string;
  status: string;
  priority: number;
  assigned_member_id: string | null;
};

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
beforeAll(async () => {
  // A provider configured in the hub's own config is one a spec may name.
  h = await startHubWithRoot({ agents: { providers: { "my-acp": { command: "/bin/true" } } } });
});
afterAll(() => h.close());

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T & ErrorBody>(h.url, method, path, { token: h.rootToken, body });

/** Every refusal is in the contract: a code of ours, the request id in the body and the header. */
function expectRefused(r: ApiResponse<ErrorBody>, status: number, code?: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  if (code) expect(r.body.code).toBe(code);
  expect(r.body.code).toMatch(/^[A-Z_]+$/);
  expect(r.body.code.startsWith("FST_")).toBe(false);
  expect(typeof r.body.error).toBe("string");
  expect(r.body.request_id).toMatch(/^req_/);
  expect(r.headers.get("x-request-id")).toBe(r.body.request_id);
}

const teamNames = async () =>
  (await call<{ teams: Team[] }>("GET", "/api/teams")).body.teams.map((t) => t.name).sort();

/** A spec with one member whose fields are replaced/added by `member`, and optional steps. */
function specWith(member: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [{ member_id: "lead", role: "leader", ...member }, { member_id: "w1" }],
    ...extra,
  };
}

describe("strict team specs over the API", () => {
  let before: string[];
  beforeEach(async () => {
    before = await teamNames();
  });

  it.each([
    [
      "a step prompt typo",
      specWith({}, { steps: [{ step_key: "s", member_id: "lead", promt: "hi" }] }),
      "spec.steps[0].promt",
      'spec.steps[0].promt: unknown key; did you mean "prompt"?',
    ],
    [
      "dependson",
      specWith(
        {},
        {
          steps: [
            { step_key: "a", member_id: "lead" },
            { step_key: "b", member_id: "w1", dependson: ["a"] },
          ],
        },
      ),
      "spec.steps[1].dependson",
      'spec.steps[1].dependson: unknown key; did you mean "depends_on"?',
    ],
    [
      "agnet",
      specWith({ agnet: { provider: "scripted" } }),
      "spec.members[0].agnet",
      'spec.members[0].agnet: unknown key; did you mean "agent"?',
    ],
    [
      "an unknown provider",
      specWith({ agent: { provider: "clade" } }),
      "spec.members[0].agent.provider",
      'spec.members[0].agent.provider: unknown provider "clade"; did you mean "claude"? (known: scripted, claude, codex, gemini, my-acp; others are configured in [agents.providers.NAME])',
    ],
    [
      "a typo of the configured provider",
      specWith({ agent: { provider: "my-apc" } }),
      "spec.members[0].agent.provider",
      'spec.members[0].agent.provider: unknown provider "my-apc"; did you mean "my-acp"? (known: scripted, claude, codex, gemini, my-acp; others are configured in [agents.providers.NAME])',
    ],
  ])(
    "refuses %s with its path and the closest known name; nothing is stored",
    async (_l, spec, field, message) => {
      const r = await call("POST", "/api/teams", { name: "typo", spec });
      expectRefused(r, 400, "SPEC_INVALID");
      expect(r.body.error).toBe(message);
      expect(r.body.details?.errors?.[0]).toEqual({ field, message });
      expect(await teamNames()).toEqual(before);
    },
  );

  it("accepts the built-in providers and the hub's configured ones", async () => {
    for (const provider of ["scripted", "claude", "codex", "gemini", "my-acp"]) {
      const r = await call<Team>("POST", "/api/teams", {
        name: `prov-${provider}`,
        spec: specWith({ agent: { provider } }),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  });

  it("refuses a typo on edit and keeps the stored team unchanged", async () => {
    const created = await call<Team>("POST", "/api/teams", { name: "edit-typo", spec: singleSpec() });
    expect(created.status).toBe(201);
    const r = await call("PUT", `/api/teams/${created.body.id}`, {
      spec: { ...singleSpec(), entrypoint: { member_id: "lead", promt: "x" } },
      expected_version: created.body.version,
    });
    expectRefused(r, 400, "SPEC_INVALID");
    expect(r.body.error).toBe('spec.entrypoint.promt: unknown key; did you mean "prompt"?');
    const after = await call<Team>("GET", `/api/teams/${created.body.id}`);
    expect(after.body).toEqual(created.body);
  });

  it("keeps the contract's spec messages (not an object, name required) with details.errors", async () => {
    const notObject = await call("POST", "/api/teams", { name: "x", spec: [1] });
    expectRefused(notObject, 400, "SPEC_NOT_OBJECT");
    expect(notObject.body.error).toBe("spec must be an object");
    expect(notObject.body.details?.errors?.[0]?.field).toBe("spec");
    const noName = await call("POST", "/api/teams", { name: "  ", spec: singleSpec() });
    expectRefused(noName, 400, "TEAM_NAME_REQUIRED");
    expect(await teamNames()).toEqual(before);
  });

  it("refuses unknown body keys, naming them", async () => {
    const r = await call("POST", "/api/teams", { name: "k", spec: singleSpec(), spek: {} });
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.details?.field).toBe("spek");
    const created = await call<Team>("POST", "/api/teams", { name: "k2", spec: singleSpec() });
    const put = await call("PUT", `/api/teams/${created.body.id}`, {
      spec: singleSpec(),
      expected_verison: created.body.version,
    });
    expectRefused(put, 400, "BAD_REQUEST");
    expect(put.body.error).toContain("expected_verison");
    expect((await call<Team>("GET", `/api/teams/${created.body.id}`)).body.version).toBe(1);
  });

  it("concurrent creates and renames to one name: one wins, the others get 409 team name already exists", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call<Team>("POST", "/api/teams", { name: "race", spec: singleSpec() })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expectRefused(r, 409, "TEAM_NAME_EXISTS");
      expect(r.body.error).toBe("team name already exists");
    }
    const other = await call<Team>("POST", "/api/teams", { name: "race-2", spec: singleSpec() });
    const rename = await call("PUT", `/api/teams/${other.body.id}`, {
      name: "race",
      spec: singleSpec(),
      expected_version: 1,
    });
    expectRefused(rename, 409, "TEAM_NAME_EXISTS");
    expect((await call<Team>("GET", `/api/teams/${other.body.id}`)).body).toEqual(other.body);
    // The unique index decides when two writes pass the name check together.
    const repo = h.hub.services.teams.repo;
    const stored = repo.get(other.body.id)!;
    expect(repo.create({ ...stored, id: "team_dup", name: "race" })).toBe("name_taken");
    expect(repo.updateTeam(stored.id, stored.version, "race", stored.spec, Date.now())).toBe("name_taken");
    expect(repo.updateTeam(stored.id, stored.version + 5, "race-2", stored.spec, Date.now())).toBe(
      "version_changed",
    );
    expect(repo.get("team_dup")).toBeUndefined();
  });

  it("answers an edit without a version with the lock's message", async () => {
    const created = await call<Team>("POST", "/api/teams", { name: "nolock", spec: singleSpec() });
    const r = await call("PUT", `/api/teams/${created.body.id}`, { spec: singleSpec() });
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.error).toBe("expected_updated_at (or expected_version) is required; GET the team first");
    const bad = await call("PUT", `/api/teams/${created.body.id}`, {
      spec: singleSpec(),
      expected_updated_at: "yesterday",
    });
    expect(bad.body.error).toBe("expected_updated_at must be an ISO timestamp");
    const wrongType = await call("PUT", `/api/teams/${created.body.id}`, {
      spec: singleSpec(),
      expected_version: "1",
    });
    expectRefused(wrongType, 400, "BAD_REQUEST");
    expect(wrongType.body.details?.field).toBe("expected_version");
  });
});

describe("hostile values", () => {
  it("a 1 MB name is a 400 naming the field, and nothing is stored", async () => {
    const before = await teamNames();
    const r = await call("POST", "/api/teams", { name: "n".repeat(1_000_000), spec: singleSpec() });
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.details?.field).toBe("name");
    expect(r.body.error).toMatch(/^body\.name: /);
    const over = await call("POST", "/api/teams", { name: "n".repeat(2_000_000), spec: singleSpec() });
    expectRefused(over, 413, "PAYLOAD_TOO_LARGE");
    expect(await teamNames()).toEqual(before);
  });

  it("NUL bytes in a name, a workdir, a title or a path are refused with the field named", async () => {
    const before = await teamNames();
    const name = await call("POST", "/api/teams", { name: "a\u0000b", spec: singleSpec() });
    expectRefused(name, 400, "BAD_REQUEST");
    expect(name.body.error).toBe("body.name: must not contain NUL bytes");
    const workdir = await call("POST", "/api/teams", {
      name: "nul-workdir",
      spec: specWith({ agent: { provider: "scripted", workdir: "/tmp/a\u0000b" } }),
    });
    expectRefused(workdir, 400, "SPEC_INVALID");
    expect(workdir.body.details?.errors).toContainEqual({
      field: "spec.members[0].agent.workdir",
      message: "spec.members[0].agent.workdir must not contain NUL bytes",
    });
    const long = await call("POST", "/api/teams", {
      name: "long-workdir",
      spec: specWith({ agent: { provider: "scripted", workdir: `/${"d".repeat(5000)}` } }),
    });
    expectRefused(long, 400, "SPEC_INVALID");
    expect(long.body.details?.errors?.[0]?.field).toBe("spec.members[0].agent.workdir");
    expect(await teamNames()).toEqual(before);

    const team = await call<Team>("POST", "/api/teams", { name: "nul-tasks", spec: singleSpec() });
    const title = await call("POST", `/api/teams/${team.body.id}/tasks`, { title: "x\u0000y" });
    expectRefused(title, 400, "BAD_REQUEST");
    expect(title.body.details?.field).toBe("title");
    const path = await call("GET", `/api/teams/${team.body.id}/tasks/task%00x`);
    expectRefused(path, 400, "BAD_REQUEST");
    expect((await call<{ tasks: Task[] }>("GET", `/api/teams/${team.body.id}/tasks`)).body.tasks).toEqual([]);
  });

  it("a path id longer than any id is refused in the contract", async () => {
    const r = await call("GET", `/api/teams/${"t".repeat(500)}`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expectRefused(r, r.status);
  });
});

describe("task filters and edits", () => {
  let teamId: string;
  const tasksPath = () => `/api/teams/${teamId}/tasks`;
  beforeAll(async () => {
    const r = await call<Team>("POST", "/api/teams", { name: "filters", spec: singleSpec() });
    teamId = r.body.id;
    await call("POST", tasksPath(), { title: "a", assigned_member_id: "w1", priority: 1 });
  });

  it("an unknown status value is a 400 listing the allowed values", async () => {
    const r = await call("GET", `${tasksPath()}?status=bogus`);
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.error).toBe(
      "query.status: must be one of: open, in_progress, in_review, completed, canceled",
    );
    expect(r.body.details?.field).toBe("status");
  });

  it("a repeated filter is refused, never merged or half-applied", async () => {
    const r = await call("GET", `${tasksPath()}?status=open&status=completed`);
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.details?.field).toBe("status");
  });

  it("a filter the route does not support is refused, never ignored", async () => {
    const r = await call("GET", `${tasksPath()}?owner=me`);
    expectRefused(r, 400, "BAD_REQUEST");
    expect(r.body.error).toContain("owner");
    const teams = await call("GET", "/api/teams?team_id=x");
    expectRefused(teams, 400, "BAD_REQUEST");
    expect(teams.body.error).toContain("team_id");
  });

  it("an unknown member in a filter is a 400 naming it, not an empty list", async () => {
    const r = await call("GET", `${tasksPath()}?assigned_member_id=ghost`);
    expectRefused(r, 400, "UNKNOWN_MEMBER");
    expect(r.body.error).toBe('unknown member "ghost"');
    const ok = await call<{ tasks: Task[] }>("GET", `${tasksPath()}?assigned_member_id=w1&status=open`);
    expect(ok.body.tasks.map((t) => t.title)).toEqual(["a"]);
  });

  it("refused task writes change nothing", async () => {
    const before = (await call<{ tasks: Task[] }>("GET", tasksPath())).body.tasks;
    for (const body of [
      { title: "x", priority: 1.5 },
      { title: "x", priority: "high" },
      { title: "x", assigned_member_id: "ghost" },
      { title: "x", status: "open" },
      { title: 42 },
      {},
    ]) {
      const r = await call("POST", tasksPath(), body);
      expectRefused(r, 400);
    }
    const first = before[0]!;
    for (const body of [{ status: "bogus" }, { priority: 2 ** 40 }, { title: "  " }, { extra: 1 }]) {
      const r = await call("PATCH", `${tasksPath()}/${first.id}`, body);
      expectRefused(r, 400);
    }
    expect((await call<{ tasks: Task[] }>("GET", tasksPath())).body.tasks).toEqual(before);
  });

  it("keeps the contract's messages for tasks and conversations", async () => {
    const noTitle = await call("POST", tasksPath(), { title: "" });
    expect([noTitle.status, noTitle.body.error]).toEqual([400, "title is required"]);
    const badPriority = await call("POST", tasksPath(), { title: "x", priority: 0.5 });
    expect(badPriority.body.error).toBe("body.priority: must be an integer");
    const t = await call<Task>("POST", tasksPath(), { title: "talk" });
    const base = `${tasksPath()}/${t.body.id}/conversation/messages`;
    const route = await call("POST", base, { from_actor_id: "lead", route: "shout" });
    expectRefused(route, 400, "INVALID_ROUTE");
    expect(route.body.error).toBe("route must be one of: broadcast, to_leader, to_member");
    const noTo = await call("POST", base, { from_actor_id: "lead", route: "to_member" });
    expect([noTo.status, noTo.body.error]).toEqual([400, "to_actor_id is required when route=to_member"]);
    const noFrom = await call("POST", base, { route: "broadcast" });
    expect([noFrom.status, noFrom.body.error]).toEqual([400, "from_actor_id is required"]);
    const ghost = await call("POST", base, { from_actor_id: "ghost" });
    expectRefused(ghost, 400, "UNKNOWN_MEMBER");
    expect((await call<{ messages: unknown[] }>("GET", base)).body.messages).toEqual([]);
  });

  it("pages conversation messages by seq; bad page values are 400s", async () => {
    const t = await call<Task>("POST", tasksPath(), { title: "pages" });
    const base = `${tasksPath()}/${t.body.id}/conversation/messages`;
    for (let i = 0; i < 3; i++) {
      const m = await call("POST", base, { from_actor_id: "lead", payload: { i } });
      expect(m.status).toBe(201);
    }
    const page = await call<{ messages: { seq: number }[] }>("GET", `${base}?after=1&limit=1`);
    expect(page.body.messages.map((m) => m.seq)).toEqual([2]);
    const cursor = await call<{ messages: { seq: number }[] }>("GET", `${base}?cursor=2`);
    expect(cursor.body.messages.map((m) => m.seq)).toEqual([3]);
    for (const q of ["limit=0", "limit=abc", "after=-1", "limit=1&limit=2", "since=1"]) {
      expectRefused(await call("GET", `${base}?${q}`), 400, "BAD_REQUEST");
    }
  });
});

describe("the document", () => {
  it("every answer above matched its route's response schema (no drift logged)", () => {
    expect(h.logs()).toContain('"msg":"request"');
    expect(h.logs()).not.toContain("response does not match its schema");
    expect(h.logs()).not.toContain('"level":50');
  });

  it("every team, task and conversation route has a schema and lists its errors", async () => {
    const mine = (route: string) => route.includes("/api/teams") && !/runs|runtime/.test(route);
    expect((h.hub.app?.routesWithoutSchema() ?? []).filter(mine)).toEqual([]);
    const doc = await api<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>(h.url, "GET", "/api/openapi.json");
    const paths = Object.keys(doc.body.paths).filter(mine);
    expect(paths.sort()).toEqual(
      [
        "/api/teams",
        "/api/teams/{id}",
        "/api/teams/{id}/tasks",
        "/api/teams/{id}/tasks/{task_id}",
        "/api/teams/{id}/tasks/{task_id}/conversation",
        "/api/teams/{id}/tasks/{task_id}/conversation/messages",
        "/api/teams/{id}/tasks/{task_id}/conversation/messages/{message_id}",
      ].sort(),
    );
    expect(Object.keys(doc.body.paths["/api/teams/{id}"]!.put!.responses)).toEqual(
      expect.arrayContaining(["200", "400", "401", "404", "409", "500"]),
    );
    expect(Object.keys(doc.body.components.schemas)).toEqual(
      expect.arrayContaining(["Team", "TeamSpec", "Task"]),
    );
  });
});
