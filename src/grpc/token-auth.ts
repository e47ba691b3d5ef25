import type { KeyObject } from "node:crypto";
import { randomUUID } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { ACTOR_ROLES, type ActorClaims, type ActorRole } from "../contracts/actor-claims.js";
import { AppError } from "../errors/registry.js";

export interface TokenAudience {
  issuer: string;
  audience: string;
}

export interface VerifyOptions extends TokenAudience {
  /** Longest lifetime (`exp - iat`) accepted: a leaked long-lived token is refused outright. */
  maxTtlSeconds: number;
  clockToleranceSeconds?: number | undefined;
  /** Roles this verifier serves; any other role is refused even with a valid signature. */
  roles?: readonly ActorRole[] | undefined;
}

/** Default token lifetime: short, the hub re-mints tokens for long-lived agents. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
/** Default allowed clock skew between the machine that minted a token and the one checking it. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** Only the hub signs: Ed25519 (EdDSA). Verifiers accept nothing else, so an HS256 token never passes. */
const ALG = "EdDSA";

/**
 * The audience of the hub's tokens for one node: a node accepts only tokens minted for it, so a token
 * a compromised node received can never be replayed to another node or to the AuthorityService.
 */
export function nodeAudience(audience: string, nodeId: string): string {
  return `${audience}/node/${nodeId}`;
}

/** Mints an EdDSA JWT carrying `claims`, valid for `ttlSeconds`, with the hub's private key. */
export async function mintActorToken(
  signingKey: KeyObject,
  opts: TokenAudience & { ttlSeconds?: number; claims: ActorClaims },
): Promise<string> {
  const { role, team_id, run_id, actor_id, permissions } = opts.claims;
  const payload = { role, team_id, run_id, actor_id, permissions: [...permissions] };
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(actor_id ?? role)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS))
    .sign(signingKey);
}

function invalid(reason: string, cause?: unknown): AppError {
  return new AppError("INVALID_TOKEN", { reason }, { message: `invalid token: ${reason}`, cause });
}

function reasonOf(err: unknown, audience: string): string {
  if (err instanceof joseErrors.JWTExpired) return "expired";
  // Names what this verifier expects: a node registered under another id than its [node] id shows here.
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud") {
    return `audience mismatch (this verifier accepts "${audience}")`;
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `${err.claim} ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "signature mismatch";
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return "algorithm not allowed (tokens are EdDSA, signed by the hub)";
  return "malformed";
}

function optString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(`${name} claim must be a string`);
  return v;
}

/** Verifies signature, algorithm, iss, aud, expiry, iat and lifetime; returns the claims or throws INVALID_TOKEN. */
export async function verifyActorToken(
  verifyKey: KeyObject,
  token: string,
  opts: VerifyOptions,
): Promise<ActorClaims> {
  return (await verifyActorTokenWithExpiry(verifyKey, token, opts)).claims;
}

/**
 * Claims of tokens refused only because they expired, by the error that refused them. jose checks `exp`
 * after the signature, issuer and audience, so such a token is one the hub minted for this verifier,
 * and its claims name who lost access.
 */
const expiredClaims = new WeakMap<AppError, ActorClaims>();

/** The claims of a token `err` refused because it expired (with a role this verifier serves); else undefined. */
export function expiredTokenClaims(err: unknown): ActorClaims | undefined {
  return err instanceof AppError ? expiredClaims.get(err) : undefined;
}

/** verifyActorToken, also returning the token's `exp` (seconds since the epoch). */
export async function verifyActorTokenWithExpiry(
  verifyKey: KeyObject,
  token: string,
  opts: VerifyOptions,
): Promise<{ claims: ActorClaims; exp: number }> {
  const tolerance = opts.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, verifyKey, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: [ALG],
      requiredClaims: ["exp", "iat"],
      clockTolerance: tolerance,
    }));
  } catch (err) {
    const refused = invalid(reasonOf(err, opts.audience), err);
    if (err instanceof joseErrors.JWTExpired && err.claim === "exp") {
      try {
        expiredClaims.set(refused, claimsOf(err.payload, opts));
      } catch {
        // claims this verifier would refuse anyway: nothing to report beyond the expiry
      }
    }
    throw refused;
  }
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > Date.now() / 1000 + tolerance) throw invalid("iat is in the future");
  if (exp - iat > opts.maxTtlSeconds) {
    throw invalid(`lifetime ${exp - iat}s exceeds the maximum of ${opts.maxTtlSeconds}s`);
  }
  return { claims: claimsOf(payload, opts), exp };
}

/** The role, scope and permissions claims (INVALID_TOKEN when malformed or a role not served here). */
function claimsOf(payload: Record<string, unknown>, opts: VerifyOptions): ActorClaims {
  const role = payload.role;
  if (typeof role !== "string" || !(ACTOR_ROLES as readonly string[]).includes(role)) {
    throw invalid("unknown role");
  }
  if (opts.roles && !opts.roles.includes(role as ActorRole)) {
    throw invalid(`role "${role}" is not accepted here`);
  }
  const perms = payload.permissions;
  if (!Array.isArray(perms) || !perms.every((p) => typeof p === "string")) {
    throw invalid("permissions claim must be a string array");
  }
  return {
    role: role as ActorRole,
    team_id: optString(payload.team_id, "team_id"),
    run_id: optString(payload.run_id, "run_id"),
    actor_id: optString(payload.actor_id, "actor_id"),
    permissions: perms as string[],
  };
}
