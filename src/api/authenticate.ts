import type { FastifyRequest } from "fastify";
import { AppError } from "../errors/registry.js";
import type { AuthService, Principal } from "../hub/auth-service.js";
import { cookieSessionToken } from "./browser-session.js";

/**
 * The bearer token of a request: `Authorization: Bearer …`, or `?token=` for EventSource clients, or the
 * web console's session cookie (CSRF-checked on state-changing requests).
 */
export function bearerToken(req: FastifyRequest, allowQuery = false): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === "string" && h.length > 0) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (!m) throw new AppError("INVALID_TOKEN");
    return m[1];
  }
  if (allowQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === "string" && q.length > 0) return q;
  }
  return cookieSessionToken(req);
}

export function authenticate(auth: AuthService, req: FastifyRequest, allowQuery = false): Principal {
  return auth.authenticate(bearerToken(req, allowQuery));
}

export function requireRoot(p: Principal): Principal {
  if (!p.is_root) throw new AppError("ROOT_REQUIRED");
  return p;
}
