import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { SCRIPTED_AGENT } from "../node/helpers/build-once.js";
import { alive, LIVE_STATES, openTeamHub, type RuntimeView, type TeamHub } from "./helpers.js";

/** Team members' agents: their session settings from the spec, and a start that checks each is live. */

let t: TeamHub;

beforeEach(async () => {
  // The codex preset played by the scripted agent: its mode and credential hint stay the preset's.
  t = await openTeamHub({
    agents: { providers: { codex: { command: process.execPath, args: [SCRIPTED_AGENT] } } },
  });
});
afterEach(async () => {
  await t.close();
});

function spec(worker: Record<string, unknown>) {
  return {
    leader_member_id: "lead",
    members: [t.member("lead", "leader"), t.member("w1", "worker", worker)],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps: [{ step_key: "work", member_id: "w1", prompt: "session-state" }],
  };
}

/** Starts the runtime expecting a refusal; checks nothing is left live or running, returns the error. */
async function refusedStart(teamId: string) {
  const r = await t.call<{ details: Record<string, unknown> }>("POST", `/api/teams/${teamId}/runtime/start`);
  const rt = await t.runtime(teamId);
  expect(rt.status).toBe("stopped");
  for (const m of rt.members) {
    if (!m.agent_id) continue;
    for (const pid of await t.pids(m.agent_id))
      expect(alive(pid), `${m.member_id}'s process ${pid}`).toBe(false);
  }
  await waitUntil("no live member agent", async () => {
    const now: RuntimeView = await t.runtime(teamId);
    return now.members.every((m) => !LIVE_STATES.has(m.status));
  });
  return r;
}

describe("team members' agents", () => {
  it("a member's mode, model and config options from the spec reach its agent, and a step sees them", async () => {
    const teamId = await t.createTeam(
      spec({
        provider: "codex",
        env: {
          SCRIPTED_MODES: "agent,read-only",
          SCRIPTED_MODELS: "mini,max",
          SCRIPTED_CONFIG_OPTIONS: "effort:low,high",
        },
        model: "max",
        config_options: { effort: "high" },
      }),
    );
    await t.startRuntime(teamId);
    const agentId = await t.agentOf(teamId, "w1");
    const agent = await t.call<{ session: { modes: { current: string }; models: { current: string } } }>(
      "GET",
      `/api/agents/${agentId}`,
    );
    // The codex preset's own mode (read-only: it asks before acting) with the member's model.
    expect([agent.body.session.modes.current, agent.body.session.models.current]).toEqual([
      "read-only",
      "max",
    ]);
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(JSON.parse(t.step(done, "work").output ?? "{}")).toMatchObject({
      mode: "read-only",
      model: "max",
      config: { effort: "high" },
    });
  });

  it("a member whose agent dies right after it started fails the start, named, with nothing left running", async () => {
    const teamId = await t.createTeam(
      spec({ env: { SCRIPTED_EXIT_AFTER_SESSION_MS: "100", SCRIPTED_EXIT_CODE: "7" } }),
    );
    const r = await refusedStart(teamId);
    expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([502, "AGENT_EXITED"]);
    expect(r.body.error).toMatch(
      /^team runtime could not start: member "w1" on node "main": its agent ended right after it started: /,
    );
    expect(r.body.error).toContain("SCRIPTED_EXIT_AFTER_SESSION_MS");
    expect(r.body.details).toMatchObject({ member_id: "w1", node_id: "main" });
  });

  it("a member's mode its agent does not offer fails the start with the offered ones", async () => {
    const teamId = await t.createTeam(spec({ env: { SCRIPTED_MODES: "ask,code" }, mode: "architect" }));
    const r = await refusedStart(teamId);
    expect([r.status, r.body.code]).toEqual([422, "AGENT_CONFIG_INVALID"]);
    expect(r.body.error).toBe(
      'team runtime could not start: member "w1" on node "main": agent "scripted" does not offer mode "architect"; offered: ask, code',
    );
  });

  it("a member whose agent needs credentials fails the start AGENT_AUTH_REQUIRED, naming what to set", async () => {
    const teamId = await t.createTeam(
      spec({ provider: "codex", env: { SCRIPTED_MODES: "read-only", SCRIPTED_REQUIRE_AUTH: "session" } }),
    );
    const r = await refusedStart(teamId);
    expect([r.status, r.body.code]).toEqual([424, "AGENT_AUTH_REQUIRED"]);
    expect(r.body.error).toContain(
      'member "w1" on node "main": agent "codex" needs credentials: set OPENAI_API_KEY',
    );
  });

  it("a member whose agent asks for credentials at its first turn fails the step AGENT_AUTH_REQUIRED", async () => {
    const teamId = await t.createTeam(
      spec({ provider: "codex", env: { SCRIPTED_MODES: "read-only", SCRIPTED_REQUIRE_AUTH: "prompt" } }),
    );
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);
    const failed = await t.waitRun(run.id, "failed");
    expect(t.step(failed, "work").error?.code).toBe("AGENT_AUTH_REQUIRED");
    expect(t.step(failed, "work").error?.message).toContain(
      'agent "codex" needs credentials: set OPENAI_API_KEY',
    );
  });
});
