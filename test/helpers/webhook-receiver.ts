import { EventEmitter, once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { vi } from "vitest";

/** One request a receiver got. */
export interface Received {
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered (`hang`: nothing, the connection stays open). */
  answered: number | "hang";
}

/** How the receiver answers its n-th request (0-based): a status, or `hang` (never answers). */
export type Policy = (n: number, r: Omit<Received, "answered">) => number | "hang";

/**
 * A webhook receiver on 127.0.0.1:0 that records every request and answers by `policy` (default 204).
 * `next(n)` resolves once n requests arrived (an event, not a poll); `close` drops every connection.
 */
export async function startReceiver(policy: Policy = () => 204) {
  const got: Received[] = [];
  const arrivals = new EventEmitter();
  const hanging = new Set<ServerResponse>();
  const state = { policy };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = flatHeaders(req.headers);
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = state.policy(got.length, { headers, body });
      got.push({ headers, body, answered: answer });
      if (answer === "hang") hanging.add(res);
      else
        res.writeHead(answer, { "content-type": "text/plain" }).end(answer >= 300 ? "receiver says no" : "");
      arrivals.emit("request", got.length);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    got,
    /** Changes how later requests are answered. */
    answer(p: Policy) {
      state.policy = p;
    },
    /** Resolves with the requests once at least `n` arrived. */
    async next(n: number): Promise<Received[]> {
      while (got.length < n) await once(arrivals, "request");
      return got;
    },
    async close(): Promise<void> {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * Verifies a request with the standardwebhooks package (Webhook.verify) as a receiver would, at
 * `nowMs` (the hub's clock, when a test moved it: the package checks the timestamp against Date.now()).
 */
export function verified(secret: string, r: Received, nowMs?: number): unknown {
  if (nowMs === undefined) return new Webhook(secret).verify(r.body, r.headers);
  vi.useFakeTimers({ toFake: ["Date"], now: nowMs });
  try {
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    vi.useRealTimers();
  }
}
