import { readFile } from "node:fs/promises";
import { Metadata, status } from "@grpc/grpc-js";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { tokenAuthenticator } from "../../src/grpc/call-auth.js";
import { type ActorClaims, mintActorToken, verifyActorToken } from "../../src/grpc/token-auth.js";
import { AUD, type Fixture, SECRET, startAuthority } from "./fixtures.js";

const WORKER: ActorClaims = {
  role: "worker",
  team_id: "t1",
  run_id: "r1",
  actor_id: "impl",
  permissions: ["mailbox:read"],
};

let fx: Fixture;
let ca: Buffer;
beforeAll(async () => {
  fx = await startAuthority("tls");
  ca = await readFile(fx.paths.caCert);
});
afterAll(() => fx.close());

async function callWith(token: string | undefined, req: { actorId?: string; runId?: string } = {}) {
  const client = fx.client({ caCert: ca }, token === undefined ? {} : { token });
  return client.getInbox(req).then(
    () => undefined,
    (e: unknown) => e as AppError,
  );
}

function expectStatus(err: AppError | undefined, grpcStatus: status, code: string): AppError {
  expect(err).toBeInstanceOf(AppError);
  expect(err?.code).toBe(code);
  expect(err?.details?.grpc_status).toBe(grpcStatus);
  return err as AppError;
}

const mint = (
  claims: Partial<ActorClaims> = {},
  opts: Partial<typeof AUD> & { ttl?: number; secret?: string } = {},
) =>
  mintActorToken(opts.secret ?? SECRET, {
    issuer: opts.issuer ?? AUD.issuer,
    audience: opts.audience ?? AUD.audience,
    ttlSeconds: opts.ttl ?? 60,
    claims: { ...WORKER, ...claims },
  });

describe("token auth", () => {
  it("mint/verify round-trips the scoped claims", async () => {
    const claims = await verifyActorToken(SECRET, await mint(), AUD);
    expect(claims).toEqual(WORKER);
  });

  it("accepts a valid token over the wire", async () => {
    expect(await callWith(await mint())).toBeUndefined();
  });

  it("missing token -> UNAUTHENTICATED (MISSING_TOKEN)", async () => {
    const err = expectStatus(await callWith(undefined), status.UNAUTHENTICATED, "MISSING_TOKEN");
    expect(err.message).toBe("missing authorization token");
  });

  it("expired token -> UNAUTHENTICATED", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ role: "worker", actor_id: "impl", run_id: "r1", permissions: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(AUD.issuer)
      .setAudience(AUD.audience)
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 120)
      .sign(new TextEncoder().encode(SECRET));
    const err = expectStatus(await callWith(expired), status.UNAUTHENTICATED, "INVALID_TOKEN");
    expect(err.message).toBe("invalid token: expired");
  });

  it("clock skew within the tolerance is accepted, beyond it rejected", async () => {
    const now = Math.floor(Date.now() / 1000);
    const key = new TextEncoder().encode(SECRET);
    const justExpired = await new SignJWT({ role: "hub", permissions: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(AUD.issuer)
      .setAudience(AUD.audience)
      .setIssuedAt(now - 60)
      .setExpirationTime(now - 5)
      .sign(key);
    await expect(
      verifyActorToken(SECRET, justExpired, { ...AUD, clockToleranceSeconds: 30 }),
    ).resolves.toBeTruthy();
    await expect(verifyActorToken(SECRET, justExpired, { ...AUD, clockToleranceSeconds: 1 })).rejects.toThrow(
      "invalid token: expired",
    );
  });

  it("wrong issuer, wrong audience, wrong secret, garbage -> UNAUTHENTICATED", async () => {
    const cases = [
      await mint({}, { issuer: "someone-else" }),
      await mint({}, { audience: "other-audience" }),
      await mint({}, { secret: "not-the-secret-not-the-secret-!!" }),
      "not.a.jwt",
    ];
    for (const t of cases) expectStatus(await callWith(t), status.UNAUTHENTICATED, "INVALID_TOKEN");
  });

  it("missing permission -> PERMISSION_DENIED naming it", async () => {
    const err = expectStatus(
      await callWith(await mint({ permissions: [] })),
      status.PERMISSION_DENIED,
      "FORBIDDEN",
    );
    expect(err.message).toContain('"mailbox:read"');
    expect(err.details?.missing_permission).toBe("mailbox:read");
  });

  it("a worker acting as another actor or in another run -> PERMISSION_DENIED", async () => {
    const token = await mint();
    const asOther = expectStatus(
      await callWith(token, { actorId: "lead" }),
      status.PERMISSION_DENIED,
      "FORBIDDEN",
    );
    expect(asOther.message).toContain('may not act as actor "lead"');
    const otherRun = expectStatus(
      await callWith(token, { runId: "r2" }),
      status.PERMISSION_DENIED,
      "FORBIDDEN",
    );
    expect(otherRun.message).toContain('may not act in run "r2"');
    expect(await callWith(token, { actorId: "impl", runId: "r1" })).toBeUndefined();
  });

  it("hub and admin tokens may act for any actor", async () => {
    const hub = await mint({ role: "hub", actor_id: undefined, run_id: undefined });
    expect(await callWith(hub, { actorId: "lead", runId: "r9" })).toBeUndefined();
  });

  it("the authenticator caches a verified token until it expires, never a rejected one", async () => {
    const auth = tokenAuthenticator({ secret: SECRET, ...AUD, clockToleranceSeconds: 0 });
    const md = (t: string) => {
      const m = new Metadata();
      m.set("authorization", `Bearer ${t}`);
      return m;
    };
    const good = await mint({}, { ttl: 2 });
    const first = await auth(md(good));
    expect(first).toMatchObject({ role: "worker", actor_id: "impl" });
    const second = auth(md(good));
    expect(second).not.toBeInstanceOf(Promise); // answered from the cache
    expect(second).toEqual(first);
    (second as ActorClaims).permissions.push("x"); // callers get copies
    expect(await auth(md(good))).toEqual(first);

    const bad = await mint({}, { secret: "another-secret-of-enough-length" });
    await expect(auth(md(bad))).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    await expect(auth(md(bad))).rejects.toMatchObject({ code: "INVALID_TOKEN" });

    await new Promise((r) => setTimeout(r, 2100)); // past exp (no tolerance)
    await expect(Promise.resolve().then(() => auth(md(good)))).rejects.toMatchObject({
      code: "INVALID_TOKEN",
    });
  });
});
