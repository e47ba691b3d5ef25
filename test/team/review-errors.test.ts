import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser, api } from "../helpers/hub-harness.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type ReviewView, type RunView, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

type Err = { error: string; code: string };

describe("bad answers to permission reviews get a clear error and change nothing", () => {
  it("unknown review, a non-root owner answering the leader's review, the per-agent route", async () => {
    const alice = await addUser(t.h, t.rootToken, "alice");
    const as = <T>(token: string, method: string, path: string, body?: unknown) =>
      api<T & Err>(t.url, method, path, { token, body });
    const team = await as<{ id: string }>(alice, "POST", "/api/teams", {
      name: "alices",
      spec: {
        spec_version: 1,
        leader_member_id: "lead",
        members: [t.member("lead", "leader"), t.member("w1", "worker")],
        steps: [
          { step_key: "build", member_id: "w1", prompt: "ask-permission write f.txt: x\nreply: built" },
        ],
      },
    });
    expect(team.status).toBe(201);
    try {
      expect((await as(alice, "POST", `/api/teams/${team.body.id}/runtime/start`)).status).toBe(200);
      const run = (await as<RunView>(alice, "POST", `/api/teams/${team.body.id}/runs`, { input: null })).body;
      const pending = `/api/runs/${run.id}/permission-reviews?status=pending`;
      const review = await waitUntil("the worker's review pending", async () => {
        const r = await as<{ reviews: ReviewView[] }>(alice, "GET", pending);
        return r.body.reviews[0];
      });
      expect(review.reviewer).toBe("lead");

      const unknown = await as(alice, "POST", `/api/runs/${run.id}/permission-reviews/perm_nope/respond`, {
        option_id: "allow_once",
      });
      expect([unknown.status, unknown.body.error]).toEqual([404, "permission review not found"]);

      // The team's owner is a human, but this review is routed to the leader: only it or root may answer.
      const owner = await as(
        alice,
        "POST",
        `/api/runs/${run.id}/permission-reviews/${review.review_id}/respond`,
        {
          option_id: "allow_once",
        },
      );
      expect([owner.status, owner.body.code]).toEqual([403, "FORBIDDEN"]);
      expect(owner.body.error).toContain('routed to member "lead"');

      // The per-agent permission route would skip the routing rules: it points at the review route.
      const direct = await as(
        alice,
        "POST",
        `/api/agents/${review.agent_id}/permissions/${review.review_id}/respond`,
        { option_id: "allow_once" },
      );
      expect([direct.status, direct.body.code]).toEqual([409, "CONFLICT"]);
      expect(direct.body.error).toContain(
        `/api/runs/${run.id}/permission-reviews/${review.review_id}/respond`,
      );

      // Nothing was decided by any of that; root still can.
      expect((await as<{ reviews: ReviewView[] }>(alice, "GET", pending)).body.reviews).toHaveLength(1);
      const root = await as<ReviewView & { already_resolved: boolean }>(
        t.rootToken,
        "POST",
        `/api/runs/${run.id}/permission-reviews/${review.review_id}/respond`,
        { option_id: "reject_once" },
      );
      expect([root.status, root.body.decided_by, root.body.already_resolved]).toEqual([
        200,
        "human:root",
        false,
      ]);
      await t.waitRun(run.id, "completed");
    } finally {
      await as(t.rootToken, "POST", `/api/teams/${team.body.id}/runtime/stop`);
    }
  });

  it("a runtime start with a member that has no agent names it and starts nothing", async () => {
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), { member_id: "bare", role: "worker" }],
    });
    const r = await t.call("POST", `/api/teams/${teamId}/runtime/start`);
    expect([r.status, r.body.code]).toEqual([400, "BAD_REQUEST"]);
    expect(r.body.error).toContain('member "bare" has no agent');
    const rt = await t.runtime(teamId);
    expect(rt.status).toBe("stopped");
    expect(rt.members.every((m) => m.agent_id === null)).toBe(true);
  });
});
