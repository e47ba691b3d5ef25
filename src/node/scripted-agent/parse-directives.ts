/** One instruction for the scripted agent, parsed from a line of the prompt. */
export type Directive =
  | { type: "reply"; text: string }
  | { type: "write"; path: string; content: string }
  | { type: "ask_write"; path: string; content: string; options: PermissionChoice[] }
  | { type: "ask_run"; command: string; options: PermissionChoice[] }
  | { type: "run"; command: string }
  | { type: "sleep"; ms: number }
  | { type: "exit"; code: number; stderr: string }
  | { type: "emit"; count: number }
  | { type: "emit_bytes"; bytes: number }
  | { type: "stderr_bytes"; bytes: number }
  | { type: "set_mode"; mode: string }
  | { type: "session_state" }
  | { type: "mcp_call"; server: string; tool: string; args: Record<string, unknown> }
  | { type: "new_message" }
  | { type: "plan"; entries: string[] }
  | {
      type: "usage";
      via: "usage" | "quota";
      counts: UsageCounts;
      cost: { amount: number; currency: string } | null;
    }
  | { type: "remember"; fact: string }
  | { type: "recall" };

/** Token counts a `usage` directive reports (absent ones are left out of the answer). */
export type UsageCounts = Partial<
  Record<"input" | "output" | "cached-read" | "cached-write" | "thought" | "total", number>
>;

const USAGE_KEYS = new Set(["input", "output", "cached-read", "cached-write", "thought", "total"]);

/** `input=120 output=30 cost=0.25 currency=USD`; undefined when a pair is malformed. */
function parseUsage(text: string, via: "usage" | "quota"): Directive | undefined {
  const counts: UsageCounts = {};
  let amount: number | undefined;
  let currency = "USD";
  for (const pair of text
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "")) {
    const [key, value, extra] = pair.split("=");
    if (!key || value === undefined || value === "" || extra !== undefined) return undefined;
    if (key === "currency") currency = value;
    else if (key === "cost" && Number.isFinite(Number(value))) amount = Number(value);
    else if (USAGE_KEYS.has(key) && /^\d+$/.test(value)) counts[key as keyof UsageCounts] = Number(value);
    else return undefined;
  }
  return { type: "usage", via, counts, cost: amount === undefined ? null : { amount, currency } };
}

/** An option the scripted agent offers with a permission request (ACP `optionId`, `kind`). */
export interface PermissionChoice {
  optionId: string;
  kind: "allow_once" | "allow_always" | "reject_once" | "reject_always";
}

const KINDS = new Set(["allow_once", "allow_always", "reject_once", "reject_always"]);

export const DEFAULT_PERMISSION_OPTIONS: PermissionChoice[] = [
  { optionId: "allow_once", kind: "allow_once" },
  { optionId: "reject_once", kind: "reject_once" },
];

/** `id:kind,id:kind` (e.g. `proceed_once:allow_once,cancel:reject_once`); undefined when malformed. */
function parseOptions(text: string): PermissionChoice[] | undefined {
  const out: PermissionChoice[] = [];
  for (const part of text.split(",")) {
    const [optionId, kind, extra] = part.split(":");
    if (!optionId || !kind || extra !== undefined || !KINDS.has(kind)) return undefined;
    out.push({ optionId, kind: kind as PermissionChoice["kind"] });
  }
  return out.length > 0 ? out : undefined;
}

/** `\n` and `\t` in directive text become real newlines/tabs; `\\` a backslash. */
export function unescapeText(text: string): string {
  return text.replace(/\\([nt\\])/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));
}

function pathAndContent(rest: string): { path: string; content: string } | undefined {
  const colon = rest.indexOf(":");
  if (colon <= 0) return undefined;
  const path = rest.slice(0, colon).trim();
  if (!path) return undefined;
  return { path, content: unescapeText(rest.slice(colon + 1).replace(/^ /, "")) };
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseLine(line: string): Directive | undefined {
  let m = /^reply:\s?(.*)$/.exec(line);
  if (m) return { type: "reply", text: unescapeText(m[1] ?? "") };
  m = /^ask-permission(?:\s+options=(\S+))?\s+run:\s*(.+)$/.exec(line);
  if (m) {
    const options = m[1] === undefined ? DEFAULT_PERMISSION_OPTIONS : parseOptions(m[1]);
    return options && { type: "ask_run", command: m[2] ?? "", options };
  }
  m = /^ask-permission(?:\s+options=(\S+))?\s+write\s+(.+)$/.exec(line);
  if (m) {
    const options = m[1] === undefined ? DEFAULT_PERMISSION_OPTIONS : parseOptions(m[1]);
    const pc = pathAndContent(m[2] ?? "");
    return pc && options && { type: "ask_write", ...pc, options };
  }
  m = /^write\s+(.+)$/.exec(line);
  if (m) {
    const pc = pathAndContent(m[1] ?? "");
    return pc && { type: "write", ...pc };
  }
  m = /^run:\s*(.+)$/.exec(line);
  if (m) return { type: "run", command: m[1] ?? "" };
  m = /^sleep\s+(\d+)\s*(?:ms)?$/.exec(line);
  if (m) return { type: "sleep", ms: Number(m[1]) };
  m = /^exit\s+(-?\d+)(?:\s+(.*))?$/.exec(line);
  if (m) return { type: "exit", code: Number(m[1]), stderr: unescapeText(m[2] ?? "") };
  m = /^emit-bytes\s+(\d+)$/.exec(line);
  if (m) return { type: "emit_bytes", bytes: Number(m[1]) };
  m = /^stderr-bytes\s+(\d+)$/.exec(line);
  if (m) return { type: "stderr_bytes", bytes: Number(m[1]) };
  m = /^emit\s+(\d+)$/.exec(line);
  if (m) return { type: "emit", count: Number(m[1]) };
  m = /^set-mode\s+(\S+)$/.exec(line);
  if (m) return { type: "set_mode", mode: m[1] ?? "" };
  if (line === "session-state") return { type: "session_state" };
  m = /^mcp-call\s+(\S+)\s+(\S+)(?:\s+(\{.*\}))?$/.exec(line);
  if (m) {
    const args = m[3] === undefined ? {} : jsonObject(m[3]);
    return args && { type: "mcp_call", server: m[1]!, tool: m[2]!, args };
  }
  if (line === "new-message") return { type: "new_message" };
  m = /^plan:(.*)$/.exec(line);
  if (m) {
    const entries = (m[1] ?? "")
      .split("|")
      .map((e) => e.trim())
      .filter((e) => e !== "");
    return entries.length > 0 ? { type: "plan", entries } : undefined;
  }
  m = /^usage(-quota)?:(.*)$/.exec(line);
  if (m) return parseUsage(m[2] ?? "", m[1] ? "quota" : "usage");
  m = /^remember:\s?(.*)$/.exec(line);
  if (m) return { type: "remember", fact: unescapeText(m[1] ?? "") };
  if (line === "recall") return { type: "recall" };
  return undefined;
}

/** Directives in prompt order; lines that are not directives are ignored. */
export function parseDirectives(prompt: string): Directive[] {
  const out: Directive[] = [];
  for (const raw of prompt.split(/\r?\n/)) {
    const d = parseLine(raw.trim());
    if (d) out.push(d);
  }
  return out;
}

/**
 * A scripted leader's answer to permission reviews found in its prompt (any `"review_id": "…"` in the
 * text, e.g. a delivered `permission_review` message). `decision` comes from env
 * SCRIPTED_REVIEW_DECISION (`allow` | `reject`); the answer goes through the `agenthub` MCP server's
 * `permission_review_respond` tool when `mcpServer` names it (the session has it), else the actor
 * CLI, as a real leader's would. The option is chosen by its ACP `kind`, never its position or id:
 * the `<decision>_once` kind (`{"option_id": "proceed_once", …, "kind": "allow_once"}`), else the first
 * other kind starting with the decision (Gemini lists `allow_always` first).
 */
export function reviewDirectives(
  prompt: string,
  decision: string | undefined,
  mcpServer?: string,
): Directive[] {
  if (decision !== "allow" && decision !== "reject") return [];
  const options = [...prompt.matchAll(/\{[^{}]*\}/g)].flatMap((m) => {
    const id = /"option_?[iI]d"\s*:\s*"([^"]+)"/.exec(m[0])?.[1];
    const kind = /"kind"\s*:\s*"([^"]*)"/.exec(m[0])?.[1];
    return id ? [{ id, kind: kind || id }] : [];
  });
  const option =
    options.find((o) => o.kind === `${decision}_once`)?.id ??
    options.find((o) => o.kind.startsWith(decision))?.id ??
    `${decision}_once`;
  const ids = new Set([...prompt.matchAll(/"review_id"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!));
  return [...ids].map(
    (id): Directive =>
      mcpServer
        ? {
            type: "mcp_call",
            server: mcpServer,
            tool: "permission_review_respond",
            args: { request_id: id, option_id: option },
          }
        : {
            type: "run",
            command: `agenthub actor permission-review-respond --request-id ${id} --option-id ${option}`,
          },
  );
}
