/**
 * Size caps on what a node records and streams, so that no single agent event can exceed the gRPC
 * message limit (16 MiB) and wedge the hub's event stream:
 *
 * - every string in an event's data (a reply, a tool output, a stderr line…) keeps at most
 *   `MAX_EVENT_TEXT_BYTES` (1 MiB) of UTF-8; the rest is replaced by `…[truncated: <n> bytes]`, where
 *   <n> is the original size, and the event's data gains `truncated: [{ path, bytes }]`;
 * - a whole event's data keeps at most `MAX_EVENT_BYTES` (4 MiB) of JSON: larger data (many long
 *   fields) has every string over `SMALL_TEXT_BYTES` (4 KiB) truncated the same way, and data still
 *   too large is reduced to its short top-level fields plus `truncated_event_bytes`;
 * - a stderr line keeps at most `MAX_STDERR_LINE_BYTES` (64 KiB) while it is read (LineTail).
 */
export const MAX_EVENT_TEXT_BYTES = 1024 * 1024;
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;
export const MAX_STDERR_LINE_BYTES = 64 * 1024;
const SMALL_TEXT_BYTES = 4 * 1024;

/** Where a string was cut in an event's data (`update.content.text`) and how long it was. */
export interface TruncatedField {
  path: string;
  bytes: number;
}

export function truncationMarker(originalBytes: number): string {
  return `…[truncated: ${originalBytes} bytes]`;
}

/**
 * `text` cut to at most `maxBytes` of UTF-8 including the marker (never in the middle of a
 * character), or `text` itself when it fits. `originalBytes` overrides the size the marker names
 * (text that was already cut while it was read).
 */
export function truncateText(text: string, maxBytes: number, originalBytes?: number): string {
  // A JS string of n UTF-16 units takes between n and 3n bytes of UTF-8.
  if (text.length * 3 <= maxBytes && originalBytes === undefined) return text;
  const bytes = originalBytes ?? Buffer.byteLength(text, "utf8");
  if (bytes <= maxBytes && originalBytes === undefined) return text;
  const marker = truncationMarker(bytes);
  const keep = Math.max(0, maxBytes - Buffer.byteLength(marker, "utf8"));
  const head = Buffer.from(text.slice(0, keep), "utf8").subarray(0, keep).toString("utf8");
  // A character cut in half decodes as U+FFFD at the end: drop it.
  return `${head.replace(/\uFFFD$/, "")}${marker}`;
}

const TRUNCATED_RE = /…\[truncated: (\d+) bytes\]$/;

/** The original size a truncated string names, or undefined when it was not truncated. */
export function truncatedBytes(text: string): number | undefined {
  const m = TRUNCATED_RE.exec(text);
  return m ? Number(m[1]) : undefined;
}

function capValue(value: unknown, maxBytes: number, path: string, cut: TruncatedField[]): unknown {
  if (typeof value === "string") {
    const out = truncateText(value, maxBytes);
    if (out !== value) cut.push({ path, bytes: Buffer.byteLength(value, "utf8") });
    return out;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v, i) => {
      const c = capValue(v, maxBytes, `${path}[${i}]`, cut);
      if (c !== v) changed = true;
      return c;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = capValue(v, maxBytes, path ? `${path}.${k}` : k, cut);
      if (c !== v) changed = true;
      out[k] = c;
    }
    return changed ? out : value;
  }
  return value;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/**
 * Event data within the caps: `data` itself when it fits, else a copy with long strings truncated
 * (marker + original size) and `truncated` listing them. An event still over `MAX_EVENT_BYTES` after
 * that keeps only its short top-level scalars (turn ids, states) and `truncated_event_bytes`.
 */
export function capEventData(
  data: unknown,
  limits: { textBytes?: number; eventBytes?: number } = {},
): unknown {
  const textBytes = limits.textBytes ?? MAX_EVENT_TEXT_BYTES;
  const eventBytes = limits.eventBytes ?? MAX_EVENT_BYTES;
  const attempt = (maxBytes: number): unknown => {
    const cut: TruncatedField[] = [];
    const out = capValue(data, maxBytes, "", cut);
    if (out === data) return data;
    const fields = cut.slice(0, 100);
    return out !== null && typeof out === "object" && !Array.isArray(out)
      ? { ...(out as Record<string, unknown>), truncated: fields }
      : { value: out, truncated: fields };
  };
  const first = attempt(textBytes);
  const firstSize = jsonBytes(first);
  if (firstSize <= eventBytes) return first;
  // Too large as a whole (many long fields): every string gets a small share.
  const second = attempt(Math.min(SMALL_TEXT_BYTES, textBytes));
  if (second !== data && jsonBytes(second) <= eventBytes) return second;
  return reduce(data, first === data ? firstSize : jsonBytes(data), eventBytes);
}

/** The short top-level scalars of `data` plus the size it had. */
function reduce(data: unknown, originalBytes: number, eventBytes: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === "number" || typeof v === "boolean" || v === null) out[k] = v;
      else if (typeof v === "string") out[k] = truncateText(v, SMALL_TEXT_BYTES);
    }
  }
  out.truncated_event_bytes = originalBytes;
  return jsonBytes(out) <= eventBytes ? out : { truncated_event_bytes: originalBytes };
}
