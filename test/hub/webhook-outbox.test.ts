import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { AuthService } from "../../src/hub/auth-service.js";
import { HubServices } from "../../src/hub/hub-services.js";
import { openDatabase } from "../../src/store/database.js";
import { systemClock } from "../../src/util/clock.js";
import { createLogger } from "../../src/util/logger.js";
import { diamondSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Hub services over a fresh database, the delivery worker not started (the outbox is what is checked). */
async function setup() {
  const dir = tempDir("agenthub-outbox-");
  cleanups.push(dir.cleanup);
  const db = openDatabase(join(dir.path, "hub.db"));
  cleanups.push(() => db.close());
  db.prepare(
    "INSERT INTO users (id, username, password_hash, is_root, created_at) VALUES ('u1', 'root', 'x', 1, 0)",
  ).run();
  const root = { user_id: "u1", username: "root", is_root: true };
  const s = new HubServices(db, systemClock, new AuthService(db, systemClock, 3_600_000), {
    logger: createLogger({ level: "silent", format: "json", destination: new PassThrough() }),
    publicUrl: () => "https://hub.test",
    allowPrivateTargets: false,
    retentionMs: 86_400_000,
  });
  const team = await s.teams.create(root, { name: "t", spec: diamondSpec() });
  const count = (table: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const newRun = () => s.runs.create(root, team.id, { input: {} }).run.id;
  const hook = (eventTypes?: ("run.canceled" | "run.completed")[]) =>
    s.notifications.webhooks.create(root, { url: "https://93.184.215.14/hook", eventTypes });
  return { db, s, root, count, newRun, hook };
}

describe("the notification outbox", () => {
  it("records one event and one pending delivery per subscribed webhook with the run event; other run events none", async () => {
    const t = await setup();
    // No webhook: nothing is recorded at all.
    t.s.runs.cancel({ kind: "system" }, t.newRun());
    expect([t.count("webhook_events"), t.count("webhook_deliveries")]).toEqual([0, 0]);

    const a = await t.hook();
    const b = await t.hook(["run.canceled"]);
    await t.hook(["run.completed"]);
    const runId = t.newRun();
    expect(t.count("webhook_events")).toBe(0);
    t.s.runs.cancel({ kind: "system" }, runId);
    expect(t.count("webhook_events")).toBe(1);
    const rows = t.db
      .prepare(
        "SELECT webhook_id, status, attempts, next_attempt_at FROM webhook_deliveries ORDER BY webhook_id",
      )
      .all() as { webhook_id: string; status: string; attempts: number }[];
    expect(rows.map((r) => r.webhook_id).sort()).toEqual([a.webhook.id, b.webhook.id].sort());
    for (const r of rows) expect(r).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("raises step.input_required with the step, its member and the reason", async () => {
    const t = await setup();
    await t.hook();
    const runId = t.newRun();
    t.s.runs.transitionStep({ kind: "system" }, runId, "plan", { action: "start" });
    t.s.runs.transitionStep({ kind: "system" }, runId, "plan", {
      action: "input_required",
      reason: "which db?",
    });
    // The run's own input_required is the same news: one notification, the step's.
    expect(t.s.runs.events.page(runId, 0, 100).map((e) => e.kind)).toContain("run.input_required");
    const rows = t.db.prepare("SELECT type, data_json FROM webhook_events").all() as {
      type: string;
      data_json: string;
    }[];
    expect(rows.map((r) => r.type)).toEqual(["step.input_required"]);
    expect(JSON.parse(rows[0]!.data_json)).toMatchObject({
      run: { id: runId, attempt: 1, console_path: `/runs/${runId}` },
      step: { key: "plan", member_id: "lead", attempt: 1, reason: "which db?" },
      attention: { console_path: "/attention" },
    });
    // The run's status is not in a step's notification (it was written before the run's was derived).
    expect(JSON.parse(rows[0]!.data_json).run).not.toHaveProperty("status");
  });

  it("raises review.pending for reviews waiting for a human only (a leader-routed one is its agent's to answer)", async () => {
    const t = await setup();
    await t.hook();
    const runId = t.newRun();
    const requested = (reviewer: string) =>
      t.s.runs.appendEvent(runId, "review.requested", "plan", {
        review_id: `rev_${reviewer}`,
        requester: "a",
        reviewer,
        tool_call: "write f.txt",
        options: ["allow_once", "reject_once"],
      });
    requested("lead");
    expect(t.count("webhook_events")).toBe(0);
    requested("human");
    const rows = t.db.prepare("SELECT type, data_json FROM webhook_events").all() as {
      type: string;
      data_json: string;
    }[];
    expect(rows.map((r) => r.type)).toEqual(["review.pending"]);
    expect(JSON.parse(rows[0]!.data_json)).toMatchObject({
      review: { id: "rev_human", reviewer: "human", tool_call: "write f.txt" },
      step: { key: "plan", member_id: "lead" },
      attention: { console_path: "/attention" },
    });
  });

  it("is written in the producer's transaction: a rollback takes both, a failing outbox write fails the producer", async () => {
    const t = await setup();
    await t.hook();
    const runId = t.newRun();
    expect(() =>
      t.db.transaction(() => {
        t.s.runs.cancel({ kind: "system" }, runId);
        throw new Error("later step of the same transaction failed");
      })(),
    ).toThrow(/later step/);
    expect(t.s.runs.byId(runId).status).not.toBe("canceled");
    expect([t.count("webhook_events"), t.count("webhook_deliveries")]).toEqual([0, 0]);

    t.db.exec(
      "CREATE TRIGGER outbox_full BEFORE INSERT ON webhook_deliveries BEGIN SELECT RAISE(ABORT, 'outbox full'); END",
    );
    expect(() => t.s.runs.cancel({ kind: "system" }, runId)).toThrow(/outbox full/);
    expect(t.s.runs.byId(runId).status).not.toBe("canceled");
    const kinds = t.s.runs.events.page(runId, 0, 100).map((e) => e.kind);
    expect(kinds).not.toContain("run.canceled");
    expect(t.count("webhook_events")).toBe(0);

    t.db.exec("DROP TRIGGER outbox_full");
    t.s.runs.cancel({ kind: "system" }, runId);
    expect([t.count("webhook_events"), t.count("webhook_deliveries")]).toEqual([1, 1]);
  });
});
