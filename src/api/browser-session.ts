import { timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors/registry.js";
import { newSecretToken } from "../util/ids.js";

/**
 * The web console's session: browsers cannot put a bearer token on an EventSource, and a token kept in
 * page script is one XSS away from leaking, so login and join also set an HttpOnly, SameSite=Strict
 * session cookie (Secure when the hub itself serves TLS). A cookie-authenticated request that changes
 * anything must carry the readable CSRF cookie's value in `X-CSRF-Token` (double submit); bearer
 * clients are unaffected. Tokens never travel in URLs.
 */
export const SESSION_COOKIE = "agenthub_session";
export const CSRF_COOKIE = "agenthub_csrf";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The cookies of a request (the first value of each name). */
export function cookiesOf(req: FastifyRequest): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.cookie;
  if (typeof header !== "string") return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The session token of the request's cookie, or undefined without one. A state-changing request
 * authenticated this way without a matching `X-CSRF-Token` is refused (403 CSRF_TOKEN_INVALID).
 */
export function cookieSessionToken(req: FastifyRequest): string | undefined {
  const cookies = cookiesOf(req);
  const token = cookies.get(SESSION_COOKIE);
  if (!token) return undefined;
  if (!SAFE_METHODS.has(req.method)) {
    const expected = cookies.get(CSRF_COOKIE);
    const sent = req.headers[CSRF_HEADER];
    if (!expected || typeof sent !== "string" || !sameSecret(sent, expected)) {
      throw new AppError("CSRF_TOKEN_INVALID");
    }
  }
  return token;
}

function cookie(name: string, value: string, attrs: string[]): string {
  return [`${name}=${encodeURIComponent(value)}`, "Path=/", "SameSite=Strict", ...attrs].join("; ");
}

/** Sets the session and CSRF cookies for a session that lasts until `expiresAt` (ms). */
export function setSessionCookies(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: number,
  now: number,
): void {
  const secure = req.protocol === "https" ? ["Secure"] : [];
  const maxAge = `Max-Age=${Math.max(0, Math.floor((expiresAt - now) / 1000))}`;
  void reply.header("set-cookie", [
    cookie(SESSION_COOKIE, token, [maxAge, "HttpOnly", ...secure]),
    cookie(CSRF_COOKIE, newSecretToken("csrf"), [maxAge, ...secure]),
  ]);
}

/** Expires both cookies (logout). */
export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply): void {
  const secure = req.protocol === "https" ? ["Secure"] : [];
  void reply.header("set-cookie", [
    cookie(SESSION_COOKIE, "", ["Max-Age=0", "HttpOnly", ...secure]),
    cookie(CSRF_COOKIE, "", ["Max-Age=0", ...secure]),
  ]);
}
