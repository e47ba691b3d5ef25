import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JOIN_TTL_MS } from "../../src/hub/auth-service.js";
import {
  addUser,
  api,
  type Harness,
  parseBanner,
  startHub,
  startHubWithRoot,
} from "../helpers/hub-harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PASSWORD = "root password 123";

async function joinRoot(hub: Harness, overrides: Record<string, unknown> = {}) {
  const { join_token, pin } = parseBanner(hub.banner);
  return api<{ token: string; error: string; code: string }>(hub.url, "POST", "/api/join", {
    body: { join_token, pin, username: "root", password: PASSWORD, ...overrides },
  });
}

describe("root bootstrap and join", () => {
  it("prints a challenge once, writes it 0600, and joins root", async () => {
    h = await startHub();
    const { join_token, pin } = parseBanner(h.banner);
    expect(pin).toMatch(/^\d{6}$/);
    const file = join(h.home, "bootstrap-join.txt");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await api(h.url, "GET", "/api/auth/status")).body).toMatchObject({ root_initialized: false });

    const res = await joinRoot(h);
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const me = await api(h.url, "GET", "/api/me", { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: "root", is_root: true });
    expect((await api(h.url, "GET", "/api/auth/status")).body).toMatchObject({ root_initialized: true });

    // The same challenge cannot be used twice.
    const again = await api(h.url, "POST", "/api/join", {
      body: { join_token, pin, username: "root2", password: PASSWORD },
    });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: "invalid join token", code: "INVALID_JOIN_TOKEN" });
  });

  it("rejects an unknown join token and a wrong pin with the contract's messages", async () => {
    h = await startHub();
    const bad = await joinRoot(h, { join_token: "ahj_nope" });
    expect([bad.status, bad.body.error]).toEqual([401, "invalid join token"]);
    expect(bad.body).toHaveProperty("request_id");
    const pin = await joinRoot(h, { pin: "000000" === parseBanner(h.banner).pin ? "111111" : "000000" });
    expect([pin.status, pin.body.error]).toEqual([401, "invalid pin"]);
  });

  it("burns a challenge after 5 wrong PINs", async () => {
    h = await startHub();
    const real = parseBanner(h.banner).pin;
    const wrong = real === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const r = await joinRoot(h, { pin: wrong });
      expect(r.body.error).toBe("invalid pin");
    }
    const r = await joinRoot(h);
    expect([r.status, r.body.error]).toEqual([401, "invalid join token"]);
  });

  it("counts parallel wrong PINs one by one: 8 at once get 5 'invalid pin', then the challenge is burned", async () => {
    const hub = await startHub();
    h = hub;
    const real = parseBanner(hub.banner).pin;
    const wrong = real === "000000" ? "111111" : "000000";
    const all = await Promise.all(Array.from({ length: 8 }, () => joinRoot(hub, { pin: wrong })));
    const errors = all.map((r) => r.body.error).sort();
    expect(errors.filter((e) => e === "invalid pin")).toHaveLength(5);
    expect(errors.filter((e) => e === "invalid join token")).toHaveLength(3);
    // Even the right PIN cannot use a burned challenge.
    expect((await joinRoot(hub)).body.error).toBe("invalid join token");
  });

  it("refuses an expired challenge", async () => {
    h = await startHub();
    h.clock.advance(JOIN_TTL_MS + 1);
    const r = await joinRoot(h);
    expect([r.status, r.body.error, r.body.code]).toEqual([401, "join token expired", "JOIN_TOKEN_EXPIRED"]);
  });

  it("refuses a second root: root already initialized", async () => {
    h = await startHub();
    // Two root challenges exist (e.g. from `agenthub join-challenge`); only one root can be created.
    const second = await h.hub.auth.createRootChallenge();
    expect((await joinRoot(h)).status).toBe(201);
    const r = await api(h.url, "POST", "/api/join", {
      body: { join_token: second.join_token, pin: second.pin, username: "other", password: PASSWORD },
    });
    expect([r.status, r.body.error]).toEqual([409, "root already initialized"]);
  });

  it("validates username and password without burning the challenge", async () => {
    h = await startHub();
    expect((await joinRoot(h, { password: "short" })).status).toBe(400);
    expect((await joinRoot(h, { username: "" })).status).toBe(400);
    expect((await joinRoot(h)).status).toBe(201);
  });
});

describe("sessions and roles", () => {
  it("answers missing and invalid tokens with 401 and the exact messages", async () => {
    h = await startHubWithRoot();
    const missing = await api(h.url, "GET", "/api/me");
    expect([missing.status, missing.body.error, missing.body.code]).toEqual([
      401,
      "missing authorization token",
      "MISSING_TOKEN",
    ]);
    const invalid = await api(h.url, "GET", "/api/me", { token: "aht_forged" });
    expect([invalid.status, invalid.body.error]).toEqual([401, "invalid token"]);
    const malformed = await api(h.url, "GET", "/api/me", { headers: { authorization: "Basic abc" } });
    expect([malformed.status, malformed.body.error]).toEqual([401, "invalid token"]);
  });

  it("logs in, expires sessions after their TTL, and revokes on logout", async () => {
    const hub = await startHubWithRoot();
    h = hub;
    const login = await api<{ token: string }>(hub.url, "POST", "/api/login", {
      body: { username: "root", password: hub.rootPassword },
    });
    expect(login.status).toBe(200);
    const bad = await api(hub.url, "POST", "/api/login", { body: { username: "root", password: "nope" } });
    expect(bad.status).toBe(401);

    expect((await api(hub.url, "POST", "/api/logout", { token: login.body.token })).status).toBe(200);
    const after = await api(hub.url, "GET", "/api/me", { token: login.body.token });
    expect([after.status, after.body.error]).toEqual([401, "invalid token"]);
    // The other session is untouched by that logout, until it expires.
    expect((await api(hub.url, "GET", "/api/me", { token: hub.rootToken })).status).toBe(200);
    hub.clock.advance(12 * 3_600_000 + 1);
    const expired = await api(hub.url, "GET", "/api/me", { token: hub.rootToken });
    expect([expired.status, expired.body.error]).toEqual([401, "invalid token"]);
  });

  it("gives ordinary users 403 root required on admin routes; root lists users", async () => {
    const hub = await startHubWithRoot();
    h = hub;
    const alice = await addUser(hub, hub.rootToken, "alice");
    const me = await api(hub.url, "GET", "/api/me", { token: alice });
    expect(me.body).toMatchObject({ username: "alice", is_root: false });
    for (const [method, path] of [
      ["GET", "/api/admin/users"],
      ["POST", "/api/admin/join-challenges"],
    ] as const) {
      const r = await api(hub.url, method, path, { token: alice });
      expect([r.status, r.body.error, r.body.code]).toEqual([403, "root required", "ROOT_REQUIRED"]);
    }
    const users = await api<{ users: { username: string }[] }>(hub.url, "GET", "/api/admin/users", {
      token: hub.rootToken,
    });
    expect(users.body.users.map((u) => u.username)).toEqual(["root", "alice"]);
  });
});

describe("abuse limits and request hygiene", () => {
  it("rate-limits login with 429, Retry-After and X-RateLimit headers", async () => {
    h = await startHubWithRoot({ server: { auth_rate_limit_per_minute: 3 } });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await api(h.url, "POST", "/api/login", { body: { username: "root", password: "wrong" } });
      statuses.push(last.status);
      if (i === 0) expect(last.headers.get("x-ratelimit-limit")).toBe("3");
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(last!.body).toMatchObject({ error: "too many requests", code: "RATE_LIMITED" });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(last!.headers.get("x-ratelimit-reset")).not.toBeNull();
  });

  it("rate-limits join the same way, before a PIN is even checked", async () => {
    h = await startHub({ server: { auth_rate_limit_per_minute: 2 } });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await api(h.url, "POST", "/api/join", { body: { join_token: "ahj_nope", pin: "000000" } });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect(last!.body).toMatchObject({ error: "too many requests", code: "RATE_LIMITED" });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("answers an oversized body with 413 and malformed JSON with 400", async () => {
    h = await startHub({ server: { body_limit_bytes: 1024 } });
    const big = await api(h.url, "POST", "/api/join", { body: { join_token: "x".repeat(5000) } });
    expect([big.status, big.body.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const bad = await api(h.url, "POST", "/api/join", { body: "{not json" });
    expect([bad.status, bad.body.code]).toEqual([400, "INVALID_JSON"]);
    const poisoned = await api(h.url, "POST", "/api/join", { body: '{"__proto__":{"is_root":true}}' });
    expect([poisoned.status, poisoned.body.code]).toEqual([400, "INVALID_JSON"]);
    // A bodiless POST with a JSON content type (the README's curl helper) is an empty object, not bad JSON.
    const empty = await api(h.url, "POST", "/api/join", { headers: { "content-type": "application/json" } });
    expect([empty.status, empty.body.code]).toEqual([401, "INVALID_JOIN_TOKEN"]); // reached the handler
    const unknown = await api(h.url, "GET", "/api/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("x-request-id")).toBe(unknown.body.request_id);
  });

  it("logs each request once with its id and never logs a token, PIN or password", async () => {
    const hub = await startHubWithRoot();
    h = hub;
    const { join_token, pin } = parseBanner(hub.banner);
    await api(hub.url, "GET", "/api/me", { token: hub.rootToken });
    await api(hub.url, "POST", "/api/login", { body: { username: "root", password: hub.rootPassword } });
    await api(hub.url, "GET", `/api/me?token=${hub.rootToken}`);
    const ch = await api<{ join_token: string; pin: string }>(hub.url, "POST", "/api/admin/join-challenges", {
      token: hub.rootToken,
    });
    const logs = hub.logs();
    for (const secret of [
      hub.rootToken,
      hub.rootPassword,
      join_token,
      pin,
      ch.body.join_token,
      ch.body.pin,
    ]) {
      expect(logs).not.toContain(secret);
    }
    const requestLines = logs
      .split("\n")
      .filter((l) => l.includes('"msg":"request"'))
      .map((l) => JSON.parse(l) as { request_id: string; url: string });
    expect(requestLines.length).toBeGreaterThanOrEqual(5);
    expect(new Set(requestLines.map((l) => l.request_id)).size).toBe(requestLines.length);
    expect(requestLines.every((l) => l.request_id.startsWith("req_"))).toBe(true);
  });
});

describe("persistence", () => {
  it("a restarted hub on the same data dir accepts the same token and prints no new challenge", async () => {
    const hub = await startHubWithRoot();
    const next = await hub.restart();
    h = next;
    const me = await api(next.url, "GET", "/api/me", { token: hub.rootToken });
    expect([me.status, me.body.username]).toEqual([200, "root"]);
    expect(next.banner).toBe("");
  });
});
