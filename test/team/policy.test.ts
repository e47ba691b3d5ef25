import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/config-schema.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type ReviewView, type RunEvent, type TeamHub } from "./helpers.js";

// A team's permission policy (spec.permissions) and the agenthub MCP server members get, with the
// scripted agent as leader and worker.

let t: TeamHub | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function open(overrides: ConfigInput = {}): Promise<TeamHub> {
  t = await openTeamHub(overrides);
  return t;
}

/** lead plans; w1 runs `build`. Returns the run. */
async function policyRun(
  hub: TeamHub,
  build: string,
  opts: { permissions?: Record<string, unknown>; leadEnv?: Record<string, string> } = {},
) {
  const teamId = await hub.createTeam({
    leader_member_id: "lead",
    members: [
      hub.member("lead", "leader", opts.leadEnv ? { env: opts.leadEnv } : {}),
      hub.member("w1", "worker"),
    ],
    steps: [
      { step_key: "plan", member_id: "lead", prompt: "reply: plan" },
      { step_key: "build", member_id: "w1", prompt: build, depends_on: ["plan"] },
    ],
    permissions: { route: "to_leader", ...opts.permissions },
  });
  await hub.startRuntime(teamId);
  const run = await hub.newRun(teamId);
  return { teamId, runId: run.id };
}

const reviews = async (hub: TeamHub, runId: string, status?: string) =>
  (
    await hub.call<{ reviews: ReviewView[] }>(
      "GET",
      `/api/runs/${runId}/permission-reviews${status ? `?status=${status}` : ""}`,
    )
  ).body.reviews;

const ofKind = (events: RunEvent[], kind: string) => events.filter((e) => e.kind === kind);

describe("the agenthub MCP server (actor_mcp)", () => {
  it("a leader answers a review through its tool, shown a capped summary of the written file", async () => {
    const hub = await open({ agents: { providers: { scripted: { actor_mcp: true } } } });
    const content = "x".repeat(3000);
    const { teamId, runId } = await policyRun(hub, `ask-permission write big.txt: ${content}\nreply: built`, {
      leadEnv: { SCRIPTED_REVIEW_DECISION: "allow" },
    });
    const done = await hub.waitRun(runId, "completed");
    expect(readFileSync(join(hub.safe, "w1", "big.txt"), "utf8")).toBe(content);
    const [r] = await reviews(hub, runId, "resolved");
    expect(r).toMatchObject({ decided_by: "lead", outcome: { option_id: "allow_once" } });
    expect(hub.step(done, "build").outcome).toBe("clean");

    // Each member's session got the server; GET /api/agents/:id names it.
    const leadAgent = await hub.agentOf(teamId, "lead");
    const agent = await hub.call<{ session: { mcp_servers?: string[] } }>("GET", `/api/agents/${leadAgent}`);
    expect(agent.body.session.mcp_servers).toEqual(["agenthub"]);

    // The review reached the leader telling it to use the tool, with the file once, capped.
    const mail = (await hub.turns(leadAgent)).filter((x) => x.turn_id.startsWith(`mail|${runId}|`));
    expect(mail).toHaveLength(1);
    const text = mail[0]!.text;
    expect(text).toContain("the `permission_review_respond` tool of the `agenthub` MCP server");
    expect(text).not.toContain("agenthub actor permission-review-respond");
    expect(text).toContain('"title":"Write big.txt","kind":"edit"');
    expect(text).toMatch(/… \(\d+ more bytes\)/);
    expect(text.length).toBeLessThan(4000);
    // The leader's answer was an MCP tool call (the tool's own answer is its reply).
    const events = await hub.agentEvents(leadAgent);
    const titles = events.flatMap((e) => {
      const u = e.data.update as { sessionUpdate?: string; title?: string } | undefined;
      return u?.sessionUpdate === "tool_call" ? [u.title] : [];
    });
    expect(titles).toEqual(["mcp__agenthub__permission_review_respond"]);
  });
});

describe("automatic answers by rule", () => {
  it("a matching rule allows once, recorded as policy:<rule>; the leader is never asked", async () => {
    const hub = await open();
    const { teamId, runId } = await policyRun(hub, "ask-permission write f.txt: y\nreply: built", {
      permissions: {
        auto_allow: [{ name: "writes", member: "w1", tool_kind: "edit", title_matches: "^Write f\\.txt$" }],
      },
    });
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build")).toMatchObject({
      output: "permission granted: wrote f.txt\nbuilt",
      outcome: "clean",
    });
    expect(readFileSync(join(hub.safe, "w1", "f.txt"), "utf8")).toBe("y");
    const [r] = await reviews(hub, runId, "resolved");
    // Nobody's to answer (no human is notified of it): the rule is its reviewer and its decider.
    expect(r).toMatchObject({
      reviewer: "policy:writes",
      decided_by: "policy:writes",
      outcome: { option_id: "allow_once" },
    });
    expect(r!.decided_at).not.toBeNull();
    const events = await hub.runEvents(runId);
    expect(ofKind(events, "review.resolved").map((e) => e.data)).toEqual([
      {
        review_id: r!.review_id,
        decided_by: "policy:writes",
        decision: "allowed",
        option_id: "allow_once",
        option_kind: "allow_once",
        at: expect.any(String),
      },
    ]);
    expect(ofKind(events, "review.requested").map((e) => e.data.reviewer)).toEqual(["policy:writes"]);
    expect(ofKind(events, "step.awaiting_review")).toEqual([]);
    const leadTurns = await hub.turns(await hub.agentOf(teamId, "lead"));
    expect(leadTurns.filter((x) => x.turn_id.startsWith("mail|"))).toEqual([]);
  });

  it("by default a member's own `agenthub actor` call runs unasked; anything more goes to the reviewer", async () => {
    const hub = await open();
    const { teamId, runId } = await policyRun(
      hub,
      "ask-permission run: agenthub actor team-members\nask-permission run: agenthub actor inbox; echo x\nreply: built",
      { leadEnv: { SCRIPTED_REVIEW_DECISION: "reject" } },
    );
    const done = await hub.waitRun(runId, "completed");
    // The step's output is the turn's final message; the allowed call's answer is in the transcript.
    expect(hub.step(done, "build").output).toContain(
      "permission denied: did not run agenthub actor inbox; echo x",
    );
    const said = (await hub.agentEvents(await hub.agentOf(teamId, "w1")))
      .flatMap((e) => {
        const u = e.data.update as { sessionUpdate?: string; content?: { text?: string } } | undefined;
        return u?.sessionUpdate === "agent_message_chunk" ? [u.content?.text ?? ""] : [];
      })
      .join("");
    expect(said).toContain("w1  w1 (worker)");
    const all = await reviews(hub, runId, "resolved");
    expect(all.map((r) => [(r.tool_call as { title: string }).title, r.decided_by])).toEqual([
      ["agenthub actor team-members", "policy:actor_calls"],
      ["agenthub actor inbox; echo x", "lead"],
    ]);
  });
});

describe("what a reviewing agent may choose", () => {
  const OPTIONS = "options=proceed_always:allow_always,proceed_once:allow_once,cancel:reject_once";

  it("a leader choosing allow_always is refused naming the rule; the review stays pending", async () => {
    const hub = await open();
    const { runId } = await policyRun(hub, `ask-permission ${OPTIONS} write f.txt: y\nreply: built`);
    const [pending] = await waitUntil("a pending review", async () => {
      const r = await reviews(hub, runId, "pending");
      return r.length > 0 && r;
    });
    const answer = (option: string) =>
      hub.actor(runId, "lead", [
        "permission-review-respond",
        "--request-id",
        pending!.review_id,
        "--option-id",
        option,
      ]);
    const refused = await answer("proceed_always");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'option "proceed_always" (allow_always) may not be chosen by an agent: spec.permissions.agent_may_allow_always is false',
    );
    expect(refused.stderr).toContain("(REVIEW_OPTION_NOT_ALLOWED)");
    expect((await reviews(hub, runId, "pending")).map((r) => r.review_id)).toEqual([pending!.review_id]);
    expect(existsSync(join(hub.safe, "w1", "f.txt"))).toBe(false);

    expect((await answer("proceed_once")).code).toBe(0);
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toBe("permission granted: wrote f.txt\nbuilt");
  });

  it("agent_may_allow_always lets it", async () => {
    const hub = await open();
    const { runId } = await policyRun(hub, `ask-permission ${OPTIONS} write f.txt: y\nreply: built`, {
      permissions: { agent_may_allow_always: true },
    });
    const [pending] = await waitUntil("a pending review", async () => {
      const r = await reviews(hub, runId, "pending");
      return r.length > 0 && r;
    });
    const ok = await hub.actor(runId, "lead", [
      "permission-review-respond",
      "--request-id",
      pending!.review_id,
      "--option-id",
      "proceed_always",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    await hub.waitRun(runId, "completed");
    const [r] = await reviews(hub, runId, "resolved");
    expect(r).toMatchObject({ decided_by: "lead", outcome: { option_id: "proceed_always" } });
  });
});

describe("on_timeout", () => {
  it("allow answers an unanswered review with allow_once (never allow_always), warning that it timed out", async () => {
    const hub = await open({ permissions: { review_timeout_seconds: 1 } });
    const { runId } = await policyRun(
      hub,
      "ask-permission options=proceed_always:allow_always,proceed_once:allow_once,cancel:reject_once write f.txt: y\nreply: built",
      { permissions: { route: "to_human", on_timeout: "allow" } },
    );
    const done = await hub.waitRun(runId, "completed");
    expect(readFileSync(join(hub.safe, "w1", "f.txt"), "utf8")).toBe("y");
    const timedOut = ofKind(await hub.runEvents(runId), "review.timed_out")[0]!;
    expect(timedOut.data).toMatchObject({
      decided_by: "system:timeout",
      decision: "allowed",
      option_id: "proceed_once",
    });
    expect(timedOut.data.code).toBeUndefined();
    expect(String(timedOut.data.message)).toContain("(spec.permissions.on_timeout: allow)");
    expect(hub.step(done, "build").warnings?.map((w) => w.code)).toEqual(["PERMISSION_TIMED_OUT"]);
  });
});
