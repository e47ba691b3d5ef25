import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type HubProc, hubEnv, joinRoot, startHubProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { type AgentEvent, alive, type RunView } from "./helpers.js";

const hubs: HubProc[] = [];
let work: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.proc.kill("SIGKILL");
  work?.cleanup();
  work = undefined;
});

describe("a member's session across a hub crash (kill -9)", () => {
  it("the restarted hub restores the member's ACP session with session/load, and a new run finds it remembering", async () => {
    work = tempDir("agenthub-kill-");
    const safe = join(work.path, "safe");
    mkdirSync(join(safe, "lead"), { recursive: true });
    const env = hubEnv(join(work.path, "home"), [safe]);
    mkdirSync(env.HOME!, { recursive: true });
    const first = await startHubProc(env);
    hubs.push(first);
    const token = await joinRoot(first);
    const call = <T>(h: HubProc, method: string, path: string, body?: unknown) =>
      api<T>(h.url, method, path, { token, body });
    const member = {
      member_id: "lead",
      role: "leader",
      agent: {
        provider: "scripted",
        worktree_mode: "use_existing",
        workdir: join(safe, "lead"),
        env: { SCRIPTED_LOAD_SESSION: "1" },
      },
    };
    const spec = (prompt: string) => ({
      spec_version: 1,
      leader_member_id: "lead",
      members: [member],
      steps: [{ step_key: "s", member_id: "lead", prompt }],
    });
    const team = (
      await call<{ id: string; version: number }>(first, "POST", "/api/teams", {
        name: "t",
        spec: spec("remember: the deploy window is Tuesday"),
      })
    ).body;
    const rt = await call<{ members: { agent_id: string }[] }>(
      first,
      "POST",
      `/api/teams/${team.id}/runtime/start`,
    );
    expect(rt.status, JSON.stringify(rt.body)).toBe(200);
    const agentId = rt.body.members[0]!.agent_id;
    const events = async (h: HubProc) =>
      (await call<{ events: AgentEvent[] }>(h, "GET", `/api/agents/${agentId}/events?limit=1000`)).body
        .events;
    const finished = (h: HubProc, runId: string) =>
      waitUntil(`run ${runId} completed`, async () => {
        const r = (await call<RunView>(h, "GET", `/api/runs/${runId}`)).body;
        if (r.status === "failed" || r.status === "canceled") throw new Error(JSON.stringify(r));
        return r.status === "completed" && r;
      });

    const run1 = (await call<{ id: string }>(first, "POST", `/api/teams/${team.id}/runs`, {})).body;
    expect((await finished(first, run1.id)).steps[0]!.output).toBe(
      "remembered: the deploy window is Tuesday",
    );
    const before = await events(first);
    const sessionId = before.find((e) => e.kind === "session_started")!.data.session_id as string;
    const pids = before.flatMap((e) =>
      e.kind === "status" && typeof e.data.pid === "number" ? [e.data.pid] : [],
    );

    // The hub dies without a chance to stop anything.
    first.proc.child.kill("SIGKILL");
    expect(await first.proc.exit).toBeNull();
    const second = await startHubProc(env);
    hubs.push(second);
    // Its agent went with it (it lost its ACP connection); the new hub starts the member again and
    // asks the agent to load the session the previous process had.
    await waitUntil("the old agent process gone", async () => pids.every((p) => !alive(p)));
    const restored = await waitUntil("the member's session restored", async () =>
      (await events(second)).find((e) => e.kind === "session_started" && e.data.resumed_from === sessionId),
    );
    expect(restored.data).toEqual({
      session_id: sessionId,
      resumed_from: sessionId,
      loaded: true,
      context_lost: null,
    });

    const current = await call<{ version: number }>(second, "GET", `/api/teams/${team.id}`);
    const put = await call(second, "PUT", `/api/teams/${team.id}`, {
      expected_version: current.body.version,
      spec: spec("recall"),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const run2 = (await call<{ id: string }>(second, "POST", `/api/teams/${team.id}/runs`, {})).body;
    expect((await finished(second, run2.id)).steps[0]!.output).toBe(
      "I remember: the deploy window is Tuesday",
    );
    // One agent, one session across both hub processes.
    const agent = await call<{ status: string }>(second, "GET", `/api/agents/${agentId}`);
    expect(agent.status).toBe(200);
    expect((await call(second, "POST", `/api/teams/${team.id}/runtime/stop`)).status).toBe(200);
  });
});
