import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentNodesRepo } from "../../src/store/agent-nodes-repo.js";
import { addUser, api } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";

/**
 * GET /api/attention: what waits for the caller — permission reviews routed to humans, steps waiting
 * for input, runs failed in the last day, offline nodes — as JSON and as an SSE stream of whole lists.
 */

interface Item {
  kind: string;
  [k: string]: unknown;
}
interface AttentionList {
  items: Item[];
  count: number;
}

let env: TeamHub;
beforeEach(async () => {
  env = await openTeamHub();
});
afterEach(() => env.close());

const attention = (token: string) => api<AttentionList>(env.url, "GET", "/api/attention", { token });

async function teamAsking(route: "to_human" | "to_leader"): Promise<string> {
  return env.createTeam({
    leader_member_id: "lead",
    members: [env.member("lead", "leader")],
    steps: [{ step_key: "ask", member_id: "lead", prompt: "ask-permission write f.txt: hello\nreply: done" }],
    permissions: { route },
  });
}

describe("GET /api/attention", () => {
  it("lists a review routed to humans with its tool call and options, for the team's owner only, until it is answered", async () => {
    const other = await addUser(env.h, env.rootToken, "alice");
    const team = await teamAsking("to_human");
    await env.startRuntime(team);
    const run = await env.newRun(team);
    const listed = await waitUntil("the review in the list", async () => {
      const r = await attention(env.rootToken);
      return r.body.items.find((i) => i.kind === "permission");
    });
    expect(listed).toMatchObject({
      kind: "permission",
      run_id: run.id,
      team_id: team,
      team_name: "team1",
      step_key: "ask",
      requester_member_id: "lead",
      tool_call: { title: "Write f.txt", kind: "edit" },
      options: [
        { option_id: "allow_once", kind: "allow_once" },
        { option_id: "reject_once", kind: "reject_once" },
      ],
    });
    expect((await attention(env.rootToken)).body.count).toBe(1);
    // Another user's list does not show it.
    expect((await attention(other)).body).toEqual({ items: [], count: 0 });

    const answered = await api(
      env.url,
      "POST",
      `/api/runs/${run.id}/permission-reviews/${listed.id}/respond`,
      {
        token: env.rootToken,
        body: { option_id: "allow_once" },
      },
    );
    expect(answered.status).toBe(200);
    await env.waitRun(run.id, "completed");
    expect((await attention(env.rootToken)).body).toEqual({ items: [], count: 0 });
  });

  it("leaves out reviews routed to a member (the leader answers those)", async () => {
    const team = await env.createTeam({
      leader_member_id: "lead",
      members: [env.member("lead", "leader"), env.member("w", "worker")],
      steps: [{ step_key: "ask", member_id: "w", prompt: "ask-permission write f.txt: hello\nreply: done" }],
      permissions: { route: "to_leader" },
    });
    await env.startRuntime(team);
    const run = await env.newRun(team);
    await env.waitStep(run.id, "ask", "awaiting_review");
    expect((await attention(env.rootToken)).body.items.filter((i) => i.kind === "permission")).toEqual([]);
  });

  it("streams the whole list as SSE: the current one first, a new one when it changes", async () => {
    const team = await teamAsking("to_human");
    await env.startRuntime(team);
    const stream = await openSse(`${env.url}/api/attention`, { authorization: `Bearer ${env.rootToken}` });
    try {
      const first = await stream.next(() => true);
      expect(first.event).toBe("attention");
      expect(first.data).toEqual({ items: [], count: 0 });
      const run = await env.newRun(team);
      const asked = await stream.next((e) => (e.data as unknown as AttentionList).count === 1);
      const review = (asked.data as unknown as AttentionList).items[0]!;
      expect(review).toMatchObject({ kind: "permission", run_id: run.id });
      await api(env.url, "POST", `/api/runs/${run.id}/permission-reviews/${review.id}/respond`, {
        token: env.rootToken,
        body: { option_id: "reject_once" },
      });
      const cleared = await stream.next(
        (e) =>
          e !== asked && (e.data as unknown as AttentionList).count === 0 && stream.events.indexOf(e) > 0,
      );
      expect(cleared.data).toEqual({ items: [], count: 0 });
      // Each frame is a change: no two frames in a row are the same list.
      const bodies = stream.events.map((e) => JSON.stringify(e.data));
      expect(bodies.every((b, i) => i === 0 || b !== bodies[i - 1])).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it("lists steps waiting for input and runs failed in the last day, and drops a failure older than that", async () => {
    const team = await env.createTeam({
      leader_member_id: "lead",
      members: [env.member("lead", "leader")],
      // Only the step that waits: a crashing sibling would fail the run (and drop the item) at a time of its own.
      steps: [{ step_key: "wait", member_id: "lead", prompt: "sleep 30000" }],
      permissions: { route: "to_human" },
    });
    await env.startRuntime(team);
    const run = await env.newRun(team);
    await env.waitStep(run.id, "wait", "working");
    const paused = await api(env.url, "POST", `/api/runs/${run.id}/steps/wait/input_required`, {
      token: env.rootToken,
      body: { reason: "which branch?" },
    });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    const input = await waitUntil("the step in the list", async () =>
      (await attention(env.rootToken)).body.items.find((i) => i.kind === "input_required"),
    );
    expect(input).toMatchObject({ run_id: run.id, team_id: team, step_key: "wait", member_id: "lead" });

    await api(env.url, "POST", `/api/runs/${run.id}/cancel`, { token: env.rootToken });
    const crashTeam = await env.createTeam({
      leader_member_id: "lead",
      members: [env.member("lead", "leader")],
      steps: [{ step_key: "crash", member_id: "lead", prompt: "exit 3 boom" }],
      permissions: { route: "to_human" },
    });
    await env.startRuntime(crashTeam);
    const failing = await env.newRun(crashTeam);
    await env.waitRun(failing.id, "failed");
    const failed = await waitUntil("the failed run in the list", async () =>
      (await attention(env.rootToken)).body.items.find((i) => i.kind === "run_failed"),
    );
    expect(failed).toMatchObject({ run_id: failing.id, team_id: crashTeam, error: { code: "AGENT_EXITED" } });
    expect((await attention(env.rootToken)).body.items.some((i) => i.kind === "input_required")).toBe(false);

    env.h.clock.advance(25 * 3_600_000);
    // A day later (sessions last 12 hours: sign in again, and let the harness use the new token).
    const login = await api<{ token: string }>(env.url, "POST", "/api/login", {
      body: { username: "root", password: env.h.rootPassword },
    });
    env.h.rootToken = login.body.token;
    env.rootToken = login.body.token;
    expect((await attention(env.rootToken)).body.items.some((i) => i.kind === "run_failed")).toBe(false);
  });

  it("lists offline nodes: root every one, a user those their teams use", async () => {
    const alice = await addUser(env.h, env.rootToken, "alice");
    const now = env.h.clock.now();
    const nodes = new AgentNodesRepo(env.h.hub.database);
    for (const id of ["far", "used"]) {
      nodes.insert({
        id,
        name: id,
        grpc_target: "127.0.0.1:9",
        tls_server_name: null,
        default_worktree_root: null,
        status: "offline",
        last_probe_at: now,
        last_ok_at: null,
        probe_latency_ms: null,
        last_error: "connection refused",
        event_cursor: 0,
        created_at: now,
        updated_at: now,
      });
    }
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [{ member_id: "lead", role: "leader", agent: { provider: "scripted", node_id: "used" } }],
      permissions: { route: "to_human" },
    };
    const created = await api(env.url, "POST", "/api/teams", {
      token: alice,
      body: { name: "alices", spec },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const offline = (list: AttentionList) =>
      list.items.filter((i) => i.kind === "node_offline").map((i) => i.node_id);
    expect(offline((await attention(env.rootToken)).body)).toEqual(["far", "used"]);
    expect(offline((await attention(alice)).body)).toEqual(["used"]);
    expect((await attention(alice)).body.items[0]).toMatchObject({
      kind: "node_offline",
      name: "used",
      last_error: "connection refused",
      last_ok_at: null,
    });
  });

  it("refuses a filter it does not take, and a caller without a token", async () => {
    const r = await api(env.url, "GET", "/api/attention?team_id=x", { token: env.rootToken });
    expect([r.status, r.body.code]).toEqual([400, "BAD_REQUEST"]);
    const anon = await api(env.url, "GET", "/api/attention");
    expect([anon.status, anon.body.code]).toEqual([401, "MISSING_TOKEN"]);
  });
});
