import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RUN_STATUSES } from "../../src/domain/run-state.js";
import { type ApiResponse, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec } from "../helpers/specs.js";
import { openSse } from "../helpers/sse.js";

/**
 * The edges of runs, steps, run events, the mailbox, reviews, runtimes and actor tokens: wrong input is a
 * 4xx in the contract that names its field (never silence, never a 500), and a refused request stores
 * nothing.
 */

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let teamId: string;

type ErrorBody = { error: string; code: string; request_id: string; details?: Record<string, unknown> };
type Step = { step_key: string; status: string; attempt: number };
type Run = {
  id: string;
  status: string;
  attempt: number;
  input: unknown;
  steps: Step[];
  idempotent_replay?: boolean;
};

beforeEach(async () => {
  h = await startHubWithRoot();
  teamId = (
    await api<{ id: string }>(h.url, "POST", "/api/teams", {
      token: h.rootToken,
      body: { name: "t", spec: diamondSpec() },
    })
  ).body.id;
});
afterEach(async () => {
  // Every answer matched its documented schema (a drift is logged, not sent as a 500).
  const logs = h.logs();
  await h.close();
  expect(logs).not.toContain("response does not match its schema");
});

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => api<T & ErrorBody>(h.url, method, path, { token: h.rootToken, body, headers });

/** A refusal in the contract: status, code, the field named, and the request id in header and body. */
function expectRefused(r: ApiResponse<ErrorBody>, status: number, code: string, field?: string) {
  expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([status, code]);
  expect(r.body.request_id).toMatch(/^req_/);
  expect(r.headers.get("x-request-id")).toBe(r.body.request_id);
  if (field !== undefined) {
    expect(r.body.details?.field, JSON.stringify(r.body)).toBe(field);
    // A schema refusal says `<location>.<field>: <problem>`; a service refusal names the value instead.
    if (code === "BAD_REQUEST") expect(r.body.error).toContain(field);
  }
}

async function newRun(input: unknown = { goal: "x" }) {
  const r = await call<Run>("POST", `/api/teams/${teamId}/runs`, { input });
  expect(r.status).toBe(201);
  return r.body;
}

const runs = async () =>
  (await call<{ runs: Run[] }>("GET", `/api/teams/${teamId}/runs?limit=500`)).body.runs;
const events = async (runId: string) =>
  (await call<{ events: { seq: number; kind: string }[] }>("GET", `/api/runs/${runId}/events?limit=500`)).body
    .events;
const run = async (runId: string) => (await call<Run>("GET", `/api/runs/${runId}`)).body;

describe("run lists: no silent filters", () => {
  it("refuses an unknown status with the allowed values, a repeated one, and an unsupported filter", async () => {
    await newRun();
    const bogus = await call("GET", `/api/teams/${teamId}/runs?status=bogus`);
    expectRefused(bogus, 400, "BAD_REQUEST", "status");
    for (const s of RUN_STATUSES) expect(bogus.body.error).toContain(s);

    const twice = await call("GET", `/api/teams/${teamId}/runs?status=canceled&status=failed`);
    expectRefused(twice, 400, "BAD_REQUEST", "status");

    const unknown = await call("GET", `/api/teams/${teamId}/runs?owner=me`);
    expectRefused(unknown, 400, "BAD_REQUEST", "owner");

    const limit = await call("GET", `/api/teams/${teamId}/runs?limit=0`);
    expectRefused(limit, 400, "BAD_REQUEST", "limit");

    const cursor = await call("GET", `/api/teams/${teamId}/runs?cursor=not-a-cursor`);
    expectRefused(cursor, 400, "BAD_REQUEST", "cursor");

    const ok = await call<{ runs: Run[] }>("GET", `/api/teams/${teamId}/runs?status=submitted`);
    expect(ok.status).toBe(200);
    expect(ok.body.runs).toHaveLength(1);
  });
});

describe("Idempotency-Key", () => {
  it("replays the same body (whatever its key order) and refuses another body with 422, storing nothing", async () => {
    const key = { "idempotency-key": "order-7" };
    const first = await call<Run>("POST", `/api/teams/${teamId}/runs`, { input: { a: 1, b: [1, 2] } }, key);
    expect([first.status, first.body.idempotent_replay]).toEqual([201, false]);

    const again = await call<Run>("POST", `/api/teams/${teamId}/runs`, { input: { b: [1, 2], a: 1 } }, key);
    expect([again.status, again.body.id, again.body.idempotent_replay]).toEqual([200, first.body.id, true]);

    const before = await events(first.body.id);
    const other = await call("POST", `/api/teams/${teamId}/runs`, { input: { a: 2 } }, key);
    expectRefused(other, 422, "IDEMPOTENCY_KEY_REUSED");
    expect(other.body.error).toBe("Idempotency-Key reused with a different request body");
    expect(other.body.details).toMatchObject({ idempotency_key: "order-7", run_id: first.body.id });
    // No input at all is another body too.
    expectRefused(await call("POST", `/api/teams/${teamId}/runs`, {}, key), 422, "IDEMPOTENCY_KEY_REUSED");

    expect((await runs()).map((r) => r.id)).toEqual([first.body.id]);
    expect(await events(first.body.id)).toEqual(before);
    expect((await run(first.body.id)).input).toEqual({ a: 1, b: [1, 2] });

    // The key in the body works the same way; a body key that contradicts the header is refused.
    const viaBody = await call<Run>("POST", `/api/teams/${teamId}/runs`, {
      input: { a: 1, b: [1, 2] },
      idempotency_key: "order-7",
    });
    expect([viaBody.status, viaBody.body.id]).toEqual([200, first.body.id]);
    const both = await call(
      "POST",
      `/api/teams/${teamId}/runs`,
      { input: 1, idempotency_key: "other" },
      { "idempotency-key": "order-8" },
    );
    expectRefused(both, 400, "BAD_REQUEST", "idempotency_key");
    expect(await runs()).toHaveLength(1);
  });

  it("refuses unknown body keys and a key longer than an id", async () => {
    const typo = await call("POST", `/api/teams/${teamId}/runs`, { inptu: 1 });
    expectRefused(typo, 400, "BAD_REQUEST", "inptu");
    const long = await call(
      "POST",
      `/api/teams/${teamId}/runs`,
      { input: 1 },
      { "idempotency-key": "k".repeat(201) },
    );
    expectRefused(long, 400, "BAD_REQUEST", "idempotency-key");
    expect(await runs()).toEqual([]);
  });
});

describe("run actions", () => {
  it("take a bodiless POST (with or without a JSON content type) and refuse unknown keys", async () => {
    const r = await newRun();
    const empty = await api<Step>(h.url, "POST", `/api/runs/${r.id}/steps/plan/start`, {
      token: h.rootToken,
      headers: { "content-type": "application/json" },
    });
    expect([empty.status, empty.body.status]).toEqual([200, "working"]);

    const junk = await call("POST", `/api/runs/${r.id}/cancel`, { force: true });
    expectRefused(junk, 400, "BAD_REQUEST", "force");
    expect((await run(r.id)).status).toBe("working");

    const canceled = await call<Run>("POST", `/api/runs/${r.id}/cancel`);
    expect([canceled.status, canceled.body.status]).toEqual([200, "canceled"]);

    const mode = await call("POST", `/api/runs/${r.id}/restart`, { mode: "some" });
    expectRefused(mode, 400, "BAD_REQUEST", "mode");
    expect(mode.body.error).toContain("unfinished");
    expect(mode.body.error).toContain("all");
    expect((await run(r.id)).attempt).toBe(1);
  });

  it("names the field of a bad step transition and changes nothing", async () => {
    const r = await newRun();
    await call("POST", `/api/runs/${r.id}/steps/plan/start`);
    const n = (await events(r.id)).length;
    const code = await call("POST", `/api/runs/${r.id}/steps/plan/fail`, { error_text: "x", code: "OOPS" });
    expectRefused(code, 400, "BAD_REQUEST", "code");
    expect(code.body.error).toContain("STEP_FAILED");
    const blank = await call("POST", `/api/runs/${r.id}/steps/plan/fail`, { error_text: "   " });
    expect([blank.status, blank.body.error]).toEqual([400, "error_text is required"]);
    const reason = await call("POST", `/api/runs/${r.id}/steps/plan/input_required`, { reason: 42 });
    expectRefused(reason, 400, "BAD_REQUEST", "reason");
    expect((await run(r.id)).steps[0]!.status).toBe("working");
    expect(await events(r.id)).toHaveLength(n);
  });

  it("refuses bad added steps by field, storing nothing", async () => {
    const r = await newRun();
    const n = (await run(r.id)).steps.length;
    const deps = await call("POST", `/api/runs/${r.id}/steps`, {
      step_key: "x",
      member_id: "a",
      depends_on: "plan",
    });
    expectRefused(deps, 400, "BAD_REQUEST", "depends_on");
    const nul = await call("POST", `/api/runs/${r.id}/steps`, { step_key: "x\u0000y", member_id: "a" });
    expect(nul.status).toBe(400);
    expect(nul.body.details?.field).toBe("step_key");
    const ghost = await call("POST", `/api/runs/${r.id}/steps`, { step_key: "x", member_id: "ghost" });
    expectRefused(ghost, 400, "UNKNOWN_MEMBER", "member_id");
    expect(ghost.body.error).toContain("ghost");
    const unknownDep = await call("POST", `/api/runs/${r.id}/steps`, {
      step_key: "x",
      member_id: "a",
      depends_on: ["nope"],
    });
    expectRefused(unknownDep, 400, "SPEC_INVALID", "depends_on");
    expect((await run(r.id)).steps).toHaveLength(n);
  });
});

describe("run events", () => {
  it("refuses a bad page query by field", async () => {
    const r = await newRun();
    expectRefused(await call("GET", `/api/runs/${r.id}/events?after=-1`), 400, "BAD_REQUEST", "after");
    expectRefused(await call("GET", `/api/runs/${r.id}/events?after=1&after=2`), 400, "BAD_REQUEST", "after");
    expectRefused(await call("GET", `/api/runs/${r.id}/events?limit=x`), 400, "BAD_REQUEST", "limit");
    expectRefused(await call("GET", `/api/runs/${r.id}/events?kind=run.created`), 400, "BAD_REQUEST", "kind");
  });

  it("streams as SSE: stored events after Last-Event-ID, then live ones, in seq order", async () => {
    const r = await newRun();
    await call("POST", `/api/runs/${r.id}/steps/plan/start`);
    const stored = await events(r.id);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const sse = await openSse(`${h.url}/api/runs/${r.id}/events?token=${h.rootToken}`, {
      "last-event-id": String(stored[0]!.seq),
    });
    try {
      await sse.next((e) => e.data.seq === stored.at(-1)!.seq);
      await call("POST", `/api/runs/${r.id}/steps/plan/complete`, { output: "done" });
      const live = await sse.next((e) => e.data.kind === "step.completed");
      expect(live.event).toBe("step.completed");
      const seqs = sse.events.map((e) => e.data.seq);
      expect(seqs).toEqual(seqs.map((_, i) => stored[0]!.seq + 1 + i));
      expect(sse.events.map((e) => Number(e.id))).toEqual(seqs);
    } finally {
      await sse.close();
    }
  });

  it("a stopping hub ends its open streams (clients reconnect with Last-Event-ID)", async () => {
    const r = await newRun();
    const sse = await openSse(`${h.url}/api/runs/${r.id}/events`, { authorization: `Bearer ${h.rootToken}` });
    await sse.next((e) => e.data.kind === "run.created");
    const token = h.rootToken;
    // Stopping waits for open connections: it would hang if the stream stayed open.
    h = Object.assign(await h.restart(), { rootToken: token, rootPassword: "" });
    await sse.close();
    const again = await openSse(`${h.url}/api/runs/${r.id}/events`, {
      authorization: `Bearer ${h.rootToken}`,
      "last-event-id": "1",
    });
    try {
      const next = await again.next(() => true);
      expect(next.data.seq).toBe(2);
    } finally {
      await again.close();
    }
  });
});

describe("mailbox", () => {
  it("refuses an inbox of an actor that is not a member of the run, naming it", async () => {
    const r = await newRun();
    const ghost = await call("GET", `/api/runs/${r.id}/inbox?actor_id=ghost`);
    expectRefused(ghost, 400, "UNKNOWN_MEMBER", "actor_id");
    expect(ghost.body.error).toContain('"ghost"');
    expect(ghost.body.details).toMatchObject({ actor_id: "ghost", members: ["lead", "a", "b"] });
    const human = await call("GET", `/api/runs/${r.id}/inbox?actor_id=human:root`);
    expectRefused(human, 400, "UNKNOWN_MEMBER", "actor_id");
    expectRefused(await call("GET", `/api/runs/${r.id}/inbox`), 400, "BAD_REQUEST", "actor_id");
    expectRefused(
      await call("GET", `/api/runs/${r.id}/inbox?actor_id=lead&include_delivered=yes`),
      400,
      "BAD_REQUEST",
      "include_delivered",
    );
    const ok = await call<{ messages: unknown[] }>("GET", `/api/runs/${r.id}/inbox?actor_id=lead`);
    expect([ok.status, ok.body.messages]).toEqual([200, []]);
  });

  it("refuses bad sends and acks by field, storing nothing", async () => {
    const r = await newRun();
    const n = (await events(r.id)).length;
    const noFrom = await call("POST", `/api/runs/${r.id}/messages`, { route: "broadcast", payload: {} });
    expectRefused(noFrom, 400, "BAD_REQUEST", "from_actor_id");
    const extra = await call("POST", `/api/runs/${r.id}/messages`, {
      from_actor_id: "a",
      route: "to_leader",
      payload: {},
      priority: "high",
    });
    expectRefused(extra, 400, "BAD_REQUEST", "priority");
    expect(await events(r.id)).toHaveLength(n);
    const inbox = await call<{ messages: unknown[] }>("GET", `/api/runs/${r.id}/inbox?actor_id=lead`);
    expect(inbox.body.messages).toEqual([]);

    const sent = await call<{ message_id: string }>("POST", `/api/runs/${r.id}/messages`, {
      from_actor_id: "a",
      route: "to_leader",
      payload: { t: 1 },
    });
    expect(sent.status).toBe(201);
    const ack = await call("POST", `/api/runs/${r.id}/messages/${sent.body.message_id}/ack`, {
      actor_id: "ghost",
    });
    expectRefused(ack, 400, "UNKNOWN_MEMBER", "actor_id");
    const noActor = await call("POST", `/api/runs/${r.id}/messages/${sent.body.message_id}/ack`, {});
    expectRefused(noActor, 400, "BAD_REQUEST", "actor_id");
    const msg = await call<{ deliveries: { status: string }[] }>(
      "GET",
      `/api/runs/${r.id}/messages/${sent.body.message_id}`,
    );
    expect(msg.body.deliveries).toEqual([{ recipient_id: "lead", status: "pending" }]);
  });
});

describe("reviews, runtime and actor tokens", () => {
  it("refuse unknown filters and bodies by field", async () => {
    const r = await newRun();
    const status = await call("GET", `/api/runs/${r.id}/permission-reviews?status=open`);
    expectRefused(status, 400, "BAD_REQUEST", "status");
    expect(status.body.error).toContain("pending");
    expect(status.body.error).toContain("resolved");
    const list = await call<{ reviews: unknown[] }>(
      "GET",
      `/api/runs/${r.id}/permission-reviews?status=pending`,
    );
    expect([list.status, list.body.reviews]).toEqual([200, []]);
    const answer = await call("POST", `/api/runs/${r.id}/permission-reviews/perm_x/respond`, {
      option: "allow",
    });
    expectRefused(answer, 400, "BAD_REQUEST", "option");

    const stop = await call("POST", `/api/teams/${teamId}/runtime/stop`, { now: true });
    expectRefused(stop, 400, "BAD_REQUEST", "now");
    const rt = await call<{ status: string; members: unknown[] }>("GET", `/api/teams/${teamId}/runtime`);
    expect([rt.status, rt.body.status, rt.body.members.length]).toEqual([200, "stopped", 3]);

    const noMember = await call("POST", `/api/runs/${r.id}/actor-tokens`, {});
    expect([noMember.status, noMember.body.code, noMember.body.error]).toEqual([
      400,
      "MEMBER_ID_REQUIRED",
      "member_id is required",
    ]);
    const ghost = await call("POST", `/api/runs/${r.id}/actor-tokens`, { member_id: "ghost" });
    expectRefused(ghost, 400, "UNKNOWN_MEMBER", "member_id");
    expect(ghost.body.error).toContain("ghost");
  });
});

describe("answers match their documented schemas", () => {
  it("on the success paths of every run route", async () => {
    const r = await newRun({ n: 1 });
    expect((await call("GET", `/api/teams/${teamId}/runs?status=submitted&limit=1`)).status).toBe(200);
    expect((await call("GET", `/api/runs/${r.id}/steps`)).status).toBe(200);
    const added = await call("POST", `/api/runs/${r.id}/steps`, {
      step_key: "extra",
      member_id: "a",
      depends_on: ["join"],
      prompt: "more",
      input: [1, 2],
    });
    expect([added.status, added.body.input]).toEqual([201, [1, 2]]);
    await call("POST", `/api/runs/${r.id}/steps/plan/start`);
    await call("POST", `/api/runs/${r.id}/steps/plan/input_required`, { reason: "which?" });
    expect((await call("POST", `/api/runs/${r.id}/steps/plan/resume`, {})).status).toBe(200);
    const done = await call<{ output: string }>("POST", `/api/runs/${r.id}/steps/plan/complete`, {
      output: { files: 2 },
    });
    expect([done.status, done.body.output]).toEqual([200, '{"files":2}']);
    await call("POST", `/api/runs/${r.id}/steps/left/start`);
    const failed = await call<Step>("POST", `/api/runs/${r.id}/steps/left/fail`, {
      error_text: "no",
      code: "AGENT_EXITED",
    });
    expect([failed.status, failed.body.status]).toEqual([200, "failed"]);
    expect((await call("POST", `/api/runs/${r.id}/resume`)).status).toBe(200);
    expect((await call("POST", `/api/runs/${r.id}/cancel`, {})).status).toBe(200);
    const restarted = await call<Run>("POST", `/api/runs/${r.id}/restart`, { mode: "all" });
    expect([restarted.status, restarted.body.attempt]).toEqual([200, 2]);

    const sent = await call<{ message_id: string }>(
      "POST",
      `/api/runs/${r.id}/messages`,
      { from_actor_id: "human:root", route: "broadcast", payload: "hi" },
      { "idempotency-key": "m1" },
    );
    expect(sent.status).toBe(201);
    const inbox = await call<{ messages: { message_id: string; status: string }[] }>(
      "GET",
      `/api/runs/${r.id}/inbox?actor_id=a&include_delivered=true&after=0&limit=10`,
    );
    expect(inbox.body.messages.map((m) => [m.message_id, m.status])).toEqual([
      [sent.body.message_id, "pending"],
    ]);
    const acked = await call("POST", `/api/runs/${r.id}/messages/${sent.body.message_id}/ack`, {
      actor_id: "a",
    });
    expect([acked.status, acked.body.changed]).toEqual([200, true]);
    expect((await call("GET", `/api/runs/${r.id}/messages/${sent.body.message_id}`)).status).toBe(200);

    const token = await call<{ role: string; env: Record<string, string> }>(
      "POST",
      `/api/runs/${r.id}/actor-tokens`,
      { member_id: "a" },
    );
    expect([token.status, token.body.role, token.body.env.AGENTHUB_RUN_ID]).toEqual([201, "worker", r.id]);
    const page = await call<{ events: unknown[]; next_cursor: string | null }>(
      "GET",
      `/api/runs/${r.id}/events?cursor=0&limit=2`,
    );
    expect([page.body.events.length, page.body.next_cursor]).toEqual([2, "2"]);
  });
});
