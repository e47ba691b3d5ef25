/** One sample of a Prometheus text exposition: metric name, labels, value. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses the text format (0.0.4) into samples; `# HELP`/`# TYPE` lines are checked for shape and
 * skipped. Throws on a line it cannot read, so a malformed exposition fails the test.
 */
export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("#")) {
      if (!/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line))
        throw new Error(`bad comment line: ${line}`);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_x, c: string) => (c === "n" ? "\n" : c));
    // Go's ParseFloat (Prometheus's reader) takes NaN and Inf in any case; prom-client writes "Nan".
    const raw = m[3]!.toLowerCase();
    const value =
      raw === "nan"
        ? Number.NaN
        : raw.endsWith("inf")
          ? (raw.startsWith("-") ? -1 : 1) * Number.POSITIVE_INFINITY
          : Number(raw);
    if (Number.isNaN(value) && raw !== "nan") throw new Error(`bad value in: ${line}`);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/** Samples of `name` whose labels include `labels`. */
export function samples(
  all: readonly PromSample[],
  name: string,
  labels: Record<string, string> = {},
): PromSample[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample of `name` with exactly these labels' values (others may exist); throws if none or several. */
export function value(all: readonly PromSample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples(all, name, labels);
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}: ${JSON.stringify(found)}`);
  }
  return found[0]!.value;
}

/** Scrapes `url` (GET) and parses it; fails unless 200 with the text format's content type. */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<PromSample[]> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`scrape ${url}: ${res.status} ${text}`);
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain") || !type.includes("version=0.0.4")) {
    throw new Error(`scrape ${url}: content-type ${type}`);
  }
  return parsePromText(text);
}
