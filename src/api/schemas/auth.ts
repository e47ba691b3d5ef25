import { z } from "zod";
import { text } from "./common.js";

/** Request and response schemas of join, login and user administration. */

// Fields stay optional here: the service answers a missing join token or PIN with the contract's own
// messages ("invalid join token", "invalid pin"), which a schema refusal would replace.
export const JoinBody = z.strictObject({
  join_token: text(200).optional(),
  pin: text(20).optional(),
  username: text(200).optional(),
  password: text(1024).optional(),
});

export const LoginBody = z.strictObject({
  username: text(200).optional(),
  password: text(1024).optional(),
});

export const User = z
  .object({ user_id: z.string(), username: z.string(), is_root: z.boolean() })
  .meta({ id: "User" });

export const Session = z
  .object({ token: z.string(), expires_at: z.string(), user: User })
  .meta({ id: "Session" });

export const AuthStatus = z.object({ root_initialized: z.boolean(), join_available: z.boolean() });

export const JoinChallenge = z
  .object({ join_token: z.string(), pin: z.string(), expires_at: z.string() })
  .meta({ id: "JoinChallenge" });

export const LogoutResult = z.object({ ok: z.literal(true), user_id: z.string() });

export const UserList = z.object({ users: z.array(User) });
