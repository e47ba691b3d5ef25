/** Splits a byte stream into lines and keeps the last `max` of them. */
export class LineTail {
  private partial = "";
  private readonly lines: string[] = [];

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly max = 20,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  /** Emits a trailing line without newline, if any. */
  end(): void {
    if (this.partial) this.add(this.partial);
    this.partial = "";
  }

  tail(): string[] {
    return [...this.lines];
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
    this.onLine(line);
  }
}
