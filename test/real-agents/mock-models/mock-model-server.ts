import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockReply, type MockUsage, type RecordedRequest, text } from "./types.js";

/** A request as a subclass sees it: recorded, with its body parsed. */
export interface MockRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
  record: RecordedRequest;
}

/**
 * A model API server on 127.0.0.1 (port 0) that a test scripts: a queue of replies handed out to the
 * agent's turn requests in order, every request recorded, usage reported with each reply. Requests
 * that are not turns (titles, routing, token counts) and turns that find the queue empty get
 * `fallback` and do not consume the script. Subclasses speak one provider's wire format.
 */
export abstract class MockModelServer {
  readonly requests: RecordedRequest[] = [];
  /** Token counts reported with each reply. */
  usage: MockUsage = { input_tokens: 120, output_tokens: 30, cached_input_tokens: 40 };
  /** What non-turn requests, and turns past the end of the script, get. */
  fallback: MockReply = text("(mock model: nothing scripted)");
  private readonly queue: MockReply[] = [];
  private readonly server: Server;
  private baseUrl = "";
  private seq = 0;

  constructor() {
    this.server = createServer((req, res) => void this.onRequest(req, res));
  }

  /** Listens on 127.0.0.1:0; resolves once the port is known. */
  async listen(): Promise<this> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** `http://127.0.0.1:<port>` (no trailing slash, no API version). */
  get url(): string {
    return this.baseUrl;
  }

  /** Appends replies to the script. */
  enqueue(...replies: MockReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Scripted replies not handed out yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** The turn requests that took a scripted reply, in order. */
  get scripted(): RecordedRequest[] {
    return this.requests.filter((r) => r.scripted);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh id with a provider prefix (`msg_1`, `call_2` …). */
  protected nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}`;
  }

  /** Takes the next scripted reply for a turn request, or the fallback when the script is empty. */
  protected take(req: MockRequest): MockReply {
    const reply = this.queue.shift();
    if (reply === undefined) return this.fallback;
    req.record.scripted = true;
    req.record.reply = reply;
    return reply;
  }

  /** Answers one request; called for every request, after it is recorded. */
  protected abstract handle(req: MockRequest, res: ServerResponse): void;

  protected json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  /** Starts an SSE response; `send` writes one event (named, or data-only when `event` is undefined). */
  protected sse(res: ServerResponse): {
    send: (event: string | undefined, data: unknown) => void;
    end: () => void;
  } {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    return {
      send: (event, data) => {
        const head = event === undefined ? "" : `event: ${event}\n`;
        res.write(`${head}data: ${JSON.stringify(data)}\n\n`);
      },
      end: () => res.end(),
    };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: { ...req.headers },
      body,
      scripted: false,
    };
    this.requests.push(record);
    const url = new URL(record.url, "http://mock");
    const parsed = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
    try {
      this.handle(
        { method: record.method, path: url.pathname, query: url.searchParams, body: parsed, record },
        res,
      );
    } catch (err) {
      this.json(res, 500, { error: { message: `mock model failed: ${String(err)}` } });
    }
  }
}

/** Splits a reply text into two stream deltas (so agents see a real stream). */
export function deltas(t: string): string[] {
  if (t.length < 2) return [t];
  const mid = Math.ceil(t.length / 2);
  return [t.slice(0, mid), t.slice(mid)];
}
