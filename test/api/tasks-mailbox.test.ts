import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let teamId: string;

beforeEach(async () => {
  h = await startHubWithRoot();
  teamId = (
    await api<{ id: string }>(h.url, "POST", "/api/teams", {
      token: h.rootToken,
      body: { name: "t", spec: singleSpec() },
    })
  ).body.id;
});
afterEach(async () => {
  await h.close();
});

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T & { error: string; code: string }>(h.url, method, path, { token: h.rootToken, body });

type Task = { id: string; status: string; title: string; assigned_member_id: string | null };

describe("tasks and conversations", () => {
  it("creates, filters, transitions tasks and keeps one conversation per task", async () => {
    const noTitle = await call("POST", `/api/teams/${teamId}/tasks`, {});
    expect([noTitle.status, noTitle.body.error]).toEqual([400, "title is required"]);
    const ghost = await call("POST", `/api/teams/${teamId}/tasks`, {
      title: "x",
      assigned_member_id: "ghost",
    });
    expect(ghost.status).toBe(400);
    const t = await call<Task>("POST", `/api/teams/${teamId}/tasks`, {
      title: "Fix bug",
      assigned_member_id: "w1",
      priority: 2,
    });
    expect(t.status).toBe(201);
    await call("POST", `/api/teams/${teamId}/tasks`, { title: "Other" });
    const filtered = await call<{ tasks: Task[] }>("GET", `/api/teams/${teamId}/tasks?assigned_member_id=w1`);
    expect(filtered.body.tasks.map((x) => x.title)).toEqual(["Fix bug"]);

    const p1 = await call<Task>("PATCH", `/api/teams/${teamId}/tasks/${t.body.id}`, {
      status: "in_progress",
    });
    expect(p1.body.status).toBe("in_progress");
    await call("PATCH", `/api/teams/${teamId}/tasks/${t.body.id}`, { status: "completed" });
    const illegal = await call("PATCH", `/api/teams/${teamId}/tasks/${t.body.id}`, { status: "in_progress" });
    expect([illegal.status, illegal.body.code]).toEqual([409, "ILLEGAL_TRANSITION"]);
    const byStatus = await call<{ tasks: Task[] }>("GET", `/api/teams/${teamId}/tasks?status=completed`);
    expect(byStatus.body.tasks).toHaveLength(1);

    const missing = await call("GET", `/api/teams/${teamId}/tasks/task_nope`);
    expect([missing.status, missing.body.error]).toEqual([404, "task not found"]);
    const missingConv = await call("GET", `/api/teams/${teamId}/tasks/task_nope/conversation`);
    expect(missingConv.body.error).toBe("task not found");

    const conv = await call<{ id: string }>("GET", `/api/teams/${teamId}/tasks/${t.body.id}/conversation`);
    expect(conv.body.id).toMatch(/^conv_/);
    const base = `/api/teams/${teamId}/tasks/${t.body.id}/conversation/messages`;
    const m = await call<{ id: string; recipients: string[] }>("POST", base, {
      from_actor_id: "lead",
      route: "to_member",
      to_actor_id: "w1",
      payload: { text: "please look" },
    });
    expect(m.status).toBe(201);
    expect(m.body.recipients).toEqual(["w1"]);
    const list = await call<{ messages: { id: string }[] }>("GET", base);
    expect(list.body.messages.map((x) => x.id)).toEqual([m.body.id]);
    expect((await call("GET", `${base}/${m.body.id}`)).status).toBe(200);
    const nf = await call("GET", `${base}/msg_nope`);
    expect([nf.status, nf.body.error]).toEqual([404, "message not found"]);
  });
});

describe("run mailbox", () => {
  let runId: string;
  beforeEach(async () => {
    runId = (await call<{ id: string }>("POST", `/api/teams/${teamId}/runs`, { input: "x" })).body.id;
  });

  const send = (body: Record<string, unknown>) =>
    call<{ message_id: string; recipients: string[]; duplicate: boolean }>(
      "POST",
      `/api/runs/${runId}/messages`,
      body,
    );

  it("validates routes with the contract's messages", async () => {
    const noTo = await send({ from_actor_id: "lead", route: "to_member", payload: {} });
    expect([noTo.status, noTo.body.error]).toEqual([400, "to_actor_id is required when route=to_member"]);
    const badRoute = await send({ from_actor_id: "lead", route: "shout", payload: {} });
    expect([badRoute.status, badRoute.body.error]).toEqual([
      400,
      "route must be one of: broadcast, to_leader, to_member",
    ]);
    const ghost = await send({
      from_actor_id: "lead",
      route: "to_member",
      to_actor_id: "ghost",
      payload: {},
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error).toContain("ghost");
  });

  it("routes broadcast to everyone but the sender, to_leader to the leader", async () => {
    const b = await send({ from_actor_id: "w1", route: "broadcast", payload: { text: "hi" } });
    expect(b.body.recipients.sort()).toEqual(["lead", "w2"]);
    const l = await send({ from_actor_id: "w2", route: "to_leader", payload: { text: "done" } });
    expect(l.body.recipients).toEqual(["lead"]);
  });

  it("keeps inbox order, and ack is idempotent and says whether it changed anything", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await send({ from_actor_id: "w1", route: "to_leader", payload: { n: i } })).body.message_id);
    }
    const inbox = await call<{ messages: { message_id: string }[] }>(
      "GET",
      `/api/runs/${runId}/inbox?actor_id=lead`,
    );
    expect(inbox.body.messages.map((m) => m.message_id)).toEqual(ids);
    const first = await call<{ changed: boolean }>("POST", `/api/runs/${runId}/messages/${ids[0]}/ack`, {
      actor_id: "lead",
    });
    expect(first.body.changed).toBe(true);
    const second = await call<{ changed: boolean }>("POST", `/api/runs/${runId}/messages/${ids[0]}/ack`, {
      actor_id: "lead",
    });
    expect([second.status, second.body.changed]).toEqual([200, false]);
    const after = await call<{ messages: { message_id: string }[] }>(
      "GET",
      `/api/runs/${runId}/inbox?actor_id=lead`,
    );
    expect(after.body.messages.map((m) => m.message_id)).toEqual(ids.slice(1));
    const notMine = await call("POST", `/api/runs/${runId}/messages/${ids[1]}/ack`, { actor_id: "w2" });
    expect([notMine.status, notMine.body.error]).toEqual([404, "message not found"]);
    const paged = await call<{ messages: { message_id: string }[] }>(
      "GET",
      `/api/runs/${runId}/inbox?actor_id=lead&limit=1`,
    );
    expect(paged.body.messages.map((m) => m.message_id)).toEqual([ids[1]]);
  });

  it("stores one message for concurrent sends with the same idempotency key", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        send({ from_actor_id: "w1", route: "to_leader", payload: { x: 1 }, idempotency_key: "k1" }),
      ),
    );
    expect(new Set(results.map((r) => r.body.message_id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.body.duplicate)).toHaveLength(9);
    const inbox = await call<{ messages: unknown[] }>("GET", `/api/runs/${runId}/inbox?actor_id=lead`);
    expect(inbox.body.messages).toHaveLength(1);
    // The same key from another sender is another message.
    const other = await send({ from_actor_id: "w2", route: "to_leader", payload: {}, idempotency_key: "k1" });
    expect(other.body.duplicate).toBe(false);
  });

  it("records mailbox traffic in the run's event log and survives a restart", async () => {
    const m = await send({ from_actor_id: "w1", route: "to_leader", payload: { t: 1 } });
    const events = await call<{ events: { kind: string }[] }>("GET", `/api/runs/${runId}/events`);
    expect(events.body.events.map((e) => e.kind)).toContain("mailbox.sent");
    const token = h.rootToken;
    h = Object.assign(await h.restart(), { rootToken: token, rootPassword: "" });
    const inbox = await call<{ messages: { message_id: string }[] }>(
      "GET",
      `/api/runs/${runId}/inbox?actor_id=lead`,
    );
    expect(inbox.body.messages.map((x) => x.message_id)).toEqual([m.body.message_id]);
  });
});
