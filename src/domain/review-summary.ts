/**
 * What a reviewer is shown of the tool call a permission is asked for: its title, kind and paths, and
 * a preview of what it would do (the change as a compact diff, the command, or its input), capped in
 * size. Agents send the whole tool call (Claude Code a written file's full text in the diff and again
 * in rawInput); the full call stays in the review (`GET …/permission-reviews`), the leader's prompt
 * gets this.
 */

export interface ToolCallSummary {
  title: string | null;
  kind: string | null;
  /** Files it touches (its locations and diffs), at most {@link MAX_PATHS}. */
  paths: string[];
  /** What it would do, at most {@link PREVIEW_BYTES} bytes, ending "… (N more bytes)" when cut. */
  preview: string | null;
}

export const PREVIEW_BYTES = 2048;
const MAX_PATHS = 20;
const MAX_TITLE = 300;
const MAX_PATH = 500;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `text` cut to `max` bytes (at a character boundary), saying how many bytes were left out. */
export function capBytes(text: string, max = PREVIEW_BYTES): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return text;
  let cut = max;
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return `${decoder.decode(bytes.subarray(0, cut))}… (${bytes.length - cut} more bytes)`;
}

/**
 * A compact diff of `oldText` -> `newText`: the lines between their common start and end, `-` old and
 * `+` new (a new file: every line `+`).
 */
export function compactDiff(path: string, oldText: string | null | undefined, newText: string): string {
  const before = oldText ? oldText.split("\n") : [];
  const after = newText.split("\n");
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endOld = before.length;
  let endNew = after.length;
  while (endOld > start && endNew > start && before[endOld - 1] === after[endNew - 1]) {
    endOld--;
    endNew--;
  }
  const header = oldText ? `--- ${path} (from line ${start + 1})` : `+++ ${path} (new file)`;
  return [
    header,
    ...before.slice(start, endOld).map((l) => `-${l}`),
    ...after.slice(start, endNew).map((l) => `+${l}`),
  ].join("\n");
}

function pathsOf(toolCall: Json): string[] {
  const out = new Set<string>();
  const locations = Array.isArray(toolCall.locations) ? toolCall.locations : [];
  for (const l of locations) if (isObj(l) && str(l.path)) out.add(capBytes(l.path as string, MAX_PATH));
  const content = Array.isArray(toolCall.content) ? toolCall.content : [];
  for (const c of content) {
    if (isObj(c) && c.type === "diff" && str(c.path)) out.add(capBytes(c.path as string, MAX_PATH));
  }
  return [...out].slice(0, MAX_PATHS);
}

/** The diffs and texts the tool call carries, else its command or input. */
function previewOf(toolCall: Json): string | null {
  const parts: string[] = [];
  const content = Array.isArray(toolCall.content) ? toolCall.content : [];
  for (const c of content) {
    if (!isObj(c)) continue;
    if (c.type === "diff" && str(c.newText) !== undefined) {
      parts.push(compactDiff(str(c.path) ?? "?", str(c.oldText), c.newText as string));
    } else if (c.type === "content" && isObj(c.content) && str(c.content.text)) {
      parts.push(c.content.text as string);
    }
  }
  if (parts.length > 0) return parts.join("\n");
  const raw = toolCall.rawInput;
  if (raw === undefined || raw === null) return null;
  const command = isObj(raw) ? (raw.command ?? raw.cmd) : undefined;
  if (typeof command === "string") return `$ ${command}`;
  if (Array.isArray(command) && command.every((a) => typeof a === "string")) return `$ ${command.join(" ")}`;
  return JSON.stringify(raw);
}

/**
 * The tool call a permission request is about, as the agent has described it so far: ACP's
 * `tool_call` and `tool_call_update`s for its id (`announced`, in order), then the request's own
 * fields. Each update replaces the fields it gives; Codex, for one, announces the diff in its
 * `tool_call` and asks with only the title and paths.
 */
export function mergeToolCall(announced: readonly unknown[], request: unknown): unknown {
  if (!isObj(request)) return request;
  let merged: Json = {};
  for (const u of announced) {
    if (!isObj(u)) continue;
    const { sessionUpdate: _kind, ...fields } = u;
    merged = { ...merged, ...fields };
  }
  return { ...merged, ...request };
}

/** The summary of an ACP tool call (null: the agent sent none). */
export function summarizeToolCall(toolCall: unknown): ToolCallSummary | null {
  if (!isObj(toolCall)) return null;
  const title = str(toolCall.title);
  const preview = previewOf(toolCall);
  return {
    title: title === undefined ? null : capBytes(title, MAX_TITLE),
    kind: str(toolCall.kind) ?? null,
    paths: pathsOf(toolCall),
    preview: preview === null ? null : capBytes(preview),
  };
}
