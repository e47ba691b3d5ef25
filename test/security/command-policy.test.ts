import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt, SCRIPTED_AGENT } from "../node/helpers/build-once.js";

type ErrorBody = { error: string; code: string; details?: Record<string, unknown> };

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let safe: string;
let alice: string;
let aliceId: string;

beforeAll(ensureBuilt, 120_000);
beforeEach(async () => {
  work = tempDir("agenthub-cmd-");
  safe = join(work.path, "safe");
  mkdirSync(safe, { recursive: true });
  // No sandbox on `main`: agents would see everything the daemon's user can.
  h = await startHubWithRoot({ safe_paths: [safe], agents: { isolation: "none" } });
  alice = await addUser(h, h.rootToken, "alice");
  aliceId = (await api<{ user_id: string }>(h.url, "GET", "/api/me", { token: alice })).body.user_id;
});
afterEach(async () => {
  await h.close();
  work.cleanup();
});

const as = <T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown) =>
  api<T & ErrorBody>(h.url, method, path, { token, body });

function workdir(name: string): string {
  const dir = join(safe, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** An agent definition running the scripted agent through its own `command` (not a provider). */
const ownCommand = (name: string) => ({
  name,
  command: process.execPath,
  args: [SCRIPTED_AGENT],
  workdir: workdir(name),
});

const member = (member_id: string, role: "leader" | "worker", agent: Record<string, unknown>) => ({
  member_id,
  role,
  agent: { node_id: "main", workdir: workdir(member_id), ...agent },
});

function expectCommandRefused(r: { status: number; body: ErrorBody }): void {
  expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([403, "FORBIDDEN"]);
  // Says why and what to use instead.
  expect(r.body.error).toContain("without isolation");
  expect(r.body.error).toContain("only root");
  expect(r.body.error).toContain("provider");
}

/** Starts an agent, waits until it is idle, then stops it. */
async function startAndStop(token: string, id: string): Promise<void> {
  const sse = await openSse(`${h.url}/api/agents/${id}/events?token=${token}`);
  try {
    const started = await as(token, "POST", `/api/agents/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await sse.next((e) => e.data.kind === "status" && e.data.data.state === "idle");
  } finally {
    await sse.close();
  }
  expect((await as(token, "POST", `/api/agents/${id}/stop`)).status).toBe(200);
}

describe('with isolation "none", only root may give an agent its own command', () => {
  it("POST /api/agents: a user's command is refused (nothing saved), a user's provider and root's command run", async () => {
    const refused = await as(alice, "POST", "/api/agents", ownCommand("mine"));
    expectCommandRefused(refused);
    expect(refused.body.details).toMatchObject({ node_id: "main", isolation: "none" });
    expect((await as<{ agents: unknown[] }>(alice, "GET", "/api/agents")).body.agents).toEqual([]);

    const viaProvider = await as<{ id: string }>(alice, "POST", "/api/agents", {
      name: "provided",
      provider: "scripted",
      workdir: workdir("provided"),
    });
    expect(viaProvider.status, JSON.stringify(viaProvider.body)).toBe(201);
    await startAndStop(alice, viaProvider.body.id);

    const rootOwn = await as<{ id: string }>(h.rootToken, "POST", "/api/agents", ownCommand("roots"));
    expect(rootOwn.status, JSON.stringify(rootOwn.body)).toBe(201);
    await startAndStop(h.rootToken, rootOwn.body.id);
  });

  it("start refuses a user's command agent defined earlier (when the node was sandboxed); nothing runs", async () => {
    // Isolation can change after an agent was created (a node restarted without bubblewrap): such an
    // agent is stored as it was then, so it is written here directly rather than through the API.
    const now = Date.now();
    h.hub.agents.repo.insert({
      id: "agt_earlier",
      owner_id: aliceId,
      name: "earlier",
      node_id: "main",
      spec: {
        command: process.execPath,
        args: [SCRIPTED_AGENT],
        env: {},
        worktree_mode: "use_existing",
        workdir: workdir("earlier"),
      },
      status: "created",
      workdir: null,
      team_id: null,
      member_id: null,
      last_error: null,
      last_event_seq: 0,
      session: null,
      acp_session_id: null,
      created_at: now,
      updated_at: now,
    });
    const start = await as(alice, "POST", "/api/agents/agt_earlier/start");
    expectCommandRefused(start);
    const after = await as<{ status: string }>(alice, "GET", "/api/agents/agt_earlier");
    expect(after.body.status).toBe("created");
    expect(
      (await as<{ events: unknown[] }>(alice, "GET", "/api/agents/agt_earlier/events")).body.events,
    ).toEqual([]);
  });
});

describe('with isolation "none", only root may give a team member its own command', () => {
  it("a user's team with a command member is refused on create and edit; with a provider it runs; root's command team runs", async () => {
    const refused = await as(alice, "POST", "/api/teams", {
      name: "own-cmd",
      spec: {
        spec_version: 1,
        members: [member("lead", "leader", { command: process.execPath, args: [SCRIPTED_AGENT] })],
      },
    });
    expectCommandRefused(refused);
    expect(refused.body.error).toContain("spec.members[0].agent.command");
    expect((await as<{ teams: unknown[] }>(alice, "GET", "/api/teams")).body.teams).toEqual([]);

    const ok = await as<{ id: string; version: number; spec: Record<string, unknown> }>(
      alice,
      "POST",
      "/api/teams",
      {
        name: "provided",
        spec: { spec_version: 1, members: [member("lead", "leader", { provider: "scripted" })] },
      },
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const edit = await as(alice, "PUT", `/api/teams/${ok.body.id}`, {
      spec: {
        ...ok.body.spec,
        members: [member("lead", "leader", { command: process.execPath, args: [SCRIPTED_AGENT] })],
      },
      expected_version: ok.body.version,
    });
    expectCommandRefused(edit);
    const unchanged = await as<{ version: number }>(alice, "GET", `/api/teams/${ok.body.id}`);
    expect(unchanged.body.version).toBe(ok.body.version);
    const started = await as(alice, "POST", `/api/teams/${ok.body.id}/runtime/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect((await as(alice, "POST", `/api/teams/${ok.body.id}/runtime/stop`)).status).toBe(200);

    const rootTeam = await as<{ id: string }>(h.rootToken, "POST", "/api/teams", {
      name: "roots",
      spec: {
        spec_version: 1,
        members: [member("rlead", "leader", { command: process.execPath, args: [SCRIPTED_AGENT] })],
      },
    });
    expect(rootTeam.status, JSON.stringify(rootTeam.body)).toBe(201);
    const rootStart = await as(h.rootToken, "POST", `/api/teams/${rootTeam.body.id}/runtime/start`);
    expect(rootStart.status, JSON.stringify(rootStart.body)).toBe(200);
    expect((await as(h.rootToken, "POST", `/api/teams/${rootTeam.body.id}/runtime/stop`)).status).toBe(200);
  });

  it("runtime start refuses a user's command member saved earlier (when the node was sandboxed); no agent runs", async () => {
    const created = await as<{ id: string; version: number }>(alice, "POST", "/api/teams", {
      name: "later",
      spec: { spec_version: 1, members: [member("lead", "leader", { provider: "scripted" })] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // As saved while `main` had a sandbox: written directly, the API refuses it now.
    const team = h.hub.services.teams.repo.get(created.body.id)!;
    const spec = structuredClone(team.spec);
    spec.members[0]!.agent = {
      ...spec.members[0]!.agent,
      provider: undefined,
      command: process.execPath,
      args: [SCRIPTED_AGENT],
    };
    expect(h.hub.services.teams.repo.updateTeam(team.id, team.version, team.name, spec, Date.now())).toBe(
      "ok",
    );

    const start = await as(alice, "POST", `/api/teams/${created.body.id}/runtime/start`);
    expectCommandRefused(start);
    expect(start.body.error).toContain('member "lead" on node "main"');
    const rt = await as<{ status: string; members: { status: string }[] }>(
      alice,
      "GET",
      `/api/teams/${created.body.id}/runtime`,
    );
    expect(rt.body.status).toBe("stopped");
    expect(rt.body.members.map((m) => m.status)).toEqual(["not_started"]);
  });
});

describe('with isolation "auto"', () => {
  it("a user's own command is allowed exactly when the node runs agents in bubblewrap", async () => {
    const dir = tempDir("agenthub-cmd-auto-");
    const autoSafe = join(dir.path, "safe");
    mkdirSync(join(autoSafe, "app"), { recursive: true });
    const auto = await startHubWithRoot({ safe_paths: [autoSafe], agents: { isolation: "auto" } });
    try {
      const bob = await addUser(auto, auto.rootToken, "bob");
      // Where bubblewrap works (CI installs it) the sandbox is in force; elsewhere auto means none.
      const { isolation } = await auto.hub.nodes.client("main").info();
      const r = await api<{ id: string } & ErrorBody>(auto.url, "POST", "/api/agents", {
        token: bob,
        body: {
          name: "own",
          command: process.execPath,
          args: [SCRIPTED_AGENT],
          workdir: join(autoSafe, "app"),
        },
      });
      if (isolation === "bwrap") expect(r.status, JSON.stringify(r.body)).toBe(201);
      else expectCommandRefused(r);
    } finally {
      await auto.close();
      dir.cleanup();
    }
  });
});
