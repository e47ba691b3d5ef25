import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AuthService, SessionToken } from "../hub/auth-service.js";
import { authenticate, bearerToken, requireRoot } from "./authenticate.js";
import { clearSessionCookies, setSessionCookies } from "./browser-session.js";
import {
  AuthStatus,
  JoinBody,
  JoinChallenge,
  LoginBody,
  LogoutResult,
  Session,
  User,
  UserList,
} from "./schemas/auth.js";
import { AUTH_ERRORS, errorResponses } from "./schemas/common.js";

const tags = ["auth"];

function sessionView(s: SessionToken) {
  return { token: s.token, expires_at: new Date(s.expires_at).toISOString(), user: s.user };
}

/** Join (root bootstrap and invitations), login/logout, identity, and root's user administration. */
export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, authLimit: object): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/auth/status",
    { schema: { tags, security: [], response: { 200: AuthStatus, ...errorResponses() } } },
    async () => ({
      root_initialized: auth.hasRoot(),
      join_available: !auth.hasRoot() ? auth.hasLiveRootChallenge() : true,
    }),
  );

  r.post(
    "/api/join",
    {
      config: { rateLimit: authLimit },
      schema: {
        summary: "Join with a join token and PIN (root's first join, or an invitation)",
        tags,
        security: [],
        body: JoinBody,
        response: {
          201: Session,
          ...errorResponses(
            "INVALID_JOIN_TOKEN",
            "JOIN_TOKEN_EXPIRED",
            "INVALID_PIN",
            "ROOT_ALREADY_INITIALIZED",
            "USERNAME_TAKEN",
            "RATE_LIMITED",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
          ),
        },
      },
    },
    async (req, reply) => {
      const s = await auth.join(req.body);
      req.log.info({ user_id: s.user.user_id, is_root: s.user.is_root }, "user joined");
      setSessionCookies(req, reply, s.token, s.expires_at, s.issued_at);
      return reply.status(201).send(sessionView(s));
    },
  );

  r.post(
    "/api/login",
    {
      config: { rateLimit: authLimit },
      schema: {
        summary: "Sign in: a bearer token, and the web console's session and CSRF cookies",
        description:
          "Also sets an HttpOnly, SameSite=Strict `agenthub_session` cookie and a readable `agenthub_csrf` cookie: " +
          "a request authenticated by the cookie that changes anything must send the CSRF cookie's value in " +
          "`X-CSRF-Token` (else 403 `CSRF_TOKEN_INVALID`). Bearer clients can ignore both.",
        tags,
        security: [],
        body: LoginBody,
        response: {
          200: Session,
          ...errorResponses("INVALID_CREDENTIALS", "RATE_LIMITED", "INVALID_JSON", "PAYLOAD_TOO_LARGE"),
        },
      },
    },
    async (req, reply) => {
      const s = await auth.login(req.body);
      setSessionCookies(req, reply, s.token, s.expires_at, s.issued_at);
      return sessionView(s);
    },
  );

  r.post(
    "/api/logout",
    {
      schema: {
        summary: "Revoke the session sent (bearer token or cookie) and clear the console's cookies",
        tags,
        response: { 200: LogoutResult, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async (req, reply) => {
      const p = authenticate(auth, req);
      auth.logout(bearerToken(req)!);
      clearSessionCookies(req, reply);
      return { ok: true as const, user_id: p.user_id };
    },
  );

  r.get(
    "/api/me",
    { schema: { tags, response: { 200: User, ...errorResponses(...AUTH_ERRORS) } } },
    async (req) => authenticate(auth, req),
  );

  r.post(
    "/api/admin/join-challenges",
    {
      schema: {
        summary: "Invite a user (root): a join token and PIN, shown once",
        tags: ["admin"],
        response: { 201: JoinChallenge, ...errorResponses(...AUTH_ERRORS, "ROOT_REQUIRED") },
      },
    },
    async (req, reply) => {
      const p = requireRoot(authenticate(auth, req));
      const c = await auth.createUserChallenge(p);
      return reply
        .status(201)
        .send({ join_token: c.join_token, pin: c.pin, expires_at: new Date(c.expires_at).toISOString() });
    },
  );

  r.get(
    "/api/admin/users",
    {
      schema: {
        tags: ["admin"],
        response: { 200: UserList, ...errorResponses(...AUTH_ERRORS, "ROOT_REQUIRED") },
      },
    },
    async (req) => {
      requireRoot(authenticate(auth, req));
      return { users: auth.listUsers() };
    },
  );
}
