import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec, singleSpec } from "../helpers/specs.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
beforeEach(async () => {
  h = await startHubWithRoot();
});
afterEach(async () => {
  await h.close();
});

type Team = { id: string; name: string; version: number; updated_at: string; spec: unknown };

async function createTeam(name: string, spec: unknown = diamondSpec(), token = h.rootToken) {
  return api<
    Team & { error: string; code: string; details: { errors: { field: string; message: string }[] } }
  >(h.url, "POST", "/api/teams", { token, body: { name, spec } });
}

describe("teams", () => {
  it("creates, lists, reads, updates and deletes a team", async () => {
    const created = await createTeam("alpha");
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^team_/);
    const list = await api<{ teams: Team[] }>(h.url, "GET", "/api/teams", { token: h.rootToken });
    expect(list.body.teams.map((t) => t.name)).toEqual(["alpha"]);
    const got = await api<Team>(h.url, "GET", `/api/teams/${created.body.id}`, { token: h.rootToken });
    expect(got.body.spec).toMatchObject({ leader_member_id: "lead" });
    const put = await api<Team>(h.url, "PUT", `/api/teams/${created.body.id}`, {
      token: h.rootToken,
      body: { name: "alpha2", spec: singleSpec(), expected_updated_at: got.body.updated_at },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: "alpha2", version: 2 });
    const del = await api(h.url, "DELETE", `/api/teams/${created.body.id}`, { token: h.rootToken });
    expect([del.status, del.body]).toEqual([200, { id: created.body.id, deleted: true, worktrees: [] }]);
    const gone = await api(h.url, "GET", `/api/teams/${created.body.id}`, { token: h.rootToken });
    expect([gone.status, gone.body.error]).toEqual([404, "team not found"]);
  });

  it("rejects duplicate names with 409", async () => {
    await createTeam("dup");
    const again = await createTeam("dup");
    expect([again.status, again.body.error]).toEqual([409, "team name already exists"]);
  });

  it.each([
    [{ spec: diamondSpec() }, "team name is required"],
    [{ name: "x", spec: "nope" }, "spec must be an object"],
    [{ name: "x", spec: { ...diamondSpec(), members: "x" } }, "spec.members must be an array"],
    [{ name: "x", spec: { ...diamondSpec(), members: [], steps: [] } }, "spec.members must not be empty"],
    [
      { name: "x", spec: { ...singleSpec(), members: [{ role: "leader", description: "", skills: [] }] } },
      "spec.members[].member_id is required",
    ],
    [
      { name: "x", spec: { ...singleSpec(), leader_member_id: "ghost" } },
      "spec.leader_member_id must reference a defined member",
    ],
    [
      {
        name: "x",
        spec: {
          ...singleSpec(),
          steps: [{ step_key: "s", member_id: "lead", prompt: "", depends_on: [""] }],
        },
      },
      "spec.steps[].depends_on entries must be non-empty strings",
    ],
  ])("validates the spec: %j -> %s", async (body, message) => {
    const r = await api<{ error: string; details: { errors: { message: string }[] } }>(
      h.url,
      "POST",
      "/api/teams",
      {
        token: h.rootToken,
        body,
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(message);
    expect(r.body.details.errors[0]!.message).toBe(message);
    expect(
      (await api<{ teams: unknown[] }>(h.url, "GET", "/api/teams", { token: h.rootToken })).body.teams,
    ).toEqual([]);
  });

  it("reports every problem in details.errors, including cycles", async () => {
    const spec = diamondSpec();
    spec.steps[0]!.depends_on = ["join"];
    const r = await createTeam("cyc", { ...spec, spec_version: 2 });
    expect(r.status).toBe(400);
    const messages = r.body.details.errors.map((e) => e.message);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.some((m) => /cycle/.test(m))).toBe(true);
    expect(messages.some((m) => /spec_version/.test(m))).toBe(true);
  });

  it("keeps the optimistic lock under truly concurrent PUTs", async () => {
    const created = await createTeam("locked");
    const stale = created.body.updated_at;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api<Team & { error: string }>(h.url, "PUT", `/api/teams/${created.body.id}`, {
          token: h.rootToken,
          body: { name: `locked-${i}`, spec: diamondSpec(), expected_updated_at: stale },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(7);
    for (const c of conflicts)
      expect(c.body.error).toBe("team definition changed concurrently; reload and retry");
    const final = await api<Team>(h.url, "GET", `/api/teams/${created.body.id}`, { token: h.rootToken });
    expect(final.body.name).toBe(ok[0]!.body.name);
    expect(final.body.version).toBe(2);
  });

  it("tells two writes within the same millisecond apart", async () => {
    // The fake clock does not move: every write happens "in the same millisecond".
    const created = await createTeam("same-ms");
    const first = await api<Team>(h.url, "PUT", `/api/teams/${created.body.id}`, {
      token: h.rootToken,
      body: { spec: diamondSpec(), expected_updated_at: created.body.updated_at },
    });
    expect(first.status).toBe(200);
    expect(first.body.updated_at).not.toBe(created.body.updated_at);
    const second = await api(h.url, "PUT", `/api/teams/${created.body.id}`, {
      token: h.rootToken,
      body: { spec: diamondSpec(), expected_updated_at: created.body.updated_at },
    });
    expect(second.status).toBe(409);
    const byVersion = await api(h.url, "PUT", `/api/teams/${created.body.id}`, {
      token: h.rootToken,
      body: { spec: diamondSpec(), expected_version: 2 },
    });
    expect(byVersion.status).toBe(200);
  });

  it("shows a user only its own teams; others get 404 team not found; root sees all", async () => {
    const alice = await addUser(h, h.rootToken, "alice");
    const bob = await addUser(h, h.rootToken, "bob");
    const a = await createTeam("alice-team", diamondSpec(), alice);
    expect(a.status).toBe(201);
    const bobList = await api<{ teams: Team[] }>(h.url, "GET", "/api/teams", { token: bob });
    expect(bobList.body.teams).toEqual([]);
    for (const [method, path] of [
      ["GET", `/api/teams/${a.body.id}`],
      ["DELETE", `/api/teams/${a.body.id}`],
      ["POST", `/api/teams/${a.body.id}/runs`],
      ["GET", `/api/teams/${a.body.id}/tasks`],
    ] as const) {
      const r = await api(h.url, method, path, { token: bob, body: method === "POST" ? {} : undefined });
      expect([r.status, r.body.error]).toEqual([404, "team not found"]);
    }
    const rootList = await api<{ teams: Team[] }>(h.url, "GET", "/api/teams", { token: h.rootToken });
    expect(rootList.body.teams.map((t) => t.name)).toEqual(["alice-team"]);
    const noToken = await api(h.url, "GET", "/api/teams");
    expect(noToken.status).toBe(401);
  });
});
