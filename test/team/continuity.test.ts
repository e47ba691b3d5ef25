import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { api, type Harness, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { type AgentEvent, alive, openTeamHub, type RunEvent, type RunView, type TeamHub } from "./helpers.js";

let t: TeamHub | undefined;
let hub: Harness | undefined;
let work: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await t?.close();
  await hub?.close();
  work?.cleanup();
  t = undefined;
  hub = undefined;
  work = undefined;
});

const sessionStarts = (events: AgentEvent[]) => events.filter((e) => e.kind === "session_started");

describe("a member's session across its agent's restarts", () => {
  it("a crashed member's agent restored with session/load remembers the run's earlier turns", async () => {
    t = await openTeamHub();
    const team = t;
    const teamId = await team.createTeam({
      leader_member_id: "lead",
      members: [team.member("lead", "leader", { env: { SCRIPTED_LOAD_SESSION: "1" } })],
      steps: [{ step_key: "learn", member_id: "lead", prompt: "remember: the code word is heron" }],
    });
    await team.startRuntime(teamId);
    const first = await team.newRun(teamId);
    expect(team.step(await team.waitRun(first.id, "completed"), "learn").output).toBe(
      "remembered: the code word is heron",
    );
    const lead = await team.agentOf(teamId, "lead");
    const [start] = sessionStarts(await team.agentEvents(lead));
    const sessionId = start!.data.session_id as string;
    expect(start!.data).toMatchObject({ resumed_from: null, loaded: false });

    // The agent process dies between runs (a crash): the next dispatch starts it again.
    const pid = await team.firstPid(lead);
    process.kill(-pid, "SIGKILL");
    await waitUntil("the agent recorded as failed", async () => {
      const a = await team.call<{ status: string }>("GET", `/api/agents/${lead}`);
      return a.body.status === "failed";
    });
    const spec = await team.call<{ version: number; spec: Record<string, unknown> }>(
      "GET",
      `/api/teams/${teamId}`,
    );
    const steps = [{ step_key: "ask", member_id: "lead", prompt: "recall" }];
    const put = await team.call("PUT", `/api/teams/${teamId}`, {
      expected_version: spec.body.version,
      spec: { ...spec.body.spec, steps },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const second = await team.newRun(teamId);
    const done = await team.waitRun(second.id, "completed");
    expect(team.step(done, "ask").output).toBe("I remember: the code word is heron");
    // The new process restored the same session, and the run says so.
    const starts = sessionStarts(await team.agentEvents(lead));
    expect(starts.map((e) => e.data)).toEqual([
      start!.data,
      { session_id: sessionId, resumed_from: sessionId, loaded: true, context_lost: null },
    ]);
    const shown = await team.call<{ session_id: string | null }>("GET", `/api/agents/${lead}`);
    expect(shown.body.session_id).toBe(sessionId);
    const loaded = await team.waitRunEvent(second.id, (e) => e.kind === "agent.session_loaded");
    expect(loaded.data).toMatchObject({ member_id: "lead", agent_id: lead, session_id: sessionId });
  });

  it("after a hub restart, a member whose agent cannot load sessions starts afresh: agent and run events say the context was lost", async () => {
    work = tempDir("agenthub-continuity-");
    const safe = join(work.path, "safe");
    mkdirSync(join(safe, "lead"), { recursive: true });
    const started = await startHubWithRoot({ safe_paths: [safe] });
    hub = started;
    const token = started.rootToken;
    const call = <T>(h: Harness, method: string, path: string, body?: unknown) =>
      api<T>(h.url, method, path, { token, body });
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          agent: { provider: "scripted", worktree_mode: "use_existing", workdir: join(safe, "lead") },
        },
      ],
      steps: [
        { step_key: "slow", member_id: "lead", prompt: "reply: started\nsleep 60000\nreply: finished" },
      ],
    };
    const team = (await call<{ id: string }>(hub, "POST", "/api/teams", { name: "t", spec })).body;
    const rt = await call<{ members: { agent_id: string }[] }>(
      hub,
      "POST",
      `/api/teams/${team.id}/runtime/start`,
    );
    expect(rt.status).toBe(200);
    const agentId = rt.body.members[0]!.agent_id;
    const events = async (h: Harness) =>
      (await call<{ events: AgentEvent[] }>(h, "GET", `/api/agents/${agentId}/events?limit=1000`)).body
        .events;
    const run = (await call<{ id: string }>(hub, "POST", `/api/teams/${team.id}/runs`, {})).body;
    await waitUntil("the step's turn started", async () =>
      (await events(hub!)).some((e) => e.kind === "turn_started"),
    );
    const firstSession = sessionStarts(await events(hub))[0]!.data.session_id as string;
    const oldPids = (await events(hub)).flatMap((e) =>
      e.kind === "status" && typeof e.data.pid === "number" ? [e.data.pid] : [],
    );

    const second = await hub.restart();
    hub = second;
    expect(oldPids.filter(alive)).toEqual([]);
    // The new hub starts the member again (its team's runtime is started): a new session, context lost.
    const lost = await waitUntil("a new session after the restart", async () =>
      sessionStarts(await events(second)).find((e) => e.data.resumed_from === firstSession),
    );
    expect(lost.data).toMatchObject({
      loaded: false,
      context_lost: "the agent cannot load sessions (it does not advertise loadSession)",
    });
    expect(lost.data.session_id).not.toBe(firstSession);
    // The run (its step cut short by the restart) says so too.
    const runEvents = async () =>
      (await call<{ events: RunEvent[] }>(second, "GET", `/api/runs/${run.id}/events?limit=500`)).body.events;
    const said = await waitUntil("the run told the context was lost", async () =>
      (await runEvents()).find((e) => e.kind === "agent.context_lost"),
    );
    expect(said.data).toMatchObject({
      member_id: "lead",
      agent_id: agentId,
      session_id: lost.data.session_id,
      previous_session_id: firstSession,
      message: expect.stringMatching(/^member "lead" restarted without its previous conversation: /),
    });
    const failed = await waitUntil("the cut step failed", async () => {
      const r = (await call<RunView>(second, "GET", `/api/runs/${run.id}`)).body;
      return r.status === "failed" && r;
    });
    expect(failed.steps[0]!.status).toBe("failed");
    const stopped = await call(second, "POST", `/api/teams/${team.id}/runtime/stop`);
    expect(stopped.status).toBe(200);
  });
});
