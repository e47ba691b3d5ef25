/**
 * The one error registry. Every error a user can see has a stable `code`, an HTTP status and the
 * exact message the contract (seed 004) documents. Edges (REST, gRPC) map from `code`, never text.
 */
export const ERRORS = {
  // 400 validation
  BAD_REQUEST: { status: 400, message: "invalid request" },
  INVALID_JSON: { status: 400, message: "request body must be valid JSON" },
  TEAM_NAME_REQUIRED: { status: 400, message: "team name is required" },
  TITLE_REQUIRED: { status: 400, message: "title is required" },
  MEMBER_ID_REQUIRED: { status: 400, message: "member_id is required" },
  STEP_KEY_REQUIRED: { status: 400, message: "step_key is required" },
  ERROR_TEXT_REQUIRED: { status: 400, message: "error_text is required" },
  SPEC_NOT_OBJECT: { status: 400, message: "spec must be an object" },
  SPEC_INVALID: { status: 400, message: "invalid team spec" },
  TO_ACTOR_REQUIRED: { status: 400, message: "to_actor_id is required when route=to_member" },
  INVALID_ROUTE: { status: 400, message: "route must be one of: broadcast, to_leader, to_member" },
  UNKNOWN_MEMBER: { status: 400, message: "unknown member" },
  WORKDIR_REQUIRED: { status: 400, message: "workdir is required" },
  WORKDIR_NOT_SAFE: { status: 400, message: "workdir path must be within allowed safe paths" },
  WORKDIR_MISSING: { status: 400, message: "workdir does not exist" },
  // A git ref is data for git, never an option (`-m` once renamed a repository's branch).
  WORKTREE_REF_INVALID: {
    status: 400,
    message: 'worktree_ref must be a git ref, not an option (starts with "-")',
  },
  ILLEGAL_TRANSITION: { status: 409, message: "illegal state transition" },
  NO_EXECUTABLE_STEP: { status: 400, message: "run has no executable step" },
  ROUTE_REQUIRES_LEADER: { status: 400, message: "route=to_leader requires a leader member in spec.members" },
  REVIEW_ROUTE_TO_WORKER: {
    status: 400,
    message: "worker-originated permission review cannot route to worker",
  },
  WEBHOOK_URL_INVALID: { status: 400, message: "webhook url must be an http(s) URL without credentials" },
  // SSRF guard for non-root owners (README, Notifications): `[webhooks] allow_private_targets` lifts it.
  WEBHOOK_TARGET_PRIVATE: {
    status: 400,
    message: "webhook url must not target a loopback, link-local or private address",
  },
  // 401 / 403
  MISSING_TOKEN: { status: 401, message: "missing authorization token" },
  // The people's CLI found no token for the hub (nothing was sent).
  NOT_LOGGED_IN: { status: 401, message: "not logged in; run agenthub login" },
  INVALID_TOKEN: { status: 401, message: "invalid token" },
  INVALID_CREDENTIALS: { status: 401, message: "invalid username or password" },
  INVALID_JOIN_TOKEN: { status: 401, message: "invalid join token" },
  JOIN_TOKEN_EXPIRED: { status: 401, message: "join token expired" },
  INVALID_PIN: { status: 401, message: "invalid pin" },
  ROOT_REQUIRED: { status: 403, message: "root required" },
  FORBIDDEN: { status: 403, message: "forbidden" },
  // A cookie-authenticated (browser) request that changes something must echo the CSRF cookie.
  CSRF_TOKEN_INVALID: { status: 403, message: "missing or invalid X-CSRF-Token header" },
  UNTRUSTED_PEER: { status: 403, message: "caller's client certificate is not the hub's" },
  // A reviewing agent chose an option the team's permission policy leaves to humans (allow_always).
  REVIEW_OPTION_NOT_ALLOWED: {
    status: 403,
    message: 'option "{option_id}" ({kind}) may not be chosen by an agent: {rule}',
  },
  // 404
  NOT_FOUND: { status: 404, message: "not found" },
  AGENT_NOT_FOUND: { status: 404, message: "agent not found" },
  TEAM_NOT_FOUND: { status: 404, message: "team not found" },
  RUN_NOT_FOUND: { status: 404, message: "run not found" },
  TASK_NOT_FOUND: { status: 404, message: "task not found" },
  CONVERSATION_NOT_FOUND: { status: 404, message: "conversation not found" },
  STEP_NOT_FOUND: { status: 404, message: "step not found" },
  MESSAGE_NOT_FOUND: { status: 404, message: "message not found" },
  AGENT_NODE_NOT_FOUND: { status: 404, message: "agent node not found" },
  REVIEW_NOT_FOUND: { status: 404, message: "permission review not found" },
  PERMISSION_REQUEST_NOT_FOUND: { status: 404, message: "permission request not found" },
  WEBHOOK_NOT_FOUND: { status: 404, message: "webhook not found" },
  // 409
  ROOT_ALREADY_INITIALIZED: { status: 409, message: "root already initialized" },
  USERNAME_TAKEN: { status: 409, message: "username already exists" },
  TEAM_NAME_EXISTS: { status: 409, message: "team name already exists" },
  TEAM_CHANGED: { status: 409, message: "team definition changed concurrently; reload and retry" },
  STEP_EXISTS: { status: 409, message: "step already exists for run" },
  RUN_COMPLETED_CANNOT_RESUME: { status: 409, message: "completed run cannot be resumed; use restart" },
  AGENT_ALREADY_RUNNING: { status: 409, message: "agent is already running" },
  NO_RUNNING_TURN: { status: 409, message: "agent has no running turn" },
  AGENT_NODE_EXISTS: { status: 409, message: "agent node id or name already exists" },
  AGENT_NODE_BUSY: { status: 409, message: "agent node has active agents" },
  CONFLICT: { status: 409, message: "conflict" },
  // The people's CLI: a name that matches several teams or agents (the message lists them).
  NAME_AMBIGUOUS: { status: 409, message: "name matches more than one; use an id" },
  // 413 / 415 / 422 / 429
  PAYLOAD_TOO_LARGE: { status: 413, message: "request body too large" },
  URI_TOO_LONG: { status: 414, message: "path parameter too long" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "content-type must be application/json" },
  // An Idempotency-Key names one request: a retry must repeat it exactly (as Stripe answers).
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: "Idempotency-Key reused with a different request body" },
  // A member's or agent's mode/model/config option the agent does not offer (it names the offered ones).
  AGENT_CONFIG_INVALID: {
    status: 422,
    message: 'agent "{provider}" does not offer {setting} "{value}"; offered: {offered}',
  },
  // 424: the agent process is fine, but something it depends on (its binary, its credentials) is missing.
  AGENT_AUTH_REQUIRED: { status: 424, message: 'agent "{provider}" needs credentials: {hint}' },
  AGENT_COMMAND_NOT_FOUND: {
    status: 424,
    message: 'agent "{provider}" cannot start: command "{command}" not found; {hint}',
  },
  RATE_LIMITED: { status: 429, message: "too many requests" },
  // 5xx
  INTERNAL: { status: 500, message: "internal server error" },
  INTERNAL_GRPC_UNAVAILABLE: { status: 503, message: "internal grpc client not available" },
  // `GET /readyz` when a check fails; details name the checks.
  NOT_READY: { status: 503, message: "not ready: {failed}" },
  CONSOLE_NOT_BUILT: { status: 503, message: "the web console is not built; run npm run build" },
  // An agent's workspace or process failed: the specific message names git's text / the exit and stderr.
  WORKSPACE_ERROR: { status: 400, message: "workspace could not be prepared" },
  AGENT_EXITED: { status: 502, message: "agent exited" },
  // The agent answered its ACP start (initialize, session/new, session settings) with an error.
  AGENT_START_FAILED: { status: 502, message: 'agent "{provider}" could not start: {cause}' },
  NODE_CONNECT_FAILED: { status: 502, message: "failed to connect to remote node" },
  NODE_UNREACHABLE: { status: 503, message: "agent node is unreachable" },
  // The people's CLI could not connect to the hub (the message names the address and the cause).
  HUB_UNREACHABLE: { status: 503, message: "cannot reach the hub" },
  TEAM_RUNTIME_START_FAILED: { status: 502, message: "team runtime could not start" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetails {
  [key: string]: unknown;
}

/**
 * The registry's message of `code` with each `{name}` filled from `details` (a missing one stays as
 * written, so a forgotten detail is visible rather than silently blank).
 */
export function registryMessage(code: ErrorCode, details?: ErrorDetails): string {
  const template: string = ERRORS[code].message;
  if (!details || !template.includes("{")) return template;
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    const v = details[key];
    if (v === undefined || v === null) return whole;
    return Array.isArray(v) ? v.join(", ") : String(v);
  });
}

/**
 * A user-facing error. `message` is the registry's message (its `{name}` placeholders filled from
 * `details`) unless the caller names a more specific one (e.g. a validation problem not in the
 * seed); specifics go in `details`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, details?: ErrorDetails, options?: { cause?: unknown; message?: string }) {
    super(
      options?.message ?? registryMessage(code, details),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

export function appError(code: ErrorCode, details?: ErrorDetails): AppError {
  return new AppError(code, details);
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
