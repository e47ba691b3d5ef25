import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec, singleSpec } from "../helpers/specs.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let teamId: string;

type Step = { step_key: string; status: string; attempt: number; output: string | null; error: unknown };
type Run = {
  id: string;
  status: string;
  attempt: number;
  steps: Step[];
  error: { code: string; message: string } | null;
};

beforeEach(async () => {
  h = await startHubWithRoot();
  const t = await api<{ id: string }>(h.url, "POST", "/api/teams", {
    token: h.rootToken,
    body: { name: "t", spec: diamondSpec() },
  });
  teamId = t.body.id;
});
afterEach(async () => {
  await h.close();
});

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => api<T & { error: string; code: string }>(h.url, method, path, { token: h.rootToken, body, headers });

async function newRun(input: unknown = { goal: "x" }) {
  const r = await call<Run>("POST", `/api/teams/${teamId}/runs`, { input });
  expect(r.status).toBe(201);
  return r.body;
}

const stepStatus = async (runId: string) =>
  Object.fromEntries(
    (await call<Run>("GET", `/api/runs/${runId}`)).body.steps.map((s) => [s.step_key, s.status]),
  );

describe("runs and steps", () => {
  it("walks a diamond DAG: steps are ready only when dependencies completed", async () => {
    const run = await newRun();
    expect(run.status).toBe("submitted");
    expect(run.steps.map((s) => s.step_key)).toEqual(["plan", "left", "right", "join"]);

    const early = await call("POST", `/api/runs/${run.id}/steps/join/start`);
    expect(early.status).toBe(409);
    expect(early.body.error).toContain("waiting for: left, right");

    expect((await call("POST", `/api/runs/${run.id}/steps/plan/start`)).status).toBe(200);
    expect((await call<Run>("GET", `/api/runs/${run.id}`)).body.status).toBe("working");
    await call("POST", `/api/runs/${run.id}/steps/plan/complete`, { output: "the plan" });
    // Fan-out: both branches can start now.
    expect((await call("POST", `/api/runs/${run.id}/steps/left/start`)).status).toBe(200);
    expect((await call("POST", `/api/runs/${run.id}/steps/right/start`)).status).toBe(200);
    await call("POST", `/api/runs/${run.id}/steps/left/complete`, { output: "L" });
    // Fan-in: join still waits for right.
    expect((await call("POST", `/api/runs/${run.id}/steps/join/start`)).status).toBe(409);
    await call("POST", `/api/runs/${run.id}/steps/right/complete`, { output: "R" });
    await call("POST", `/api/runs/${run.id}/steps/join/start`);
    await call("POST", `/api/runs/${run.id}/steps/join/complete`, { output: "done" });
    const final = await call<Run>("GET", `/api/runs/${run.id}`);
    expect(final.body.status).toBe("completed");
    expect(final.body.steps.find((s) => s.step_key === "plan")!.output).toBe("the plan");

    const again = await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("ILLEGAL_TRANSITION");

    const resume = await call("POST", `/api/runs/${run.id}/resume`);
    expect([resume.status, resume.body.error]).toEqual([409, "completed run cannot be resumed; use restart"]);

    const events = await call<{ events: { seq: number; kind: string }[] }>(
      "GET",
      `/api/runs/${run.id}/events`,
    );
    const seqs = events.body.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(events.body.events.map((e) => e.kind)).toContain("run.completed");
  });

  it("fails the run when a step fails, recording code and message; resume retries it", async () => {
    const run = await newRun();
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    const noText = await call("POST", `/api/runs/${run.id}/steps/plan/fail`, {});
    expect([noText.status, noText.body.error]).toEqual([400, "error_text is required"]);
    await call("POST", `/api/runs/${run.id}/steps/plan/fail`, {
      error_text: "agent died",
      code: "AGENT_EXITED",
    });
    const failed = await call<Run>("GET", `/api/runs/${run.id}`);
    expect(failed.body.status).toBe("failed");
    expect(failed.body.error).toMatchObject({ code: "AGENT_EXITED" });
    expect(failed.body.error!.message).toContain("agent died");

    const resumed = await call<Run>("POST", `/api/runs/${run.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe("submitted");
    expect(resumed.body.steps[0]).toMatchObject({ step_key: "plan", status: "submitted", attempt: 2 });
  });

  it("cancel cancels every unfinished step", async () => {
    const run = await newRun();
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    await call("POST", `/api/runs/${run.id}/steps/plan/complete`, { output: "p" });
    await call("POST", `/api/runs/${run.id}/steps/left/start`);
    const canceled = await call<Run>("POST", `/api/runs/${run.id}/cancel`);
    expect(canceled.body.status).toBe("canceled");
    expect(await stepStatus(run.id)).toEqual({
      plan: "completed",
      left: "canceled",
      right: "canceled",
      join: "canceled",
    });
    expect((await call("POST", `/api/runs/${run.id}/cancel`)).status).toBe(409);
  });

  it("restart makes a new attempt of unfinished (or all) steps and keeps history", async () => {
    const run = await newRun();
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    await call("POST", `/api/runs/${run.id}/steps/plan/complete`, { output: "p" });
    await call("POST", `/api/runs/${run.id}/cancel`);
    const restarted = await call<Run>("POST", `/api/runs/${run.id}/restart`, {});
    expect(restarted.body.attempt).toBe(2);
    expect(await stepStatus(run.id)).toEqual({
      plan: "completed",
      left: "submitted",
      right: "submitted",
      join: "submitted",
    });
    await call("POST", `/api/runs/${run.id}/cancel`);
    const all = await call<Run>("POST", `/api/runs/${run.id}/restart`, { mode: "all" });
    expect(all.body.attempt).toBe(3);
    expect(all.body.steps.every((s) => s.status === "submitted")).toBe(true);
    const events = await call<{ events: { kind: string }[] }>("GET", `/api/runs/${run.id}/events?limit=500`);
    expect(events.body.events.filter((e) => e.kind === "run.restarted")).toHaveLength(2);
    expect(events.body.events.some((e) => e.kind === "step.completed")).toBe(true);
  });

  it("input_required and resume of a step", async () => {
    const run = await newRun();
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    await call("POST", `/api/runs/${run.id}/steps/plan/input_required`, { reason: "which repo?" });
    expect((await call<Run>("GET", `/api/runs/${run.id}`)).body.status).toBe("input_required");
    await call("POST", `/api/runs/${run.id}/steps/plan/resume`);
    expect((await call<Run>("GET", `/api/runs/${run.id}`)).body.status).toBe("working");
  });

  it("adds steps with the contract's errors", async () => {
    const run = await newRun();
    expect((await call("POST", `/api/runs/${run.id}/steps`, { member_id: "a" })).body.error).toBe(
      "step_key is required",
    );
    expect((await call("POST", `/api/runs/${run.id}/steps`, { step_key: "x" })).body.error).toBe(
      "member_id is required",
    );
    const dup = await call("POST", `/api/runs/${run.id}/steps`, { step_key: "plan", member_id: "a" });
    expect([dup.status, dup.body.error]).toEqual([409, "step already exists for run"]);
    const ghost = await call("POST", `/api/runs/${run.id}/steps`, { step_key: "x", member_id: "ghost" });
    expect(ghost.status).toBe(400);
    const ok = await call<Step>("POST", `/api/runs/${run.id}/steps`, {
      step_key: "extra",
      member_id: "a",
      depends_on: ["join"],
      input: { n: 1 },
    });
    expect(ok.status).toBe(201);
    const steps = await call<{ steps: Step[] }>("GET", `/api/runs/${run.id}/steps`);
    expect(steps.body.steps.map((s) => s.step_key)).toContain("extra");
  });

  it("answers unknown ids with the seed's 404 messages", async () => {
    expect((await call("GET", "/api/runs/run_nope")).body.error).toBe("run not found");
    expect((await call("GET", "/api/teams/team_nope/runs")).body.error).toBe("team not found");
    const run = await newRun();
    const s = await call("POST", `/api/runs/${run.id}/steps/nope/start`);
    expect([s.status, s.body.error]).toEqual([404, "step not found"]);
  });

  it("a run without steps gets one step for the entrypoint member", async () => {
    const t = await call<{ id: string }>("POST", "/api/teams", { name: "single", spec: singleSpec() });
    const r = await call<Run>("POST", `/api/teams/${t.body.id}/runs`, { input: "hi" });
    expect(r.body.steps).toHaveLength(1);
    expect(r.body.steps[0]).toMatchObject({ member_id: "lead", status: "submitted" });
  });

  it("rejects a run with no executable step at creation", async () => {
    const spec = { ...singleSpec(), entrypoint: undefined };
    const t = await call<{ id: string }>("POST", "/api/teams", { name: "nostep", spec });
    expect(t.status).toBe(201);
    const r = await call("POST", `/api/teams/${t.body.id}/runs`, { input: "hi" });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("NO_EXECUTABLE_STEP");
    const list = await call<{ runs: unknown[] }>("GET", `/api/teams/${t.body.id}/runs`);
    expect(list.body.runs).toEqual([]);
  });

  it("Idempotency-Key: concurrent retries create exactly one run", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call<Run>("POST", `/api/teams/${teamId}/runs`, { input: 1 }, { "idempotency-key": "retry-1" }),
      ),
    );
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const list = await call<{ runs: Run[] }>("GET", `/api/teams/${teamId}/runs`);
    expect(list.body.runs).toHaveLength(1);
  });

  it("lists runs filtered by status and paginated by cursor", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await newRun(i)).id);
      h.clock.advance(1);
    }
    await call("POST", `/api/runs/${ids[1]}/cancel`);
    const page1 = await call<{ runs: Run[]; next_cursor: string }>(
      "GET",
      `/api/teams/${teamId}/runs?limit=2`,
    );
    expect(page1.body.runs.map((r) => r.id)).toEqual(ids.slice(0, 2));
    const page2 = await call<{ runs: Run[] }>(
      "GET",
      `/api/teams/${teamId}/runs?limit=2&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.runs.map((r) => r.id)).toEqual(ids.slice(2, 4));
    const canceled = await call<{ runs: Run[] }>("GET", `/api/teams/${teamId}/runs?status=canceled`);
    expect(canceled.body.runs.map((r) => r.id)).toEqual([ids[1]]);
  });

  it("paginates the event log by cursor", async () => {
    const run = await newRun();
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    await call("POST", `/api/runs/${run.id}/steps/plan/complete`, { output: "p" });
    const p1 = await call<{ events: { seq: number }[]; next_cursor: string }>(
      "GET",
      `/api/runs/${run.id}/events?limit=2`,
    );
    expect(p1.body.events.map((e) => e.seq)).toEqual([1, 2]);
    const p2 = await call<{ events: { seq: number }[] }>(
      "GET",
      `/api/runs/${run.id}/events?limit=2&after=${p1.body.next_cursor}`,
    );
    expect(p2.body.events[0]!.seq).toBe(3);
  });

  it("another user's run is not found; data survives a restart", async () => {
    const run = await newRun();
    const bob = await addUser(h, h.rootToken, "bob");
    const r = await api(h.url, "GET", `/api/runs/${run.id}`, { token: bob });
    expect([r.status, r.body.error]).toEqual([404, "run not found"]);
    await call("POST", `/api/runs/${run.id}/steps/plan/start`);
    const token = h.rootToken;
    const next = await h.restart();
    h = Object.assign(next, { rootToken: token, rootPassword: "" });
    const after = await call<Run>("GET", `/api/runs/${run.id}`);
    expect(after.body.status).toBe("working");
    expect(after.body.steps[0]!.status).toBe("working");
  });
});
