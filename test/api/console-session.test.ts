import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Harness, parseBanner, startHub } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";
import { openSse } from "../helpers/sse.js";

/**
 * The web console's session: login and join set an HttpOnly, SameSite=Strict session cookie and a
 * readable CSRF cookie; a cookie-authenticated write needs the CSRF value in X-CSRF-Token (double
 * submit); bearer clients are unchanged; logout revokes the session and clears both cookies.
 */

const PASSWORD = "correct horse battery";
let h: Harness;

beforeAll(async () => {
  h = await startHub();
});
afterAll(() => h.close());

interface Cookies {
  session: string;
  csrf: string;
  /** The Set-Cookie lines as sent. */
  lines: string[];
}

function cookiesOf(headers: Headers): Cookies {
  const lines = headers.getSetCookie();
  const value = (name: string) =>
    decodeURIComponent(
      lines
        .find((l) => l.startsWith(`${name}=`))
        ?.split(";")[0]
        ?.slice(name.length + 1) ?? "",
    );
  return { session: value("agenthub_session"), csrf: value("agenthub_csrf"), lines };
}

const cookieHeader = (c: Cookies) => `agenthub_session=${c.session}; agenthub_csrf=${c.csrf}`;

describe("console session cookies", () => {
  let joined: Cookies;
  let bearer: string;

  it("join sets the session (HttpOnly, SameSite=Strict) and CSRF (readable) cookies, no Secure over plain HTTP", async () => {
    const { join_token, pin } = parseBanner(h.banner);
    const r = await api<{ token: string }>(h.url, "POST", "/api/join", {
      body: { join_token, pin, username: "root", password: PASSWORD },
    });
    expect(r.status).toBe(201);
    bearer = r.body.token;
    joined = cookiesOf(r.headers);
    expect(joined.session).toBe(bearer);
    expect(joined.csrf).toMatch(/^csrf_[\w-]{40,}$/);
    const [session, csrf] = [
      joined.lines.find((l) => l.startsWith("agenthub_session=")),
      joined.lines.find((l) => l.startsWith("agenthub_csrf=")),
    ];
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/; Path=\//);
    expect(session).toMatch(/; Max-Age=43200/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Strict/);
    for (const l of joined.lines) expect(l).not.toMatch(/Secure/);
  });

  it("login sets them too; the cookie alone authenticates reads", async () => {
    const r = await api(h.url, "POST", "/api/login", { body: { username: "root", password: PASSWORD } });
    expect(r.status).toBe(200);
    const c = cookiesOf(r.headers);
    expect(c.session).toBe(r.body.token);
    expect(c.csrf).not.toBe(joined.csrf);
    const me = await api<{ username: string }>(h.url, "GET", "/api/me", {
      headers: { cookie: cookieHeader(c) },
    });
    expect([me.status, me.body.username]).toEqual([200, "root"]);
  });

  it("a cookie-authenticated write without the CSRF header, or with another value, is refused 403 CSRF_TOKEN_INVALID", async () => {
    const body = { name: "t-csrf", spec: singleSpec() };
    const missing = await api(h.url, "POST", "/api/teams", {
      headers: { cookie: cookieHeader(joined) },
      body,
    });
    expect([missing.status, missing.body.code, missing.body.error]).toEqual([
      403,
      "CSRF_TOKEN_INVALID",
      "missing or invalid X-CSRF-Token header",
    ]);
    const wrong = await api(h.url, "POST", "/api/teams", {
      headers: { cookie: cookieHeader(joined), "x-csrf-token": `${joined.csrf}x` },
      body,
    });
    expect([wrong.status, wrong.body.code]).toEqual([403, "CSRF_TOKEN_INVALID"]);
    // The header must match the CSRF cookie sent with it: without that cookie nothing matches.
    const otherPair = await api(h.url, "POST", "/api/teams", {
      headers: { cookie: `agenthub_session=${joined.session}`, "x-csrf-token": joined.csrf },
      body,
    });
    expect([otherPair.status, otherPair.body.code]).toEqual([403, "CSRF_TOKEN_INVALID"]);
    const teams = await api<{ teams: unknown[] }>(h.url, "GET", "/api/teams", { token: bearer });
    expect(teams.body.teams).toEqual([]);

    const ok = await api(h.url, "POST", "/api/teams", {
      headers: { cookie: cookieHeader(joined), "x-csrf-token": joined.csrf },
      body,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it("bearer clients need no CSRF header, with or without cookies", async () => {
    const r = await api(h.url, "POST", "/api/admin/join-challenges", {
      token: bearer,
      headers: { cookie: cookieHeader(joined) },
    });
    expect(r.status).toBe(201);
  });

  it("an SSE stream authenticates with the cookie (no token in the URL)", async () => {
    const stream = await openSse(`${h.url}/api/attention`, { cookie: cookieHeader(joined) });
    try {
      const first = await stream.next(() => true);
      expect(first.event).toBe("attention");
      expect(first.data).toMatchObject({ items: [], count: 0 });
    } finally {
      await stream.close();
    }
    const refused = await fetch(`${h.url}/api/attention`, { headers: { accept: "text/event-stream" } });
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
  });

  it("logout needs the CSRF header, revokes the session and clears both cookies", async () => {
    const refused = await api(h.url, "POST", "/api/logout", { headers: { cookie: cookieHeader(joined) } });
    expect([refused.status, refused.body.code]).toEqual([403, "CSRF_TOKEN_INVALID"]);
    const out = await api(h.url, "POST", "/api/logout", {
      headers: { cookie: cookieHeader(joined), "x-csrf-token": joined.csrf },
    });
    expect(out.status).toBe(200);
    const cleared = out.headers.getSetCookie();
    expect(cleared.some((l) => l.startsWith("agenthub_session=;") && l.includes("Max-Age=0"))).toBe(true);
    expect(cleared.some((l) => l.startsWith("agenthub_csrf=;") && l.includes("Max-Age=0"))).toBe(true);
    const me = await api(h.url, "GET", "/api/me", { headers: { cookie: cookieHeader(joined) } });
    expect([me.status, me.body.code]).toEqual([401, "INVALID_TOKEN"]);
    // The session token and the CSRF value never reached a log line.
    expect(h.logs()).not.toContain(joined.session);
    expect(h.logs()).not.toContain(joined.csrf);
  });
});
