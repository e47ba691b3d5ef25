import type { KeyObject } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import { type ActorClaims, isUnrestrictedActor } from "../contracts/actor-claims.js";
import { AppError } from "../errors/registry.js";
import { HUB_CLIENT_CN } from "./cert-store.js";
import type { CallPeer } from "./service-adapter.js";
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  expiredTokenClaims,
  type VerifyOptions,
  verifyActorTokenWithExpiry,
} from "./token-auth.js";

/** The authenticated caller of an internal gRPC call. */
export type Principal = ActorClaims;

export interface CallAuthOptions extends VerifyOptions {
  /** The hub's public key: verifiers can check tokens but never mint them. */
  verifyKey: KeyObject;
  /** Checked on every call, before the token (e.g. the node's "only the hub's client certificate"). */
  checkPeer?: ((peer: CallPeer) => void) | undefined;
  /**
   * Told about a token refused because it expired (its signature, issuer, audience and role verified):
   * the caller lost its access, which the hub records for the actor's work in flight.
   */
  onExpired?: ((claims: ActorClaims) => void) | undefined;
}

/** Returns the bearer token of call metadata, or throws MISSING_TOKEN / INVALID_TOKEN. */
export function bearerToken(metadata: Metadata): string {
  const header = metadata.get("authorization")[0];
  if (typeof header !== "string" || header.trim() === "") throw new AppError("MISSING_TOKEN");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new AppError(
      "INVALID_TOKEN",
      { reason: "not a bearer token" },
      {
        message: "invalid token: authorization must be 'Bearer <token>'",
      },
    );
  }
  return match[1];
}

/** Verified tokens kept per authenticator (a client reuses its token for many calls). */
const TOKEN_CACHE_MAX = 10_000;

/**
 * An `authenticate` hook for the service adapter: metadata -> Principal (UNAUTHENTICATED on failure).
 * A token whose signature and claims verified is remembered (by its exact string, for this key,
 * issuer and audience) until its `exp` plus the clock tolerance — exactly as long as a fresh
 * verification would accept it — so repeat calls skip the signature check. Failures are never cached.
 */
export function tokenAuthenticator(
  opts: CallAuthOptions,
): (metadata: Metadata, _method?: unknown, peer?: CallPeer) => Promise<Principal> | Principal {
  const tolerance = opts.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const cache = new Map<string, { claims: ActorClaims; validUntilMs: number }>();
  const copy = (c: ActorClaims): Principal => ({ ...c, permissions: [...c.permissions] });
  return (metadata, _method, peer) => {
    if (opts.checkPeer) {
      if (!peer) throw new AppError("UNTRUSTED_PEER", { reason: "no peer identity" });
      opts.checkPeer(peer);
    }
    const token = bearerToken(metadata);
    const hit = cache.get(token);
    if (hit) {
      if (Date.now() < hit.validUntilMs) return copy(hit.claims);
      cache.delete(token);
    }
    const verified = verifyActorTokenWithExpiry(opts.verifyKey, token, opts);
    const { onExpired } = opts;
    const checked = onExpired
      ? verified.catch((err: unknown) => {
          const claims = expiredTokenClaims(err);
          if (claims) onExpired(claims);
          throw err;
        })
      : verified;
    return checked.then(({ claims, exp }) => {
      if (cache.size >= TOKEN_CACHE_MAX) {
        const now = Date.now();
        for (const [k, v] of cache) if (v.validUntilMs <= now) cache.delete(k);
        // Still full: drop the oldest entries (insertion order).
        for (const k of cache.keys()) {
          if (cache.size < TOKEN_CACHE_MAX) break;
          cache.delete(k);
        }
      }
      cache.set(token, { claims: copy(claims), validUntilMs: (exp + tolerance) * 1000 });
      return claims;
    });
  };
}

/**
 * Resolves the actor and run a request acts as: empty request values default to the token's. An agent
 * token (leader or worker) may act only as its own actor in its own run (PERMISSION_DENIED otherwise).
 */
export function requireSelf(
  principal: Principal,
  requested: { actor_id?: string | undefined; run_id?: string | undefined },
): { actor_id: string; run_id: string } {
  const actor_id = requested.actor_id || principal.actor_id || "";
  const run_id = requested.run_id || principal.run_id || "";
  if (!isUnrestrictedActor(principal)) {
    if (principal.actor_id === undefined || actor_id !== principal.actor_id) {
      throw new AppError(
        "FORBIDDEN",
        { actor_id, token_actor_id: principal.actor_id ?? null },
        {
          message: `permission denied: token for actor "${principal.actor_id ?? ""}" may not act as actor "${actor_id}"`,
        },
      );
    }
    if (principal.run_id === undefined || run_id !== principal.run_id) {
      throw new AppError(
        "FORBIDDEN",
        { run_id, token_run_id: principal.run_id ?? null },
        {
          message: `permission denied: token for run "${principal.run_id ?? ""}" may not act in run "${run_id}"`,
        },
      );
    }
  }
  if (!actor_id)
    throw new AppError("BAD_REQUEST", { field: "actor_id" }, { message: "actor_id is required" });
  if (!run_id) throw new AppError("BAD_REQUEST", { field: "run_id" }, { message: "run_id is required" });
  return { actor_id, run_id };
}

/** mTLS: every certificate the hub's CA signed passes the handshake; only the hub's may call a node. */
export function requireHubCertificate(peer: CallPeer): void {
  const cn = peer.certificate()?.subject?.CN;
  if (cn !== HUB_CLIENT_CN) {
    throw new AppError("UNTRUSTED_PEER", { common_name: cn ?? null, expected: HUB_CLIENT_CN });
  }
}
