import * as acp from "@agentclientprotocol/sdk";
import type { AuthMethodInfo } from "../domain/agent-session.js";
import { AppError } from "../errors/registry.js";

/**
 * An agent's JSON-RPC errors as agenthub's typed errors. These are the agent's words, not ours:
 * ACP's `auth_required` is code -32000, but agents also report missing credentials as an internal
 * error saying so; recognising that phrase is the one place foreign error text is read, at the
 * protocol boundary, so that such an agent still gets AGENT_AUTH_REQUIRED and its hint.
 */

/** ACP's `auth_required` error code. */
export const ACP_AUTH_REQUIRED = -32000;
const AUTH_PHRASE = /\bauth(entication)?\s+required\b/i;
/** Longest agent message kept in an error (agents may put whole stack traces there). */
const MAX_MESSAGE = 2000;

/** Who is failing: the provider (or command) name, what to set for credentials, what it offers. */
export interface AgentErrorContext {
  provider: string;
  /** What to set for credentials (for presets, the env variables), shown in AGENT_AUTH_REQUIRED. */
  authHint: string;
  authMethods: readonly AuthMethodInfo[];
}

export function isRequestError(err: unknown): err is acp.RequestError {
  return err instanceof acp.RequestError;
}

export function isAuthRequired(err: acp.RequestError): boolean {
  return err.code === ACP_AUTH_REQUIRED || AUTH_PHRASE.test(err.message);
}

/**
 * An agent's message without trailing lines that carry no words (the `})` of a printed object an
 * agent lets slip from its stderr into the message), whitespace-trimmed and capped.
 */
export function cleanAgentMessage(message: string): string {
  const lines = message.split(/\r?\n/);
  while (lines.length > 1 && !/[\p{L}\p{N}]/u.test(lines.at(-1) ?? "")) lines.pop();
  const text = lines.join("\n").trim();
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** The hint of AGENT_AUTH_REQUIRED: the provider's own words, then the auth methods the agent offers. */
export function authHint(ctx: AgentErrorContext): string {
  const offered = ctx.authMethods.map((m) => m.id);
  return offered.length > 0 ? `${ctx.authHint} (the agent offers: ${offered.join(", ")})` : ctx.authHint;
}

export function authRequiredError(ctx: AgentErrorContext, err: acp.RequestError): AppError {
  return new AppError("AGENT_AUTH_REQUIRED", {
    provider: ctx.provider,
    hint: authHint(ctx),
    auth_methods: ctx.authMethods.map((m) => m.id),
    agent_error: { code: err.code, message: cleanAgentMessage(err.message) },
  });
}

/**
 * A JSON-RPC error the agent answered its start with (initialize, session/new, a setting) as a typed
 * error: AGENT_AUTH_REQUIRED for missing credentials, else AGENT_START_FAILED with its message.
 */
export function startError(ctx: AgentErrorContext, err: acp.RequestError): AppError {
  if (isAuthRequired(err)) return authRequiredError(ctx, err);
  return new AppError("AGENT_START_FAILED", {
    provider: ctx.provider,
    cause: cleanAgentMessage(withDetails(err)) || `JSON-RPC error ${err.code}`,
    agent_error: { code: err.code },
  });
}

/**
 * The error's message with the reason agents put in its `data` (Gemini answers "Internal error" with
 * `data.details` "Cannot enable privileged approval modes in an untrusted folder.").
 */
function withDetails(err: acp.RequestError): string {
  const data: unknown = err.data;
  const d = data as { details?: unknown; message?: unknown } | null | undefined;
  const detail =
    typeof data === "string"
      ? data
      : typeof d?.details === "string"
        ? d.details
        : typeof d?.message === "string"
          ? d.message
          : "";
  return detail && !err.message.includes(detail) ? `${err.message}: ${detail}` : err.message;
}
