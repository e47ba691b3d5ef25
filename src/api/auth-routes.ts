import type { FastifyInstance } from "fastify";
import type { AuthService } from "../hub/auth-service.js";
import { authenticate, bearerToken, requireRoot } from "./authenticate.js";

type Body = Record<string, unknown>;

function body(raw: unknown): Body {
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Body) : {};
}

/** Join (root bootstrap and invitations), login/logout, identity, and root's user administration. */
export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, authLimit: object): void {
  app.get("/api/auth/status", async () => ({
    root_initialized: auth.hasRoot(),
    join_available: !auth.hasRoot() ? auth.hasLiveRootChallenge() : true,
  }));

  app.post("/api/join", { config: { rateLimit: authLimit } }, async (req, reply) => {
    const b = body(req.body);
    const s = await auth.join({
      join_token: b.join_token,
      pin: b.pin,
      username: b.username,
      password: b.password,
    });
    req.log.info({ user_id: s.user.user_id, is_root: s.user.is_root }, "user joined");
    return reply
      .status(201)
      .send({ token: s.token, expires_at: new Date(s.expires_at).toISOString(), user: s.user });
  });

  app.post("/api/login", { config: { rateLimit: authLimit } }, async (req) => {
    const b = body(req.body);
    const s = await auth.login({ username: b.username, password: b.password });
    return { token: s.token, expires_at: new Date(s.expires_at).toISOString(), user: s.user };
  });

  app.post("/api/logout", async (req) => {
    const p = authenticate(auth, req);
    const token = bearerToken(req)!;
    auth.logout(token);
    return { ok: true, user_id: p.user_id };
  });

  app.get("/api/me", async (req) => authenticate(auth, req));

  app.post("/api/admin/join-challenges", async (req, reply) => {
    const p = requireRoot(authenticate(auth, req));
    const c = await auth.createUserChallenge(p);
    return reply
      .status(201)
      .send({ join_token: c.join_token, pin: c.pin, expires_at: new Date(c.expires_at).toISOString() });
  });

  app.get("/api/admin/users", async (req) => {
    requireRoot(authenticate(auth, req));
    return { users: auth.listUsers() };
  });
}
