import type { AppError } from "../../errors/registry.js";
import { HubError } from "./hub-error.js";

/** The people's CLI's exit codes (documented in `agenthub help` and the README). */
export const EXIT = {
  /** Done; `runs watch`: the run completed. */
  ok: 0,
  /** The hub refused (its code and message are printed), or a `doctor` check failed. */
  error: 1,
  /** A usage mistake: unknown verb or flag, missing argument. */
  usage: 2,
  /** The hub could not be reached. */
  unreachable: 3,
  /** Not logged in, or the session expired or was revoked (`agenthub login`). */
  auth: 4,
  /** `runs watch` / `runs start --watch`: the run failed. */
  runFailed: 5,
  /** `runs watch` / `runs start --watch`: the run was canceled. */
  runCanceled: 6,
} as const;

/** The exit code of an error a command ended with. */
export function exitCodeOf(err: HubError | AppError): number {
  if (err.code === "HUB_UNREACHABLE") return EXIT.unreachable;
  if (err.code === "NOT_LOGGED_IN" || (err instanceof HubError && err.status === 401)) return EXIT.auth;
  return EXIT.error;
}

/** `CODE: message` on one line. */
export function errorLine(err: HubError | AppError): string {
  const message = err instanceof HubError ? err.fullMessage : err.message;
  return `${err.code}: ${message.replace(/\s*\n\s*/g, " ")}`;
}
