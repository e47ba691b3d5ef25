import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../../errors/registry.js";
import type { HubClient } from "./hub-client.js";
import { HubError } from "./hub-error.js";

/** One SSE frame: its `id` (the event's seq), `event` (kind) and parsed JSON `data`. */
export interface SseFrame {
  id: number;
  event: string;
  data: unknown;
}

/** Reconnect delays after a dropped stream: 250 ms doubling to 5 s. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;
/** Give up when the hub stays unreachable this long. */
const GIVE_UP_MS = 60_000;

function parseBlock(block: string): SseFrame | undefined {
  const fields: Record<string, string> = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const c = line.indexOf(":");
    if (c <= 0) continue;
    const value = line.slice(c + 1);
    fields[line.slice(0, c)] = value.startsWith(" ") ? value.slice(1) : value;
  }
  if (fields.data === undefined || fields.id === undefined) return undefined;
  return {
    id: Number(fields.id),
    event: fields.event ?? "message",
    data: JSON.parse(fields.data) as unknown,
  };
}

/**
 * Follows an SSE event stream of the hub (a run's or an agent's events) from `after`: when the stream
 * drops (the hub restarted, or disconnected a slow reader) it reconnects with `Last-Event-ID`, so every
 * event arrives once and in order. `take()` returns what has arrived since the last call (waiting for
 * at least one); a refused request (401, 404) is thrown as the hub's error.
 */
export class SseReader {
  private readonly queue: SseFrame[] = [];
  private waiter: (() => void) | undefined;
  private failure: unknown;
  private readonly ctrl = new AbortController();
  private lastId: number;
  private readonly done: Promise<void>;

  constructor(
    private readonly client: HubClient,
    private readonly path: string,
    after: number,
    private readonly onReconnecting?: (cause: string) => void,
  ) {
    this.lastId = after;
    this.done = this.pump().catch((err: unknown) => {
      this.failure = err;
      this.wake();
    });
  }

  async take(): Promise<SseFrame[]> {
    while (this.queue.length === 0) {
      if (this.failure !== undefined) throw this.failure;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    return this.queue.splice(0);
  }

  async close(): Promise<void> {
    this.ctrl.abort();
    this.wake();
    await this.done;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async pump(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    let failingSince: number | undefined;
    while (!this.ctrl.signal.aborted) {
      let cause: string;
      try {
        const headers: Record<string, string> = { accept: "text/event-stream" };
        if (this.lastId > 0) headers["last-event-id"] = String(this.lastId);
        const res = await this.client.fetch("GET", this.path, { headers, signal: this.ctrl.signal });
        if (res.status !== 200) {
          const text = await res.text();
          throw new HubError(res.status, text ? JSON.parse(text) : undefined);
        }
        failingSince = undefined;
        delay = FIRST_RETRY_MS;
        await this.read(res);
        cause = "the hub ended the stream";
      } catch (err) {
        if (this.ctrl.signal.aborted) return;
        if (err instanceof HubError) throw err;
        if (!(err instanceof AppError) && (err as Error).name !== "TypeError") throw err;
        cause = (err as Error).message;
        failingSince ??= Date.now();
        if (Date.now() - failingSince > GIVE_UP_MS) throw err;
      }
      this.onReconnecting?.(cause);
      try {
        await sleep(delay, undefined, { signal: this.ctrl.signal });
      } catch {
        return; // closed while waiting
      }
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  private async read(res: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
        const frame = parseBlock(buf.slice(0, i));
        buf = buf.slice(i + 2);
        if (!frame || frame.id <= this.lastId) continue;
        this.lastId = frame.id;
        this.queue.push(frame);
        this.wake();
      }
    }
  }
}
