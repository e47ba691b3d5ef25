import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

/** The API's schemas, generated from the hub's OpenAPI document (never hand-copied). */
export type Schemas = components["schemas"];
export type ErrorBody = Schemas["Error"];

export const CSRF_COOKIE = "agenthub_csrf";

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** An API refusal, with the registry's code, message and details (e.g. a spec's errors by path). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.error);
    this.name = "ApiError";
  }
  get code(): string {
    return this.body.code;
  }
}

const listeners = new Set<() => void>();
/** Called when any request answers 401 (the session ended): the console asks to sign in again. */
export function onSignedOut(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Tells the console the session ended (a request or a live stream answered 401). */
export function notifySignedOut(): void {
  for (const fn of listeners) fn();
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cookie sessions: writes echo the CSRF cookie (double submit); a 401 means the session ended. */
const session: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && path !== "/api/login" && path !== "/api/join") notifySignedOut();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: "same-origin" });
api.use(session);

/** The data of an openapi-fetch result, or an ApiError (network failures reject as they are). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<ErrorBody>;
  throw new ApiError(response.status, {
    error: body.error ?? `${response.status} ${response.statusText}`,
    code: body.code ?? "HTTP_ERROR",
    request_id: body.request_id ?? "",
    ...(body.details ? { details: body.details } : {}),
  });
}

/** What to show for a failure: the API's message, or the network's. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return `${err.message} (is the hub reachable?)`;
  return String(err);
}
