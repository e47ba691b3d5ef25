import { randomUUID } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { AppError } from "../errors/registry.js";

export const ACTOR_ROLES = ["leader", "worker", "hub", "admin"] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/** Scoped claims of an internal gRPC token. */
export interface ActorClaims {
  role: ActorRole;
  team_id?: string | undefined;
  run_id?: string | undefined;
  actor_id?: string | undefined;
  permissions: string[];
}

export interface TokenAudience {
  issuer: string;
  audience: string;
}

/** Default token lifetime: short, the hub re-mints tokens for long-lived agents. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** Default allowed clock skew between the machine that minted a token and the one checking it. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

function keyOf(secret: string): Uint8Array {
  if (secret.length === 0) throw new Error("internal gRPC auth secret is empty");
  return new TextEncoder().encode(secret);
}

/** Mints an HS256 JWT carrying `claims`, valid for `ttlSeconds`. */
export async function mintActorToken(
  secret: string,
  opts: TokenAudience & { ttlSeconds?: number; claims: ActorClaims },
): Promise<string> {
  const { role, team_id, run_id, actor_id, permissions } = opts.claims;
  const payload = { role, team_id, run_id, actor_id, permissions: [...permissions] };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(actor_id ?? role)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS))
    .sign(keyOf(secret));
}

function invalid(reason: string, cause?: unknown): AppError {
  return new AppError("INVALID_TOKEN", { reason }, { message: `invalid token: ${reason}`, cause });
}

function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "expired";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `${err.claim} ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "signature mismatch";
  return "malformed";
}

function optString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(`${name} claim must be a string`);
  return v;
}

/** Verifies signature, algorithm, iss, aud and expiry; returns the claims or throws INVALID_TOKEN. */
export async function verifyActorToken(
  secret: string,
  token: string,
  opts: TokenAudience & { clockToleranceSeconds?: number },
): Promise<ActorClaims> {
  return (await verifyActorTokenWithExpiry(secret, token, opts)).claims;
}

/** verifyActorToken, also returning the token's `exp` (seconds since the epoch). */
export async function verifyActorTokenWithExpiry(
  secret: string,
  token: string,
  opts: TokenAudience & { clockToleranceSeconds?: number },
): Promise<{ claims: ActorClaims; exp: number }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ["HS256"],
      requiredClaims: ["exp", "iat"],
      clockTolerance: opts.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (err) {
    throw invalid(reasonOf(err), err);
  }
  const role = payload.role;
  if (typeof role !== "string" || !(ACTOR_ROLES as readonly string[]).includes(role)) {
    throw invalid("unknown role");
  }
  const perms = payload.permissions;
  if (!Array.isArray(perms) || !perms.every((p) => typeof p === "string")) {
    throw invalid("permissions claim must be a string array");
  }
  return {
    claims: {
      role: role as ActorRole,
      team_id: optString(payload.team_id, "team_id"),
      run_id: optString(payload.run_id, "run_id"),
      actor_id: optString(payload.actor_id, "actor_id"),
      permissions: perms as string[],
    },
    exp: payload.exp as number,
  };
}
