import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/config-schema.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type ReviewView, type RunEvent, type TeamHub } from "./helpers.js";

let t: TeamHub | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function open(overrides: ConfigInput = {}): Promise<TeamHub> {
  t = await openTeamHub(overrides);
  return t;
}

const BUILD = "ask-permission write f.txt: x\nreply: built";

/** lead plans, w1 builds (asking permission to write f.txt); the run is started and returned. */
async function reviewRun(
  hub: TeamHub,
  opts: { route?: "to_leader" | "to_human"; leadEnv?: Record<string, string>; build?: string } = {},
) {
  const teamId = await hub.createTeam({
    leader_member_id: "lead",
    members: [
      hub.member("lead", "leader", opts.leadEnv ? { env: opts.leadEnv } : {}),
      hub.member("w1", "worker"),
    ],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps: [
      { step_key: "plan", member_id: "lead", prompt: "reply: plan" },
      { step_key: "build", member_id: "w1", prompt: opts.build ?? BUILD, depends_on: ["plan"] },
    ],
    permissions: { route: opts.route ?? "to_leader" },
  });
  await hub.startRuntime(teamId);
  const run = await hub.newRun(teamId);
  return { teamId, runId: run.id, file: join(hub.safe, "w1", "f.txt") };
}

const reviews = async (hub: TeamHub, runId: string, status?: string) =>
  (
    await hub.call<{ reviews: ReviewView[] }>(
      "GET",
      `/api/runs/${runId}/permission-reviews${status ? `?status=${status}` : ""}`,
    )
  ).body.reviews;

const waitPending = (hub: TeamHub, runId: string) =>
  waitUntil("a pending review", async () => {
    const r = await reviews(hub, runId, "pending");
    return r.length > 0 && r;
  });

const ofKind = (events: RunEvent[], kind: string) => events.filter((e) => e.kind === kind);

describe("permission reviews routed to the leader", () => {
  it("the leader approves through the actor CLI: the file is written, decided_by the leader", async () => {
    const hub = await open();
    const { teamId, runId, file } = await reviewRun(hub, { leadEnv: { SCRIPTED_REVIEW_DECISION: "allow" } });
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toBe("permission granted: wrote f.txt\nbuilt");
    expect(readFileSync(file, "utf8")).toBe("x");
    expect(hub.step(done, "build")).toMatchObject({ outcome: "clean", warnings: [] });
    expect(done.outcome).toBe("clean");

    const resolved = await reviews(hub, runId, "resolved");
    expect(resolved).toHaveLength(1);
    const r = resolved[0]!;
    expect(r).toMatchObject({
      run_id: runId,
      step_key: "build",
      requester_member_id: "w1",
      reviewer: "lead",
      status: "resolved",
      decided_by: "lead",
      agent_id: await hub.agentOf(teamId, "w1"),
    });
    expect(r.outcome).toMatchObject({ option_id: "allow_once" });
    expect(r.decided_at).not.toBeNull();
    expect(r.options.map((o) => o.option_id)).toEqual(["allow_once", "reject_once"]);
    expect(await reviews(hub, runId, "pending")).toEqual([]);

    const events = await hub.runEvents(runId);
    expect(ofKind(events, "review.requested")[0]!.data).toMatchObject({
      review_id: r.review_id,
      requester: "w1",
      reviewer: "lead",
      options: ["allow_once", "reject_once"],
    });
    expect(ofKind(events, "review.resolved").map((e) => e.data)).toEqual([
      {
        review_id: r.review_id,
        decided_by: "lead",
        decision: "allowed",
        option_id: "allow_once",
        option_kind: "allow_once",
        at: expect.any(String),
      },
    ]);
    expect(ofKind(events, "step.awaiting_review").map((e) => e.step_key)).toEqual(["build"]);

    // The review reached the leader as a permission_review message, delivered as a turn of its own.
    const leadTurns = await hub.turns(await hub.agentOf(teamId, "lead"));
    const mail = leadTurns.filter((x) => x.turn_id.startsWith(`mail|${runId}|`));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`permission_review`);
    expect(mail[0]!.text).toContain(r.review_id);
    expect(mail[0]!.text).toContain("agenthub actor permission-review-respond");
  });

  it("the leader rejects: the file is not written, the run still completes saying permission denied", async () => {
    const hub = await open();
    const { runId, file } = await reviewRun(hub, { leadEnv: { SCRIPTED_REVIEW_DECISION: "reject" } });
    const done = await hub.waitRun(runId, "completed");
    expect(done.steps.map((s) => s.status)).toEqual(["completed", "completed"]);
    expect(hub.step(done, "build").output).toContain("permission denied: did not write f.txt");
    expect(existsSync(file)).toBe(false);
    const [r] = await reviews(hub, runId, "resolved");
    expect(r).toMatchObject({ reviewer: "lead", decided_by: "lead", outcome: { option_id: "reject_once" } });
    const resolved = ofKind(await hub.runEvents(runId), "review.resolved");
    expect(resolved.map((e) => [e.data.decided_by, e.data.decision])).toEqual([["lead", "rejected"]]);
    // The step completed, but says it went on without the write; so does the run.
    const build = hub.step(done, "build");
    expect(build.outcome).toBe("with_warnings");
    expect(build.warnings).toEqual([
      {
        code: "PERMISSION_DENIED",
        message: `permission for "Write f.txt" (review ${r!.review_id}) was rejected by lead (reject_once)`,
      },
    ]);
    expect(hub.step(done, "plan")).toMatchObject({ outcome: "clean", warnings: [] });
    expect(done.outcome).toBe("with_warnings");
    const warned = ofKind(await hub.runEvents(runId), "step.warning");
    expect(warned.map((e) => [e.step_key, e.data.code, e.data.attempt])).toEqual([
      ["build", "PERMISSION_DENIED", 1],
    ]);
  });

  it("a worker cannot answer its own review, nor a leader its own request routed to a human", async () => {
    const hub = await open();
    const teamId = await hub.createTeam({
      leader_member_id: "lead",
      members: [hub.member("lead", "leader"), hub.member("w1", "worker")],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [
        { step_key: "mine", member_id: "lead", prompt: "ask-permission write g.txt: y\nreply: lead done" },
        { step_key: "theirs", member_id: "w1", prompt: BUILD },
      ],
    });
    await hub.startRuntime(teamId);
    const { id: runId } = await hub.newRun(teamId);
    const pending = await waitUntil("both reviews pending", async () => {
      const r = await reviews(hub, runId, "pending");
      return r.length === 2 && r;
    });
    const workerReview = pending.find((r) => r.requester_member_id === "w1")!;
    const leadReview = pending.find((r) => r.requester_member_id === "lead")!;
    expect(workerReview.reviewer).toBe("lead");
    expect(leadReview.reviewer).toBe("human");

    const own = await hub.actor(runId, "w1", [
      "permission-review-respond",
      "--request-id",
      workerReview.review_id,
      "--option-id",
      "allow_once",
    ]);
    expect(own.code).not.toBe(0);
    expect(own.stderr).toContain('permission denied: token lacks permission "reviews:respond"');
    // gRPC PERMISSION_DENIED; the CLI shows the hub's error code.
    expect(own.stderr).toContain("(FORBIDDEN)");

    const leadOwn = await hub.actor(runId, "lead", [
      "permission-review-respond",
      "--request-id",
      leadReview.review_id,
      "--option-id",
      "allow_once",
    ]);
    expect(leadOwn.code).not.toBe(0);
    expect(leadOwn.stderr).toContain(
      'member "lead" requested this permission and cannot answer its own review',
    );

    // Neither attempt decided anything; nothing was written.
    expect((await reviews(hub, runId, "pending")).map((r) => r.review_id).sort()).toEqual(
      [workerReview.review_id, leadReview.review_id].sort(),
    );
    expect(ofKind(await hub.runEvents(runId), "review.resolved")).toEqual([]);
    expect(existsSync(join(hub.safe, "w1", "f.txt"))).toBe(false);
    expect(existsSync(join(hub.safe, "lead", "g.txt"))).toBe(false);

    // Root may answer any review; the run then finishes.
    for (const r of [workerReview, leadReview]) {
      const res = await hub.call("POST", `/api/runs/${runId}/permission-reviews/${r.review_id}/respond`, {
        option_id: "reject_once",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "mine").output).toContain("permission denied: did not write g.txt");
    expect(hub.step(done, "theirs").output).toContain("permission denied: did not write f.txt");
  });
});

describe("permission reviews routed to humans", () => {
  it("is listed pending for a human, shows awaiting_review, a root answer resolves it once", async () => {
    const hub = await open();
    const { runId, file } = await reviewRun(hub, { route: "to_human" });
    const [pending] = await waitPending(hub, runId);
    expect(pending).toMatchObject({
      run_id: runId,
      step_key: "build",
      requester_member_id: "w1",
      reviewer: "human",
      status: "pending",
      decided_by: null,
      outcome: null,
    });
    const waiting = await hub.waitStep(runId, "build", "awaiting_review");
    expect(waiting.status).toBe("awaiting_review");
    expect(existsSync(file)).toBe(false);

    const bad = await hub.call(
      "POST",
      `/api/runs/${runId}/permission-reviews/${pending!.review_id}/respond`,
      {
        option_id: "nope",
      },
    );
    expect(bad.status).toBe(400);
    expect((await reviews(hub, runId, "pending")).length).toBe(1);

    const answered = await hub.call<ReviewView & { already_resolved: boolean }>(
      "POST",
      `/api/runs/${runId}/permission-reviews/${pending!.review_id}/respond`,
      { option_id: "allow_once" },
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({
      review_id: pending!.review_id,
      status: "resolved",
      decided_by: "human:root",
      outcome: { option_id: "allow_once" },
      already_resolved: false,
    });

    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toBe("permission granted: wrote f.txt\nbuilt");
    expect(readFileSync(file, "utf8")).toBe("x");

    // The step went awaiting_review -> working -> completed; the run showed awaiting_review too.
    const events = await hub.runEvents(runId);
    const build = events
      .filter((e) => e.step_key === "build" && e.kind.startsWith("step."))
      .map((e) => e.kind)
      .filter((k) => k !== "step.dispatched");
    expect(build).toEqual(["step.working", "step.awaiting_review", "step.resumed", "step.completed"]);
    expect(ofKind(events, "run.awaiting_review")).toHaveLength(1);
    expect(ofKind(events, "review.resolved")[0]!.data).toMatchObject({
      decided_by: "human:root",
      decision: "allowed",
    });

    const second = await hub.call<ReviewView & { already_resolved: boolean }>(
      "POST",
      `/api/runs/${runId}/permission-reviews/${pending!.review_id}/respond`,
      { option_id: "reject_once" },
    );
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      review_id: pending!.review_id,
      already_resolved: true,
      decided_by: "human:root",
      outcome: { option_id: "allow_once" },
    });
    expect(ofKind(await hub.runEvents(runId), "review.resolved")).toHaveLength(1);
  });

  it("times out with PERMISSION_DENIED after review_timeout_seconds: not written, the run completes", async () => {
    const hub = await open({ permissions: { review_timeout_seconds: 1 } });
    const { runId, file } = await reviewRun(hub, { route: "to_human" });
    const timedOut = await hub.waitRunEvent(runId, (e) => e.kind === "review.timed_out", "review.timed_out");
    expect(timedOut.step_key).toBe("build");
    expect(timedOut.data).toMatchObject({
      code: "PERMISSION_DENIED",
      decided_by: "system:timeout",
      decision: "rejected",
      option_id: "reject_once",
    });
    expect(String(timedOut.data.message)).toContain("no answer from a human within 1 s");
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toContain("permission denied: did not write f.txt");
    expect(existsSync(file)).toBe(false);
    const [r] = await reviews(hub, runId, "resolved");
    expect(r).toMatchObject({
      status: "resolved",
      decided_by: "system:timeout",
      outcome: { option_id: "reject_once" },
    });
    expect(r!.decided_at).not.toBeNull();
    const build = hub.step(done, "build");
    expect(build.outcome).toBe("with_warnings");
    expect(build.warnings?.map((w) => w.code)).toEqual(["PERMISSION_TIMED_OUT"]);
    expect(build.warnings?.[0]?.message).toContain("no answer from a human within 1 s; chose reject_once");
    expect(done.outcome).toBe("with_warnings");
    expect(ofKind(await hub.runEvents(runId), "step.warning").map((e) => e.data.code)).toEqual([
      "PERMISSION_TIMED_OUT",
    ]);
  });
});

/** Agents name their options freely; the decision is the option's ACP kind. */
const GEMINI =
  "ask-permission options=cancel:reject_once,proceed_once:allow_once write f.txt: x\nreply: built";
const CODEX =
  "ask-permission options=approved:allow_once,accept_execpolicy_amendment:allow_always,abort:reject_once write f.txt: x\nreply: built";

describe("permission option kinds (agents whose options are named like Gemini's and Codex's)", () => {
  it("a leader allowing Gemini-like options picks proceed_once: logged allowed, the file is written", async () => {
    const hub = await open();
    const { runId, file } = await reviewRun(hub, {
      build: GEMINI,
      leadEnv: { SCRIPTED_REVIEW_DECISION: "allow" },
    });
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toBe("permission granted: wrote f.txt\nbuilt");
    expect(readFileSync(file, "utf8")).toBe("x");
    expect(ofKind(await hub.runEvents(runId), "review.resolved")[0]!.data).toMatchObject({
      decided_by: "lead",
      decision: "allowed",
      option_id: "proceed_once",
      option_kind: "allow_once",
    });
  });

  it("a leader rejecting Gemini-like options picks cancel: logged rejected, nothing written", async () => {
    const hub = await open();
    const { runId, file } = await reviewRun(hub, {
      build: GEMINI,
      leadEnv: { SCRIPTED_REVIEW_DECISION: "reject" },
    });
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toContain("permission denied: did not write f.txt");
    expect(existsSync(file)).toBe(false);
    expect(ofKind(await hub.runEvents(runId), "review.resolved")[0]!.data).toMatchObject({
      decision: "rejected",
      option_id: "cancel",
      option_kind: "reject_once",
    });
  });

  it("a human choosing Codex's accept_execpolicy_amendment is logged allowed and the file is written", async () => {
    const hub = await open();
    const { runId, file } = await reviewRun(hub, { build: CODEX, route: "to_human" });
    const [pending] = await waitPending(hub, runId);
    const answered = await hub.call(
      "POST",
      `/api/runs/${runId}/permission-reviews/${pending!.review_id}/respond`,
      { option_id: "accept_execpolicy_amendment" },
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toBe("permission granted: wrote f.txt\nbuilt");
    expect(readFileSync(file, "utf8")).toBe("x");
    expect(ofKind(await hub.runEvents(runId), "review.resolved")[0]!.data).toMatchObject({
      decision: "allowed",
      option_id: "accept_execpolicy_amendment",
      option_kind: "allow_always",
    });
  });

  it("a timed-out review of Codex-like options chooses the reject kind (abort)", async () => {
    const hub = await open({ permissions: { review_timeout_seconds: 1 } });
    const { runId, file } = await reviewRun(hub, { build: CODEX, route: "to_human" });
    const timedOut = await hub.waitRunEvent(runId, (e) => e.kind === "review.timed_out", "review.timed_out");
    expect(timedOut.data).toMatchObject({
      decision: "rejected",
      option_id: "abort",
      option_kind: "reject_once",
    });
    const done = await hub.waitRun(runId, "completed");
    expect(hub.step(done, "build").output).toContain("permission denied: did not write f.txt");
    expect(existsSync(file)).toBe(false);
  });
});
