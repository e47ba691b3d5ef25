import http from "node:http";

/** One keep-alive agent for all REST calls of the benchmark client. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export interface JsonResponse<T> {
  status: number;
  body: T;
}

/** A small JSON client over node:http with keep-alive (lighter than fetch for tight loops). */
export function api<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<JsonResponse<T>> {
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const headers: Record<string, string | number> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload) {
    headers["content-type"] = "application/json";
    headers["content-length"] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T });
        } catch (err) {
          reject(err);
        }
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Like `api` but throws unless the status is one of `ok`. */
export async function apiOk<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
  ok: readonly number[] = [200, 201, 202, 204],
): Promise<T> {
  const r = await api<T>(baseUrl, method, path, opts);
  if (!ok.includes(r.status)) throw new Error(`${method} ${path} -> ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

export interface SseConnection {
  close: () => void;
  /** Resolves when the stream has started (headers received). */
  ready: Promise<void>;
}

/**
 * A minimal SSE reader: calls `onEvent` for every `id/event/data` block (comments skipped). Parsing is
 * kept cheap because S4 pushes tens of thousands of events per second through it.
 */
export function openSse(
  url: string,
  onEvent: (e: SseEvent) => void,
  headers: Record<string, string> = {},
): SseConnection {
  let req: http.ClientRequest | undefined;
  let closed = false;
  const ready = new Promise<void>((resolve, reject) => {
    req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${url} -> ${res.statusCode}`));
        res.resume();
        return;
      }
      resolve();
      res.setEncoding("utf8");
      let buf = "";
      res.on("data", (chunk: string) => {
        buf += chunk;
        let start = 0;
        for (;;) {
          const end = buf.indexOf("\n\n", start);
          if (end < 0) break;
          const block = buf.slice(start, end);
          start = end + 2;
          if (block.charCodeAt(0) === 58 /* ':' */) continue;
          let id = "";
          let event = "";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("data: ")) data = line.slice(6);
            else if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("event: ")) event = line.slice(7);
          }
          if (data) onEvent({ id, event, data });
        }
        buf = buf.slice(start);
      });
      res.on("error", () => undefined);
    });
    req.on("error", (err) => {
      if (!closed) reject(err);
    });
  });
  return {
    ready,
    close: () => {
      closed = true;
      req?.destroy();
    },
  };
}
