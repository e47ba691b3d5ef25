import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../../src/domain/webhook-schedule.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec } from "../helpers/specs.js";
import { waitUntil } from "../helpers/wait-until.js";
import { type Receiver, startReceiver, verified } from "../helpers/webhook-receiver.js";

type Hub = Awaited<ReturnType<typeof startHubWithRoot>>;
type Delivery = {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
};
type Hook = { id: string; secret: string; status: string; disabled_reason: string | null };

const ms = (iso: string | null) => Date.parse(iso ?? "");

let h: Hub | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

/** A hub on a frozen clock (only the test moves it) with a team whose runs wait (runtime stopped). */
async function open() {
  // The session outlives the days the clock is moved by.
  h = await startHubWithRoot({ server: { session_ttl_hours: 24 * 30 } });
  const hub = h;
  const call = <T>(method: string, path: string, body?: unknown) =>
    api<T>(hub.url, method, path, { token: hub.rootToken, body });
  const team = await call<{ id: string }>("POST", "/api/teams", { name: "t", spec: diamondSpec() });
  return {
    hub,
    call,
    async hook(url: string, body: Record<string, unknown> = {}): Promise<Hook> {
      const r = await call<Hook>("POST", "/api/webhooks", { url, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    /** A run, canceled at once: `run.canceled`. */
    async canceledRun(): Promise<string> {
      const run = await call<{ id: string }>("POST", `/api/teams/${team.body.id}/runs`, { input: {} });
      expect((await call("POST", `/api/runs/${run.body.id}/cancel`)).status).toBe(200);
      return run.body.id;
    },
    async deliveries(hookId: string): Promise<Delivery[]> {
      const r = await call<{ deliveries: Delivery[] }>("GET", `/api/webhooks/${hookId}/deliveries`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.deliveries;
    },
    /**
     * The newest delivery once its attempt `attempts` is recorded (the receiver has a request before the
     * hub has read the answer): no longer pending, or pending with its next attempt scheduled.
     */
    async recorded(hookId: string, attempts: number): Promise<Delivery> {
      return waitUntil(`attempt ${attempts} of ${hookId} recorded`, async () => {
        const [d] = await this.deliveries(hookId);
        const done =
          d?.attempts === attempts &&
          (d.status !== "pending" || ms(d.next_attempt_at) > ms(d.last_attempt_at));
        return done && d;
      });
    },
    worker: hub.hub.services.notifications.worker,
    /** Moves the hub's clock and lets the worker look at the outbox (its claims are synchronous). */
    async advance(ms: number): Promise<void> {
      hub.clock.advance(ms);
      hub.hub.services.notifications.worker.wake();
      await nextTurn();
      await nextTurn();
    },
  };
}

describe("webhook retries", () => {
  it("a receiver failing the first attempts gets the retries on the schedule, under one webhook-id, each signed", async () => {
    const t = await open();
    const rx = await receiver((n) => (n < 3 ? [500, 500, 503][n]! : 200));
    const outcomes: string[] = [];
    t.worker.metrics = { webhookDelivery: (o) => outcomes.push(o) };
    const hook = await t.hook(rx.url);
    const runId = await t.canceledRun();

    await rx.next(1);
    let d = await t.recorded(hook.id, 1);
    expect(d).toMatchObject({
      event_type: "run.canceled",
      status: "pending",
      attempts: 1,
      last_status_code: 500,
    });
    expect(d.last_error).toBe("HTTP 500: receiver says no");

    for (const [i, delay] of RETRY_DELAYS_MS.slice(0, 3).entries()) {
      // The jitter is at most ±10 %: before 90 % of the delay nothing is sent.
      const wait = ms(d.next_attempt_at) - ms(d.last_attempt_at);
      expect(wait).toBeGreaterThanOrEqual(delay * 0.9);
      expect(wait).toBeLessThanOrEqual(delay * 1.1);
      await t.advance(Math.floor(delay * 0.9) - 1);
      expect((await t.deliveries(hook.id))[0]!.attempts).toBe(i + 1);
      await t.advance(wait - Math.floor(delay * 0.9) + 1);
      await rx.next(i + 2);
      d = await t.recorded(hook.id, i + 2);
    }
    expect(d).toMatchObject({ status: "delivered", attempts: 4, last_status_code: 200, last_error: null });
    expect(d.next_attempt_at).toBeNull();
    // Each attempt's outcome reaches the metrics (agenthub_webhook_deliveries_total{outcome}).
    expect(outcomes).toEqual(["failed", "failed", "failed", "delivered"]);

    // Every attempt: the same webhook-id (the delivery's), the same body, a timestamp of the attempt,
    // and a signature the standardwebhooks package accepts at that time.
    expect(rx.got).toHaveLength(4);
    expect(new Set(rx.got.map((r) => r.headers["webhook-id"]))).toEqual(new Set([d.id]));
    expect(new Set(rx.got.map((r) => r.body)).size).toBe(1);
    const stamps = rx.got.map((r) => Number(r.headers["webhook-timestamp"]) * 1000);
    for (const [i, r] of rx.got.entries()) {
      const payload = verified(hook.secret, r, stamps[i]) as { type: string; data: { run: { id: string } } };
      expect(payload).toMatchObject({
        type: "run.canceled",
        data: { run: { id: runId, status: "canceled" } },
      });
    }
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0]! * 0.9 - 1000);
    expect(stamps[3]! - stamps[2]!).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[2]! * 0.9 - 1000);
    // A signature made with another secret is refused by the package.
    expect(() => verified(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, rx.got[0]!, stamps[0])).toThrow(
      /No matching signature/,
    );
  });

  it("after the last attempt the delivery is failed and shown; an endpoint failing for five days is disabled with an event", async () => {
    const t = await open();
    const down = await receiver(() => 500);
    const ops = await receiver(() => 200);
    const failing = await t.hook(down.url, { description: "always down" });
    const watcher = await t.hook(ops.url, { event_types: ["webhook.disabled"] });
    const started = t.hub.clock.now();

    await t.canceledRun();
    await down.next(1);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const d = await t.recorded(failing.id, attempt - 1);
      await t.advance(ms(d.next_attempt_at) - t.hub.clock.now());
      await down.next(attempt);
    }
    const last = await t.recorded(failing.id, MAX_ATTEMPTS);
    expect(last).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      next_attempt_at: null,
      last_status_code: 500,
    });
    // Nothing more is sent for it, however long one waits.
    await t.advance(RETRY_DELAYS_MS.at(-1)! * 2);
    expect(down.got).toHaveLength(MAX_ATTEMPTS);
    expect((await t.call<Hook>("GET", `/api/webhooks/${failing.id}`)).body.status).toBe("enabled");

    // Still failing five days after its first failure: the next failure disables it.
    await t.advance(started + DISABLE_AFTER_MS - t.hub.clock.now());
    await t.canceledRun();
    await down.next(MAX_ATTEMPTS + 1);
    const [notice] = await ops.next(1);
    const disabled = (await t.call<Hook>("GET", `/api/webhooks/${failing.id}`)).body;
    expect(disabled.status).toBe("disabled");
    expect(disabled.disabled_reason).toMatch(/^every attempt failed since /);
    const body = verified(watcher.secret, notice!, Number(notice!.headers["webhook-timestamp"]) * 1000);
    expect(body).toMatchObject({
      type: "webhook.disabled",
      data: { webhook: { id: failing.id, description: "always down", origin: new URL(down.url).origin } },
    });
    expect(JSON.stringify(body)).not.toContain("/hook");
    const [newest] = await t.deliveries(failing.id);
    expect(newest).toMatchObject({ status: "failed", attempts: 1 });
    expect(newest!.last_error).toMatch(/^webhook disabled: /);

    // Disabled: new events get no delivery to it.
    await t.canceledRun();
    await t.advance(60_000);
    expect(await t.deliveries(failing.id)).toHaveLength(2);
    expect(down.got).toHaveLength(MAX_ATTEMPTS + 1);
  });
});
