/**
 * Finds where a path like `spec.steps[0].promt` is in JSON text, so the spec editor can put an API
 * validation error at its place: the key (or the element) when it is there, else the nearest
 * enclosing value that is.
 */

interface Node {
  start: number;
  end: number;
  /** Where the member's key starts (object members). */
  keyStart?: number;
  children?: Map<string, Node>;
}

class Scanner {
  i = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i] as string)) this.i++;
  }

  fail(): never {
    throw new Error(`bad JSON at ${this.i}`);
  }

  string(): string {
    if (this.s[this.i] !== '"') this.fail();
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === "\\" ? 2 : 1;
    if (this.i >= this.s.length) this.fail();
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  value(): Node {
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === "{") {
      this.i++;
      const children = new Map<string, Node>();
      this.ws();
      if (this.s[this.i] === "}") this.i++;
      else {
        for (;;) {
          this.ws();
          const keyStart = this.i;
          const key = this.string();
          this.ws();
          if (this.s[this.i] !== ":") this.fail();
          this.i++;
          children.set(key, { ...this.value(), keyStart });
          this.ws();
          if (this.s[this.i] === ",") this.i++;
          else if (this.s[this.i] === "}") {
            this.i++;
            break;
          } else this.fail();
        }
      }
      return { start, end: this.i, children };
    }
    if (c === "[") {
      this.i++;
      const children = new Map<string, Node>();
      this.ws();
      if (this.s[this.i] === "]") this.i++;
      else {
        for (let n = 0; ; n++) {
          children.set(String(n), this.value());
          this.ws();
          if (this.s[this.i] === ",") this.i++;
          else if (this.s[this.i] === "]") {
            this.i++;
            break;
          } else this.fail();
        }
      }
      return { start, end: this.i, children };
    }
    if (c === '"') {
      this.string();
      return { start, end: this.i };
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.s.slice(this.i, this.i + 400),
    );
    if (!m) this.fail();
    this.i += m[0].length;
    return { start, end: this.i };
  }
}

/** `steps[0].promt` -> ["steps", "0", "promt"]. */
export function pathSegments(path: string): string[] {
  const out: string[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push((m[1] ?? m[2]) as string);
  return out;
}

export interface Location {
  start: number;
  end: number;
  line: number;
  column: number;
  /** False when the path is not in the text and an enclosing value is given instead. */
  exact: boolean;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Where `segments` is in `text`; undefined when the text is not JSON. */
export function locate(text: string, segments: readonly string[]): Location | undefined {
  let node: Node;
  try {
    node = new Scanner(text).value();
  } catch {
    return undefined;
  }
  let exact = true;
  for (const seg of segments) {
    const next = node.children?.get(seg);
    if (!next) {
      exact = false;
      break;
    }
    node = next;
  }
  const start = exact && node.keyStart !== undefined ? node.keyStart : node.start;
  return { start, end: node.end, exact, ...lineColumn(text, start) };
}
