import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/wait-until.js";
import { alive, LIVE_STATES, openTeamHub, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

describe("editing a started team's spec", () => {
  it("stops removed members and starts added ones, and runs use the new members", async () => {
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("old", "worker")],
    });
    await t.startRuntime(teamId);
    const oldAgent = await t.agentOf(teamId, "old");
    const leadAgent = await t.agentOf(teamId, "lead");
    const [oldPid] = await t.pids(oldAgent);
    const [leadPid] = await t.pids(leadAgent);
    expect(alive(oldPid!)).toBe(true);

    const team = (await t.call<{ version: number }>("GET", `/api/teams/${teamId}`)).body;
    const put = await t.call("PUT", `/api/teams/${teamId}`, {
      expected_version: team.version,
      spec: {
        spec_version: 1,
        leader_member_id: "lead",
        members: [t.member("lead", "leader"), t.member("new", "worker")],
        steps: [{ step_key: "hello", member_id: "new", prompt: "reply: from the new member" }],
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const rt = await waitUntil("the runtime reconciled", async () => {
      const r = await t.runtime(teamId);
      const added = r.members.find((m) => m.member_id === "new");
      return r.members.length === 2 && added && LIVE_STATES.has(added.status) ? r : undefined;
    });
    expect(rt.members.map((m) => m.member_id).sort()).toEqual(["lead", "new"]);
    // The removed member's agent is stopped and forgotten; the unchanged leader kept its process.
    await waitUntil("the removed member's process gone", async () => !alive(oldPid!));
    expect((await t.call("GET", `/api/agents/${oldAgent}`)).status).toBe(404);
    expect(await t.agentOf(teamId, "lead")).toBe(leadAgent);
    expect(alive(leadPid!)).toBe(true);

    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(t.step(done, "hello").output).toBe("from the new member");
  });
});
