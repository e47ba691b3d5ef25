import { createHash } from "node:crypto";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureBuilt } from "../node/helpers/build-once.js";
import { expectError, openTeamHub, type TeamHub } from "../team/helpers.js";

// Values that must never come back in an answer; names (ANTHROPIC_API_KEY...) may.
const SECRETS = {
  agent: "sk-ant-agent-0123456789abcdef",
  team: "sk-ant-team-fedcba9876543210",
  keep: "kept-value-1f2e3d",
  old: "replaced-value-aa11",
  fresh: "replacing-value-bb22",
  dropped: "dropped-value-cc33",
};

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * A prompt line that makes the scripted agent print a hash of its environment's values, so the
 * test sees what the agent got while no answer ever contains the value itself.
 */
const hashEnvPrompt = (...names: string[]) =>
  `run: sh -c 'printf "%s" "${names.map((n) => `$${n}`).join("|")}" | sha256sum'`;

let t: TeamHub;
beforeAll(ensureBuilt, 120_000);
beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

/** Fails naming the answer if any secret value appears anywhere in it. */
function expectNoSecret(what: string, body: unknown): void {
  const text = JSON.stringify(body);
  for (const [label, value] of Object.entries(SECRETS)) {
    expect(text.includes(value), `${what} contains the ${label} secret: ${text}`).toBe(false);
  }
}

async function get(path: string): Promise<unknown> {
  const r = await t.call("GET", path);
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

describe("agent env values are write-only", () => {
  it("create, list, get, start, stop answer names only; the agent gets the real value", async () => {
    const created = await t.call<{ id: string; spec: { env: Record<string, string> } }>(
      "POST",
      "/api/agents",
      {
        name: "solo",
        provider: "scripted",
        workdir: t.workdir("solo"),
        env: { ANTHROPIC_API_KEY: SECRETS.agent, OTHER: SECRETS.keep },
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.spec.env).toEqual({ ANTHROPIC_API_KEY: "(set)", OTHER: "(set)" });
    expectNoSecret("POST /api/agents", created.body);
    const id = created.body.id;

    const started = await t.call("POST", `/api/agents/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expectNoSecret("POST /api/agents/:id/start", started.body);
    const one = (await get(`/api/agents/${id}`)) as { spec: { env: Record<string, string> } };
    expect(one.spec.env).toEqual({ ANTHROPIC_API_KEY: "(set)", OTHER: "(set)" });
    expectNoSecret("GET /api/agents/:id", one);
    expectNoSecret("GET /api/agents", await get("/api/agents"));

    // The stored (and dispatched) value is the real one.
    const input = await t.call("POST", `/api/agents/${id}/input`, {
      text: hashEnvPrompt("ANTHROPIC_API_KEY", "OTHER"),
    });
    expect(input.status, JSON.stringify(input.body)).toBe(202);
    const hash = sha256(`${SECRETS.agent}|${SECRETS.keep}`);
    await t.waitAgentEvent(id, (e) => JSON.stringify(e.data).includes(hash), "the agent's hash of its env");
    expectNoSecret("GET /api/agents/:id/events", await get(`/api/agents/${id}/events?limit=1000`));

    const stopped = await t.call("POST", `/api/agents/${id}/stop`);
    expect(stopped.status).toBe(200);
    expectNoSecret("POST /api/agents/:id/stop", stopped.body);
  });

  it('an agent cannot be created with the "(set)" placeholder as a value', async () => {
    const r = await t.call("POST", "/api/agents", {
      name: "placeholder",
      provider: "scripted",
      workdir: t.workdir("p"),
      env: { ANTHROPIC_API_KEY: "(set)" },
    });
    expectError(r, 400, "BAD_REQUEST");
    expect(r.body.error).toContain("env.ANTHROPIC_API_KEY");
  });
});

describe("member env values are write-only", () => {
  it('every team, runtime and run answer shows names only; an edit sending "(set)" keeps the value, and the agent gets it', async () => {
    const spec = {
      leader_member_id: "lead",
      members: [
        t.member("lead", "leader", {
          env: { ANTHROPIC_API_KEY: SECRETS.team, KEEP: SECRETS.keep, CHANGE: SECRETS.old },
        }),
        t.member("w1", "worker", { env: { DROPPED: SECRETS.dropped } }),
      ],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [
        {
          step_key: "env",
          member_id: "lead",
          prompt: hashEnvPrompt("ANTHROPIC_API_KEY", "KEEP", "CHANGE", "NEW"),
        },
        { step_key: "work", member_id: "w1", prompt: "reply: done", depends_on: ["env"] },
      ],
    };
    const created = await t.call<{ id: string }>("POST", "/api/teams", {
      name: "masked",
      spec: { spec_version: 1, ...spec },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectNoSecret("POST /api/teams", created.body);
    const teamId = created.body.id;

    type Team = {
      version: number;
      spec: { members: { member_id: string; agent: { env?: Record<string, string> } }[] };
    };
    const team = (await get(`/api/teams/${teamId}`)) as Team;
    expectNoSecret("GET /api/teams/:id", team);
    expectNoSecret("GET /api/teams", await get("/api/teams"));
    const lead = team.spec.members.find((m) => m.member_id === "lead")!;
    expect(lead.agent.env).toEqual({ ANTHROPIC_API_KEY: "(set)", KEEP: "(set)", CHANGE: "(set)" });

    // Edit what GET returned: keep two values by their placeholder, replace one, add one; drop w1's.
    lead.agent.env = { ...lead.agent.env, CHANGE: SECRETS.fresh, NEW: "new-value" };
    team.spec.members.find((m) => m.member_id === "w1")!.agent.env = {};
    const put = await t.call<Team>("PUT", `/api/teams/${teamId}`, {
      spec: team.spec,
      expected_version: team.version,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expectNoSecret("PUT /api/teams/:id", put.body);
    expect(put.body.spec.members.map((m) => [m.member_id, m.agent.env])).toEqual([
      ["lead", { ANTHROPIC_API_KEY: "(set)", KEEP: "(set)", CHANGE: "(set)", NEW: "(set)" }],
      ["w1", {}],
    ]);

    const started = await t.call("POST", `/api/teams/${teamId}/runtime/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expectNoSecret("POST /api/teams/:id/runtime/start", started.body);
    expectNoSecret("GET /api/teams/:id/runtime", await get(`/api/teams/${teamId}/runtime`));

    const run = await t.newRun(teamId);
    expectNoSecret("POST /api/teams/:id/runs", run);
    const done = await t.waitRun(run.id, "completed");
    // The agent got the stored values through the "(set)" round trip, and the replaced one.
    const hash = sha256(`${SECRETS.team}|${SECRETS.keep}|${SECRETS.fresh}|new-value`);
    expect(t.step(done, "env").output).toContain(hash);

    expectNoSecret("GET /api/runs/:id", done);
    expectNoSecret("GET /api/teams/:id/runs", await get(`/api/teams/${teamId}/runs`));
    expectNoSecret("GET /api/runs/:id/steps", await get(`/api/runs/${run.id}/steps`));
    expectNoSecret("GET /api/runs/:id/events", await get(`/api/runs/${run.id}/events?limit=1000`));
    const agents = (await get("/api/agents")) as {
      agents: { id: string; member_id: string | null; spec: unknown }[];
    };
    expectNoSecret("GET /api/agents (member agents)", agents);
    expect(agents.agents.find((a) => a.member_id === "lead")?.spec).toMatchObject({
      env: { ANTHROPIC_API_KEY: "(set)", KEEP: "(set)", CHANGE: "(set)", NEW: "(set)" },
    });
    for (const a of agents.agents) {
      expectNoSecret(
        "GET /api/agents/:id/events (member agent)",
        await get(`/api/agents/${a.id}/events?limit=1000`),
      );
    }
  });

  it('"(set)" for a value nothing stores is refused, on create and on edit, and nothing changes', async () => {
    const bad = await t.call("POST", "/api/teams", {
      name: "bad",
      spec: {
        spec_version: 1,
        members: [t.member("lead", "leader", { env: { ANTHROPIC_API_KEY: "(set)" } })],
      },
    });
    expectError(bad, 400, "BAD_REQUEST");
    expect(bad.body.error).toContain("spec.members[0].agent.env.ANTHROPIC_API_KEY");

    const teamId = await t.createTeam({
      members: [t.member("lead", "leader", { env: { A: SECRETS.keep } })],
    });
    const team = (await get(`/api/teams/${teamId}`)) as { version: number; spec: Record<string, unknown> };
    const put = await t.call("PUT", `/api/teams/${teamId}`, {
      spec: {
        ...team.spec,
        members: [t.member("lead", "leader", { env: { A: "(set)", B: "(set)" } })],
      },
      expected_version: team.version,
    });
    expectError(put, 400, "BAD_REQUEST");
    expect(put.body.error).toContain("spec.members[0].agent.env.B");
    expect(((await get(`/api/teams/${teamId}`)) as { version: number }).version).toBe(team.version);

    // A member under a new id has nothing stored to keep.
    const renamed = await t.call("PUT", `/api/teams/${teamId}`, {
      spec: {
        ...team.spec,
        leader_member_id: "boss",
        members: [t.member("boss", "leader", { env: { A: "(set)" } })],
      },
      expected_version: team.version,
    });
    expectError(renamed, 400, "BAD_REQUEST");
  });
});
