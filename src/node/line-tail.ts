import { MAX_STDERR_LINE_BYTES, truncateText } from "./event-caps.js";

/**
 * Splits a text stream into lines and keeps the last `max` of them. A line is bounded while it is
 * read: past `maxLineBytes` the rest is counted, not kept, and the line is emitted truncated with a
 * marker naming its original size — one endless line costs no more memory than a short one.
 */
export class LineTail {
  private partial = "";
  /** UTF-8 size of the line being read, kept or not. */
  private partialBytes = 0;
  private readonly lines: string[] = [];

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly max = 20,
    private readonly maxLineBytes = MAX_STDERR_LINE_BYTES,
  ) {}

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) {
        this.append(chunk.slice(start));
        return;
      }
      this.append(chunk.slice(start, nl));
      this.emit();
      start = nl + 1;
    }
  }

  /** Emits a trailing line without newline, if any. */
  end(): void {
    if (this.partialBytes > 0) this.emit();
  }

  tail(): string[] {
    return [...this.lines];
  }

  private append(piece: string): void {
    if (piece === "") return;
    this.partialBytes += Buffer.byteLength(piece, "utf8");
    // Keep up to maxLineBytes UTF-16 units (at least that many bytes); the rest is only counted.
    const room = this.maxLineBytes - this.partial.length;
    if (room > 0) this.partial += piece.length <= room ? piece : piece.slice(0, room);
  }

  private emit(): void {
    let line = this.partial;
    const bytes = this.partialBytes;
    this.partial = "";
    this.partialBytes = 0;
    if (bytes > this.maxLineBytes) line = truncateText(line, this.maxLineBytes, bytes);
    else if (line.endsWith("\r")) line = line.slice(0, -1);
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
    this.onLine(line);
  }
}
