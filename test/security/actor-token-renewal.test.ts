import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/hub-harness.js";
import {
  getRun,
  ProcessSet,
  type RuntimeView,
  startTeamCluster,
  waitRunEnd,
  worktreeAgent,
} from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt } from "../node/helpers/build-once.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";

// A member agent outlives its actor token without a restart: the hub renews the token before 2/3 of its
// lifetime, its node rewrites the agent's token file, and the actor CLI reads the file at each call.

/** Tokens live 4 s, with no clock skew tolerated; the member calls the actor CLI after 6 s. */
const TTL_SECONDS = 4;
const LATE_CALL = "sleep 6000\nrun: agenthub actor team-members";

/** A JWT's claims (the test reads what the node wrote; nothing is verified here). */
function claims(token: string): { iat: number; exp: number; actor_id: string } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

function expectRenewedFile(dataDir: string, agentId: string, startedAtSec: number): void {
  const dir = join(dataDir, "actor-credentials", agentId);
  const file = join(dir, "token");
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const c = claims(readFileSync(file, "utf8"));
  // Minted well after the agent started: a renewal, not the start token.
  expect(c.iat).toBeGreaterThan(startedAtSec + 1);
  expect(c.exp - c.iat).toBe(TTL_SECONDS);
}

beforeAll(ensureBuilt, 120_000);

describe("actor token renewal", () => {
  let t: TeamHub | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // mtls: the agent's per-actor client certificate is a file renewed with the token.
  it.each(["tls", "mtls"] as const)(
    "%s: a member on main calls the actor CLI after its first token expired, and its step stays clean",
    async (mode) => {
      t = await openTeamHub({
        internal_grpc: {
          security: { mode },
          auth: { token_ttl_seconds: TTL_SECONDS, clock_skew_seconds: 0 },
        },
      });
      const teamId = await t.createTeam({
        leader_member_id: "lead",
        members: [t.member("lead", "leader"), t.member("impl", "worker")],
        steps: [{ step_key: "late", member_id: "impl", prompt: LATE_CALL }],
      });
      const startedAt = Math.floor(Date.now() / 1000);
      await t.startRuntime(teamId);
      const run = await t.newRun(teamId);
      const done = await t.waitRun(run.id, "completed", "failed");
      const step = t.step(done, "late");
      expect(step.status).toBe("completed");
      // The CLI's answer (the team's members) reached the reply; nothing was refused.
      expect(step.output).toContain("lead");
      expect(step.output).not.toContain("invalid token");
      expect(step.warnings).toEqual([]);
      expect(step.outcome).toBe("clean");
      expect(t.h.logs()).not.toContain("actor token expired");
      const agentId = await t.agentOf(teamId, "impl");
      expectRenewedFile(join(t.h.home, "node-main"), agentId, startedAt);
      if (mode === "mtls") {
        const cert = join(t.h.home, "node-main", "actor-credentials", agentId, "client.crt");
        expect(statSync(cert).mtimeMs).toBeGreaterThan(startedAt * 1000 + 1000);
      }
    },
  );
});

describe("actor token renewal on a remote node", () => {
  const procs = new ProcessSet();
  let dir: ReturnType<typeof tempDir> | undefined;
  afterEach(async () => {
    const exits = await procs.stopAll();
    dir?.cleanup();
    expect(exits.every((e) => e.code === 0)).toBe(true);
  });

  it("renews over NodeService: the node rewrites the token file its sandboxed agent reads", async () => {
    dir = tempDir("agenthub-renew-");
    const c = await startTeamCluster(dir.path, ["node-01"], procs, {
      AGENTHUB_INTERNAL_GRPC_AUTH_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
      AGENTHUB_INTERNAL_GRPC_AUTH_CLOCK_SKEW_SECONDS: "0",
    });
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        { member_id: "lead", role: "leader", agent: { ...worktreeAgent("node-01", c.repo) } },
        { member_id: "impl", role: "worker", agent: worktreeAgent("node-01", c.repo) },
      ],
      steps: [{ step_key: "late", member_id: "impl", prompt: LATE_CALL }],
    };
    const team = await api<{ id: string }>(c.hub.url, "POST", "/api/teams", {
      token: c.token,
      body: { name: "renew", spec },
    });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    const startedAt = Math.floor(Date.now() / 1000);
    const started = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${team.body.id}/runtime/start`, {
      token: c.token,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const r = await api<{ id: string }>(c.hub.url, "POST", `/api/teams/${team.body.id}/runs`, {
      token: c.token,
      body: { input: {} },
    });
    const done = await waitRunEnd(c, r.body.id);
    const step = done.steps.find((s) => s.step_key === "late")!;
    expect(step.status, JSON.stringify(step)).toBe("completed");
    expect(step.output).toContain("lead");
    expect(step.output).not.toContain("invalid token");
    const view = (await getRun(c, r.body.id)) as unknown as {
      outcome: string;
      steps: { warnings: unknown[] }[];
    };
    expect(view.outcome).toBe("clean");
    expect(view.steps[0]!.warnings).toEqual([]);
    const impl = started.body.members.find((m) => m.member_id === "impl")!;
    const nodeData = join(String(c.nodes["node-01"]!.env.AGENTHUB_HOME), "node-data");
    expectRenewedFile(nodeData, impl.agent_id!, startedAt);
  });
});
