import { AppError } from "../../errors/registry.js";
import { HubError } from "./hub-error.js";
import type { ErrorBody } from "./hub-types.js";

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

/** `host:port` or a URL -> the hub's base URL without a trailing slash (http:// when none is given). */
export function normalizeHubUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError("BAD_REQUEST", { hub: raw }, { message: `not a hub URL: ${raw}` });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AppError("BAD_REQUEST", { hub: raw }, { message: `the hub URL must be http(s): ${raw}` });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/**
 * The people's CLI's HTTP client (Node's fetch): JSON in and out, the bearer token, and every error
 * answer turned into a HubError with the API's code and message. A hub that cannot be reached is
 * HUB_UNREACHABLE naming the address and the cause.
 */
export class HubClient {
  constructor(
    readonly hub: string,
    private readonly token?: string,
  ) {}

  url(path: string, query?: RequestOptions["query"]): string {
    const u = new URL(`${this.hub}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends a request; the raw response (any status) for callers that read it themselves (SSE). */
  async fetch(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetch(this.url(path, opts.query), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      throw new AppError(
        "HUB_UNREACHABLE",
        { hub: this.hub },
        {
          message: `cannot reach the hub at ${this.hub} (${causeOf(err)}); is it running? (--hub or AGENTHUB_HUB)`,
        },
      );
    }
  }

  /** A JSON request; the answer's body, or a HubError for any 4xx/5xx. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await this.requestWithHeaders<T>(method, path, opts)).body;
  }

  async requestWithHeaders<T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ body: T; status: number; headers: Headers }> {
    const res = await this.fetch(method, path, opts);
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.status >= 400) throw new HubError(res.status, body as Partial<ErrorBody> | undefined);
    return { body: body as T, status: res.status, headers: res.headers };
  }

  get<T>(path: string, query?: RequestOptions["query"]): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>("POST", path, { body: body ?? {}, headers });
  }
}
