import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Metadata, status } from "@grpc/grpc-js";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActorClaims } from "../../src/contracts/actor-claims.js";
import { AppError } from "../../src/errors/registry.js";
import { tokenAuthenticator } from "../../src/grpc/call-auth.js";
import { mintActorToken, verifyActorToken } from "../../src/grpc/token-auth.js";
import { AUD, type Fixture, KEYS, startAuthority, VERIFY } from "./fixtures.js";

const OTHER_KEYS = generateKeyPairSync("ed25519");

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
  opts: Partial<typeof AUD> & { ttl?: number; key?: typeof KEYS.privateKey } = {},
) =>
  mintActorToken(opts.key ?? KEYS.privateKey, {
    issuer: opts.issuer ?? AUD.issuer,
    audience: opts.audience ?? AUD.audience,
    ttlSeconds: opts.ttl ?? 60,
    claims: { ...WORKER, ...claims },
  });

describe("token auth", () => {
  it("mint/verify round-trips the scoped claims", async () => {
    const claims = await verifyActorToken(KEYS.publicKey, await mint(), VERIFY);
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
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(AUD.issuer)
      .setAudience(AUD.audience)
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 120)
      .sign(KEYS.privateKey);
    const err = expectStatus(await callWith(expired), status.UNAUTHENTICATED, "INVALID_TOKEN");
    expect(err.message).toBe("invalid token: expired");
  });

  it("an expired token names its claims to onExpired; a forged or foreign expired one does not", async () => {
    const md = (t: string) => {
      const m = new Metadata();
      m.set("authorization", `Bearer ${t}`);
      return m;
    };
    const expiredBy = (key: typeof KEYS.privateKey, audience = AUD.audience) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...WORKER, permissions: [...WORKER.permissions] })
        .setProtectedHeader({ alg: "EdDSA" })
        .setIssuer(AUD.issuer)
        .setAudience(audience)
        .setIssuedAt(now - 600)
        .setExpirationTime(now - 120)
        .sign(key);
    };
    const reported: ActorClaims[] = [];
    const auth = tokenAuthenticator({
      verifyKey: KEYS.publicKey,
      ...VERIFY,
      onExpired: (c) => reported.push(c),
    });
    await expect(Promise.resolve().then(() => auth(md("x.y.z")))).rejects.toMatchObject({
      code: "INVALID_TOKEN",
    });
    await expect(auth(md(await expiredBy(OTHER_KEYS.privateKey)))).rejects.toThrow("signature mismatch");
    await expect(auth(md(await expiredBy(KEYS.privateKey, "elsewhere")))).rejects.toThrow(
      "audience mismatch",
    );
    expect(reported).toEqual([]);
    await expect(auth(md(await expiredBy(KEYS.privateKey)))).rejects.toThrow("invalid token: expired");
    expect(reported).toEqual([WORKER]);
    // A role this verifier does not serve is refused without a report.
    const hubOnly = tokenAuthenticator({
      verifyKey: KEYS.publicKey,
      ...VERIFY,
      roles: ["hub"],
      onExpired: (c) => reported.push(c),
    });
    await expect(hubOnly(md(await expiredBy(KEYS.privateKey)))).rejects.toThrow("invalid token: expired");
    expect(reported).toHaveLength(1);
  });

  it("clock skew within the tolerance is accepted, beyond it rejected", async () => {
    const now = Math.floor(Date.now() / 1000);
    const justExpired = await new SignJWT({ role: "hub", permissions: [] })
      .setProtectedHeader({ alg: "EdDSA" })
      .setIssuer(AUD.issuer)
      .setAudience(AUD.audience)
      .setIssuedAt(now - 60)
      .setExpirationTime(now - 5)
      .sign(KEYS.privateKey);
    await expect(
      verifyActorToken(KEYS.publicKey, justExpired, { ...VERIFY, clockToleranceSeconds: 30 }),
    ).resolves.toBeTruthy();
    await expect(
      verifyActorToken(KEYS.publicKey, justExpired, { ...VERIFY, clockToleranceSeconds: 1 }),
    ).rejects.toThrow("invalid token: expired");
  });

  it("an HS256 token is refused whatever its secret (only the hub's Ed25519 key signs)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs = await new SignJWT({ role: "admin", permissions: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(AUD.issuer)
      .setAudience(AUD.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode("any-secret-an-agent-might-have-read"));
    const err = expectStatus(await callWith(hs), status.UNAUTHENTICATED, "INVALID_TOKEN");
    expect(err.message).toContain("algorithm not allowed");
  });

  it("a lifetime beyond the maximum, or an iat in the future beyond the skew, is refused", async () => {
    const long = await mint({}, { ttl: 3601 });
    await expect(verifyActorToken(KEYS.publicKey, long, VERIFY)).rejects.toThrow(
      "invalid token: lifetime 3601s exceeds the maximum of 3600s",
    );
    expect(await verifyActorToken(KEYS.publicKey, await mint({}, { ttl: 3600 }), VERIFY)).toEqual(WORKER);
    const now = Math.floor(Date.now() / 1000);
    const future = (ahead: number) =>
      new SignJWT({ role: "worker", actor_id: "impl", run_id: "r1", permissions: [] })
        .setProtectedHeader({ alg: "EdDSA" })
        .setIssuer(AUD.issuer)
        .setAudience(AUD.audience)
        .setIssuedAt(now + ahead)
        .setExpirationTime(now + ahead + 60)
        .sign(KEYS.privateKey);
    await expect(verifyActorToken(KEYS.publicKey, await future(120), VERIFY)).rejects.toThrow(
      "invalid token: iat is in the future",
    );
    // Within the default 30 s skew: another machine's clock may run a little ahead.
    expect(await verifyActorToken(KEYS.publicKey, await future(10), VERIFY)).toMatchObject({
      actor_id: "impl",
    });
  });

  it("a role the verifier does not serve is refused", async () => {
    const hubToken = await mint({ role: "hub" });
    await expect(
      verifyActorToken(KEYS.publicKey, hubToken, { ...VERIFY, roles: ["leader", "worker", "admin"] }),
    ).rejects.toThrow('invalid token: role "hub" is not accepted here');
  });

  it("wrong issuer, wrong audience, another key, garbage -> UNAUTHENTICATED", async () => {
    const cases = [
      await mint({}, { issuer: "someone-else" }),
      await mint({}, { audience: "other-audience" }),
      await mint({}, { key: OTHER_KEYS.privateKey }),
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
    const auth = tokenAuthenticator({ verifyKey: KEYS.publicKey, ...VERIFY, clockToleranceSeconds: 0 });
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

    const bad = await mint({}, { key: OTHER_KEYS.privateKey });
    await expect(auth(md(bad))).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    await expect(auth(md(bad))).rejects.toMatchObject({ code: "INVALID_TOKEN" });

    await new Promise((r) => setTimeout(r, 2100)); // past exp (no tolerance)
    await expect(Promise.resolve().then(() => auth(md(good)))).rejects.toMatchObject({
      code: "INVALID_TOKEN",
    });
  });
});
