import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { isPrivateAddress, urlHost } from "../domain/webhook-target.js";

/** One HTTP attempt: the signed request of a delivery. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Refuse loopback, link-local and private addresses (also for what the host name resolves to). */
  publicOnly: boolean;
  timeoutMs: number;
  /** Aborts the attempt (hub shutdown). */
  signal?: AbortSignal;
}

/** 2xx: delivered. Anything else (another status, no answer in time, refused target) is a failure. */
export type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

/** At most this much of a failing answer's body is kept (for the deliveries list). */
const MAX_ERROR_BODY = 200;

/** A DNS lookup that refuses private addresses, so a name cannot rebind to 127.0.0.1 after creation. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, "", 4);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      const e = Object.assign(new Error(`${hostname} resolves to private address ${blocked.address}`), {
        code: "EPRIVATETARGET",
      });
      return callback(e, "", 4);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

/**
 * POSTs one webhook request: no redirects followed, no proxy, the whole exchange bounded by
 * `timeoutMs` (a 2xx must arrive within it). Never throws.
 */
export function sendWebhook(req: WebhookRequest): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ ok: false, status: null, error: "invalid url" });
      return;
    }
    const host = urlHost(url);
    if (req.publicOnly && isIP(host) && isPrivateAddress(host)) {
      resolve({ ok: false, status: null, error: `refused: ${host} is a private address` });
      return;
    }
    let settled = false;
    const done = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", abort);
      resolve(r);
    };
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      headers: {
        ...req.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(req.body)),
        "user-agent": "agenthub-webhooks",
      },
      agent: false,
      ...(req.publicOnly ? { lookup: publicLookup } : {}),
    });
    const timer = setTimeout(() => {
      request.destroy();
      done({ ok: false, status: null, error: `no answer within ${req.timeoutMs / 1000} s` });
    }, req.timeoutMs);
    timer.unref();
    const abort = () => {
      request.destroy();
      done({ ok: false, status: null, error: "aborted: the hub is stopping" });
    };
    if (req.signal?.aborted) abort();
    else req.signal?.addEventListener("abort", abort, { once: true });
    request.on("error", (err: NodeJS.ErrnoException) => {
      done({ ok: false, status: null, error: err.code ? `${err.code}: ${err.message}` : err.message });
    });
    request.on("response", (res) => {
      const status = res.statusCode ?? 0;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        if (text.length < MAX_ERROR_BODY) text += c;
      });
      res.on("error", () => undefined);
      res.on("end", () => {
        if (status >= 200 && status < 300) done({ ok: true, status });
        else {
          const snippet = text.slice(0, MAX_ERROR_BODY).trim();
          done({ ok: false, status, error: `HTTP ${status}${snippet ? `: ${snippet}` : ""}` });
        }
      });
    });
    request.end(req.body);
  });
}
