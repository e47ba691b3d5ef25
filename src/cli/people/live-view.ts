import { visibleLength } from "./output.js";

/**
 * A block of lines redrawn in place on a terminal: each draw moves the cursor back over the rows the
 * previous one took (counting wrapped lines) and clears them.
 */
export class LiveView {
  private rows = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  draw(text: string): void {
    const width = Math.max(20, this.out.columns || 80);
    const lines = text.split("\n");
    const erase = this.rows > 0 ? `\x1b[${this.rows}A\r\x1b[J` : "";
    this.out.write(`${erase}${lines.join("\n")}\n`);
    this.rows = lines.reduce((n, l) => n + Math.max(1, Math.ceil(visibleLength(l) / width)), 0);
  }
}
