import type { ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";

/** Default bound on the unsent bytes the hub holds for one SSE client (`server.sse_max_buffered_bytes`). */
export const DEFAULT_SSE_MAX_BUFFERED_BYTES = 1_048_576;
export const SSE_HEARTBEAT_MS = 15_000;
/** Frames of one burst (or a replay page) go out in writes of about this size. */
const CHUNK_BYTES = 64 * 1024;

export interface SseStats {
  /** Streams open now. */
  open: number;
  /** Streams closed by the hub because their client fell more than the bound behind. */
  dropped: number;
  /** The most unsent bytes any stream held right after a write (Node's buffers, not the kernel's). */
  peakBufferedBytes: number;
  /** Unsent bytes of each open stream now. */
  buffered: number[];
}

/**
 * The hub's open SSE streams and their one rule of back-pressure: a stream never holds more than
 * `maxBufferedBytes` of frames its client has not taken (a single larger frame is written only into
 * an empty buffer). A live stream whose client falls further behind is closed; the client reconnects
 * with `Last-Event-ID` and replays from the database, paced by what it reads. A stopping hub ends
 * every stream (`closeAll`).
 */
export class SseStreams {
  private readonly streams = new Set<SseStream>();
  private dropped = 0;
  private peak = 0;
  /**
   * Undefined when every write so far is on disk, else a promise of that (the hub's group commit):
   * frames go out only then, so no client sees an event a crash could still lose.
   */
  durable: () => Promise<void> | undefined = () => undefined;

  constructor(
    readonly maxBufferedBytes = DEFAULT_SSE_MAX_BUFFERED_BYTES,
    readonly heartbeatMs = SSE_HEARTBEAT_MS,
  ) {}

  /** Takes over the reply, sends the SSE head, and returns the stream. */
  open(req: FastifyRequest, reply: FastifyReply): SseStream {
    return new SseStream(this, req, reply);
  }

  closeAll(): void {
    for (const s of [...this.streams]) s.end();
  }

  stats(): SseStats {
    return {
      open: this.streams.size,
      dropped: this.dropped,
      peakBufferedBytes: this.peak,
      buffered: [...this.streams].map((s) => s.bufferedBytes),
    };
  }

  /** @internal */
  track(s: SseStream, open: boolean): void {
    if (open) this.streams.add(s);
    else this.streams.delete(s);
  }

  /** @internal */
  noteBuffered(bytes: number): void {
    if (bytes > this.peak) this.peak = bytes;
  }

  /** @internal */
  noteDropped(): void {
    this.dropped++;
  }
}

/** Frames queued before their data was on disk, released (in order) once it is. */
interface HeldFrames {
  gate: Promise<void> | undefined;
  frames: string[];
  bytes: number;
  ready: boolean;
}

/** One SSE response: frames, heartbeats, the back-pressure bound, and cleanup when it closes. */
export class SseStream {
  private readonly res: ServerResponse;
  private readonly log: FastifyBaseLogger;
  /** Frames ready to write (their data is durable), sent together at the end of the tick. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private held: HeldFrames[] = [];
  private heldBytes = 0;
  private closed = false;
  private readonly closeFns: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly owner: SseStreams,
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    reply.hijack();
    this.res = reply.raw;
    this.log = req.log;
    // Set one by one (not through writeHead) so they stay readable on the response: the request
    // metrics tell a stream from an answer by its content type.
    const head: Record<string, string> = {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      "x-request-id": req.id,
    };
    for (const [name, v] of Object.entries(head)) this.res.setHeader(name, v);
    this.res.writeHead(200);
    this.res.write(": connected\n\n");
    owner.track(this, true);
    // Heartbeat comments keep proxies from closing an idle stream.
    this.heartbeat = setInterval(() => this.push(": heartbeat\n\n"), owner.heartbeatMs);
    this.heartbeat.unref();
    const close = () => this.close();
    req.raw.on("close", close);
    this.res.on("close", close);
    this.res.on("error", close);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Bytes written or queued that the client has not taken (Node's buffers; the kernel's are not counted). */
  get bufferedBytes(): number {
    return this.closed ? 0 : this.res.writableLength + this.pendingBytes + this.heldBytes;
  }

  /** Runs `fn` once when the stream closes (client gone, dropped, or ended). */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closeFns.push(fn);
  }

  /**
   * Queues a live frame; frames queued in one tick go out together. A client already holding frames
   * that would pass the bound with this one is disconnected (it resumes with `Last-Event-ID`): false
   * then, and whenever the stream is closed.
   */
  push(frame: string): boolean {
    if (this.closed) return false;
    const bytes = Buffer.byteLength(frame);
    const held = this.bufferedBytes;
    if (held > 0 && held + bytes > this.owner.maxBufferedBytes) {
      this.drop(held + bytes);
      return false;
    }
    const gate = this.owner.durable();
    if (gate || this.held.length > 0) {
      this.hold(gate, frame, bytes);
      return true;
    }
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(frame);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= CHUNK_BYTES) this.flush();
    return true;
  }

  /** Queues a frame behind `gate` (and behind every frame held before it). */
  private hold(gate: Promise<void> | undefined, frame: string, bytes: number): void {
    this.heldBytes += bytes;
    const last = this.held.at(-1);
    if (last && last.gate === gate) {
      last.frames.push(frame);
      last.bytes += bytes;
      return;
    }
    const seg: HeldFrames = { gate, frames: [frame], bytes, ready: false };
    this.held.push(seg);
    const release = () => {
      seg.ready = true;
      this.release();
    };
    if (gate) gate.then(release, release);
    else queueMicrotask(release);
  }

  /** Moves the leading frames whose data is durable to the write queue and writes them. */
  private release(): void {
    while (this.held[0]?.ready) {
      const seg = this.held.shift()!;
      for (const f of seg.frames) this.pending.push(f);
      this.pendingBytes += seg.bytes;
      this.heldBytes -= seg.bytes;
    }
    this.flush();
  }

  /**
   * Sends stored frames after `after`, paced by the client: the next chunk is written once Node has
   * handed the previous one to the kernel, so a waiting stream holds one chunk (or one larger frame)
   * whatever the backlog. `read` returns frames in seq order, at most `pageSize`; a page is read once
   * and goes out once what it holds is durable. Resolves with the last seq sent (the stream's new
   * cursor), or undefined once the stream closed.
   */
  async replay(
    after: number,
    pageSize: number,
    read: (after: number) => { seq: number; frame: string }[],
  ): Promise<number | undefined> {
    let cursor = after;
    for (;;) {
      if (this.closed) return undefined;
      const page = read(cursor);
      if (page.length === 0) return cursor;
      // Committed when read, maybe not yet synced: sent once it is on disk.
      const gate = this.owner.durable();
      if (gate) await gate;
      for (let i = 0; i < page.length; ) {
        let chunk = page[i]!.frame;
        let j = i + 1;
        while (j < page.length && chunk.length + page[j]!.frame.length <= CHUNK_BYTES)
          chunk += page[j++]!.frame;
        if (this.closed) return undefined;
        const wait = this.write(chunk);
        cursor = page[j - 1]!.seq;
        i = j;
        if (this.closed) return undefined;
        if (wait) await wait;
      }
      if (page.length < pageSize) return cursor;
    }
  }

  /** Ends the stream cleanly (a stopping hub); queued frames are sent first. */
  end(): void {
    if (this.closed) return;
    this.flush();
    this.close();
    if (!this.res.writableEnded) this.res.end();
  }

  /** Writes now; while Node still holds part of it, returns a promise of its hand-over to the kernel. */
  private write(text: string): Promise<void> | undefined {
    this.flush();
    if (this.closed || this.res.writableEnded || this.res.destroyed) return undefined;
    let done!: () => void;
    const flushed = new Promise<void>((resolve) => {
      done = () => {
        const i = this.closeFns.indexOf(done);
        if (i >= 0) this.closeFns.splice(i, 1);
        resolve();
      };
    });
    this.res.write(text, () => done());
    const held = this.res.writableLength;
    this.owner.noteBuffered(held);
    if (held === 0) return undefined;
    this.closeFns.push(done);
    return flushed;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingBytes = 0;
    if (this.closed || this.res.writableEnded || this.res.destroyed) return;
    this.res.write(text);
    this.owner.noteBuffered(this.res.writableLength);
  }

  private drop(wouldHold: number): void {
    this.owner.noteDropped();
    this.log.info(
      { buffered_bytes: wouldHold, max_buffered_bytes: this.owner.maxBufferedBytes },
      "SSE client too far behind; disconnected (it resumes with Last-Event-ID)",
    );
    this.pending = [];
    this.held = [];
    this.pendingBytes = 0;
    this.heldBytes = 0;
    this.close();
    // Destroying (not ending) releases what the socket holds now.
    this.res.destroy();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.owner.track(this, false);
    const fns = this.closeFns.splice(0);
    for (const fn of fns) fn();
  }
}
