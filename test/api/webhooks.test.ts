import { afterEach, describe, expect, it } from "vitest";
import type { ConfigInput } from "../../src/config/config-schema.js";
import { addUser, api, startHubWithRoot } from "../helpers/hub-harness.js";
import { diamondSpec } from "../helpers/specs.js";
import { waitUntil } from "../helpers/wait-until.js";
import { type Receiver, startReceiver, verified } from "../helpers/webhook-receiver.js";

type Hub = Awaited<ReturnType<typeof startHubWithRoot>>;
type Body = Record<string, unknown> & { code?: string; error?: string; details?: Record<string, unknown> };

let h: Hub | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const r of receivers.splice(0)) await r.close();
});

const PUBLIC = "https://hub.example.test";

async function open(overrides: ConfigInput = {}) {
  h = await startHubWithRoot({ ...overrides, server: { public_url: `${PUBLIC}/`, ...overrides.server } });
  const hub = h;
  const as =
    (token: string) =>
    <T = Body>(method: string, path: string, body?: unknown) =>
      api<T & Body>(hub.url, method, path, { token, body });
  const root = as(hub.rootToken);
  const alice = as(await addUser(hub, hub.rootToken, "alice"));
  const bob = as(await addUser(hub, hub.rootToken, "bob"));
  const team = async (call: typeof root, name: string) => {
    const r = await call<{ id: string }>("POST", "/api/teams", { name, spec: diamondSpec() });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  };
  const canceledRun = async (call: typeof root, teamId: string) => {
    const run = await call<{ id: string }>("POST", `/api/teams/${teamId}/runs`, { input: {} });
    expect((await call("POST", `/api/runs/${run.body.id}/cancel`)).status).toBe(200);
    return run.body.id;
  };
  return { hub, root, alice, bob, team, canceledRun };
}

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

const expectError = (r: { status: number; body: Body }, status: number, code: string) =>
  expect([r.status, r.body.code], JSON.stringify(r.body)).toEqual([status, code]);

describe("POST/GET/DELETE /api/webhooks", () => {
  it("root creates a global webhook; its whsec_ secret is shown once, never in GET answers or logs", async () => {
    const t = await open();
    const created = await t.root("POST", "/api/webhooks", {
      url: "http://127.0.0.1:9/hook",
      description: "ops",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      team_id: null,
      url: "http://127.0.0.1:9/hook",
      format: "standard",
      status: "enabled",
      description: "ops",
      event_types: [
        "review.pending",
        "step.input_required",
        "run.completed",
        "run.failed",
        "run.canceled",
        "node.offline",
        "node.online",
        "webhook.disabled",
      ],
    });
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    const id = String(created.body.id);

    const one = await t.root("GET", `/api/webhooks/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("secret");
    const list = await t.root<{ webhooks: Body[] }>("GET", "/api/webhooks");
    expect(list.body.webhooks.map((w) => w.id)).toEqual([id]);
    const secretPart = secret.slice(6);
    expect(JSON.stringify(list.body)).not.toContain(secretPart);
    expect(JSON.stringify(one.body)).not.toContain(secretPart);
    expect(t.hub.logs()).not.toContain(secretPart);

    expect((await t.root("DELETE", `/api/webhooks/${id}`)).status).toBe(204);
    expectError(await t.root("GET", `/api/webhooks/${id}`), 404, "WEBHOOK_NOT_FOUND");
    expectError(await t.root("DELETE", `/api/webhooks/${id}`), 404, "WEBHOOK_NOT_FOUND");
  });

  it("refuses URLs that are not http(s), carry credentials or are not absolute, and unknown event types", async () => {
    const t = await open();
    for (const url of [
      "ftp://example.com/x",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "/relative",
      "not a url",
    ]) {
      const r = await t.root("POST", "/api/webhooks", { url });
      expectError(r, 400, "WEBHOOK_URL_INVALID");
      expect(r.body.details?.field).toBe("url");
    }
    const creds = await t.root("POST", "/api/webhooks", { url: "https://user:pw@example.com/x" });
    expectError(creds, 400, "WEBHOOK_URL_INVALID");
    expect(creds.body.error).toContain("user name or password");
    expectError(
      await t.root("POST", "/api/webhooks", { url: "https://example.com", event_types: ["run.exploded"] }),
      400,
      "BAD_REQUEST",
    );
    expectError(
      await t.root("POST", "/api/webhooks", { url: "https://example.com", event_types: [] }),
      400,
      "BAD_REQUEST",
    );
    expectError(
      await t.root("POST", "/api/webhooks", { url: "https://example.com", format: "xml" }),
      400,
      "BAD_REQUEST",
    );
    expectError(
      await t.root("POST", "/api/webhooks", { url: "https://example.com", secret: "mine" }),
      400,
      "BAD_REQUEST",
    );
    expect((await t.root<{ webhooks: unknown[] }>("GET", "/api/webhooks")).body.webhooks).toEqual([]);
  });

  it("team owners manage their team's webhooks only; global ones are root's; private targets are refused to them", async () => {
    const t = await open();
    const aliceTeam = await t.team(t.alice, "alice-team");
    expectError(
      await t.alice("POST", "/api/webhooks", { url: "https://example.com/a" }),
      403,
      "ROOT_REQUIRED",
    );
    const bobTeam = await t.team(t.bob, "bob-team");
    expectError(
      await t.alice("POST", "/api/webhooks", { url: "https://93.184.215.14/a", team_id: bobTeam }),
      404,
      "TEAM_NOT_FOUND",
    );
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://localhost:8080/x",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/x",
      "http://192.168.0.10/x",
      "http://[fd00::1]/x",
    ]) {
      const r = await t.alice("POST", "/api/webhooks", { url, team_id: aliceTeam });
      expectError(r, 400, "WEBHOOK_TARGET_PRIVATE");
      expect(r.body.details).toMatchObject({ config_key: "webhooks.allow_private_targets" });
    }
    const mine = await t.alice("POST", "/api/webhooks", {
      url: "https://93.184.215.14/a",
      team_id: aliceTeam,
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    // Root may target anything, for any team.
    const rootHook = await t.root("POST", "/api/webhooks", { url: "http://127.0.0.1:1/x", team_id: bobTeam });
    expect(rootHook.status).toBe(201);

    const aliceList = await t.alice<{ webhooks: Body[] }>("GET", "/api/webhooks");
    expect(aliceList.body.webhooks.map((w) => w.id)).toEqual([mine.body.id]);
    expect(
      (await t.bob<{ webhooks: Body[] }>("GET", "/api/webhooks")).body.webhooks.map((w) => w.id),
    ).toEqual([rootHook.body.id]);
    expect((await t.root<{ webhooks: Body[] }>("GET", "/api/webhooks")).body.webhooks).toHaveLength(2);
    expect(
      (await t.root<{ webhooks: Body[] }>("GET", `/api/webhooks?team_id=${aliceTeam}`)).body.webhooks.map(
        (w) => w.id,
      ),
    ).toEqual([mine.body.id]);
    expectError(await t.bob("GET", `/api/webhooks?team_id=${aliceTeam}`), 404, "TEAM_NOT_FOUND");
    for (const path of [`/api/webhooks/${mine.body.id}`, `/api/webhooks/${mine.body.id}/deliveries`]) {
      expectError(await t.bob("GET", path), 404, "WEBHOOK_NOT_FOUND");
    }
    expectError(await t.bob("DELETE", `/api/webhooks/${mine.body.id}`), 404, "WEBHOOK_NOT_FOUND");
    expect((await t.root("GET", `/api/webhooks/${mine.body.id}`)).status).toBe(200);

    // A deleted team takes its webhooks along.
    expect((await t.alice("DELETE", `/api/teams/${aliceTeam}`)).status).toBe(200);
    expectError(await t.root("GET", `/api/webhooks/${mine.body.id}`), 404, "WEBHOOK_NOT_FOUND");
  });

  it("with allow_private_targets, a team webhook gets its team's events only, a global one every team's, by subscription", async () => {
    const t = await open({ webhooks: { allow_private_targets: true } });
    const aliceTeam = await t.team(t.alice, "alice-team");
    const otherTeam = await t.team(t.root, "root-team");
    const teamRx = await receiver();
    const globalRx = await receiver();
    const teamHook = await t.alice("POST", "/api/webhooks", { url: teamRx.url, team_id: aliceTeam });
    expect(teamHook.status, JSON.stringify(teamHook.body)).toBe(201);
    const globalHook = await t.root("POST", "/api/webhooks", { url: globalRx.url });
    const completedOnly = await t.root("POST", "/api/webhooks", {
      url: globalRx.url,
      event_types: ["run.completed"],
    });

    const aliceRun = await t.canceledRun(t.alice, aliceTeam);
    const otherRun = await t.canceledRun(t.root, otherTeam);
    const both = await globalRx.next(2);
    const runsSeen = both.map(
      (r) => (verified(String(globalHook.body.secret), r) as { data: { run: { id: string } } }).data.run.id,
    );
    expect(runsSeen.sort()).toEqual([aliceRun, otherRun].sort());
    const [teamGot] = await teamRx.next(1);
    const payload = verified(String(teamHook.body.secret), teamGot!) as Record<string, unknown>;
    expect(payload).toEqual({
      type: "run.canceled",
      timestamp: expect.any(String),
      data: {
        run: {
          id: aliceRun,
          status: "canceled",
          attempt: 1,
          error: { code: "CANCELLED", message: "canceled by user" },
          url: `${PUBLIC}/runs/${aliceRun}`,
        },
        team: { id: aliceTeam, name: "alice-team", url: `${PUBLIC}/teams/${aliceTeam}` },
      },
    });
    // The receiver has the request before the hub has read its answer: wait for it to be recorded.
    const teamDeliveries = await waitUntil("the team delivery recorded", async () => {
      const r = await t.alice<{ deliveries: Body[] }>("GET", `/api/webhooks/${teamHook.body.id}/deliveries`);
      return r.body.deliveries[0]?.status === "delivered" && r;
    });
    expect(teamDeliveries.body.deliveries).toHaveLength(1);
    expect(teamDeliveries.body.deliveries[0]).toMatchObject({
      id: teamGot!.headers["webhook-id"],
      event_type: "run.canceled",
      status: "delivered",
      attempts: 1,
      last_status_code: 204,
    });
    // Pages of deliveries, newest first.
    type Page = { deliveries: Body[]; next_cursor: string | null };
    const page1 = await t.root<Page>("GET", `/api/webhooks/${globalHook.body.id}/deliveries?limit=1`);
    expect(page1.body.deliveries).toHaveLength(1);
    expect(page1.body.next_cursor).not.toBeNull();
    const page2 = await t.root<Page>(
      "GET",
      `/api/webhooks/${globalHook.body.id}/deliveries?limit=1&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.deliveries.map((d) => d.id)).not.toEqual(page1.body.deliveries.map((d) => d.id));
    const seen = [...page1.body.deliveries, ...page2.body.deliveries].map((d) => d.id).sort();
    expect(seen).toEqual(both.map((r) => r.headers["webhook-id"]).sort());
    expect(Date.parse(String(page1.body.deliveries[0]!.created_at))).toBeGreaterThanOrEqual(
      Date.parse(String(page2.body.deliveries[0]!.created_at)),
    );
    const failed = await t.root<Page>("GET", `/api/webhooks/${globalHook.body.id}/deliveries?status=failed`);
    expect(failed.body.deliveries).toEqual([]);
    // Subscribed to run.completed only: no delivery for canceled runs.
    const none = await t.root<{ deliveries: Body[] }>(
      "GET",
      `/api/webhooks/${completedOnly.body.id}/deliveries`,
    );
    expect(none.body.deliveries).toEqual([]);
    expect(teamRx.got).toHaveLength(1);
  });

  it('format "slack" posts a signed {"text": …} body with a link to the console', async () => {
    const t = await open();
    const teamId = await t.team(t.root, "slacky");
    const rx = await receiver();
    const hook = await t.root("POST", "/api/webhooks", { url: rx.url, format: "slack", team_id: teamId });
    expect(hook.body.format).toBe("slack");
    const runId = await t.canceledRun(t.root, teamId);
    const [got] = await rx.next(1);
    const body = verified(String(hook.body.secret), got!) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toBe(
      `:no_entry_sign: Run <${PUBLIC}/runs/${runId}|${runId}> of team <${PUBLIC}/teams/${teamId}|slacky> was canceled: canceled by user`,
    );
    expect(got!.headers["content-type"]).toBe("application/json");
  });

  it("is in the OpenAPI document", async () => {
    const t = await open();
    const doc = await api<{ paths: Record<string, Record<string, unknown>> }>(
      t.hub.url,
      "GET",
      "/api/openapi.json",
    );
    expect(Object.keys(doc.body.paths["/api/webhooks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.body.paths["/api/webhooks/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
    expect(Object.keys(doc.body.paths["/api/webhooks/{id}/deliveries"] ?? {})).toEqual(["get"]);
    expect(t.hub.hub.app?.routesWithoutSchema()).toEqual([]);
  });
});
