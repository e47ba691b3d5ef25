/** One instruction for the scripted agent, parsed from a line of the prompt. */
export type Directive =
  | { type: "reply"; text: string }
  | { type: "write"; path: string; content: string }
  | { type: "ask_write"; path: string; content: string }
  | { type: "run"; command: string }
  | { type: "sleep"; ms: number }
  | { type: "exit"; code: number; stderr: string }
  | { type: "emit"; count: number };

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

function parseLine(line: string): Directive | undefined {
  let m = /^reply:\s?(.*)$/.exec(line);
  if (m) return { type: "reply", text: unescapeText(m[1] ?? "") };
  m = /^ask-permission write\s+(.+)$/.exec(line);
  if (m) {
    const pc = pathAndContent(m[1] ?? "");
    return pc && { type: "ask_write", ...pc };
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
  m = /^emit\s+(\d+)$/.exec(line);
  if (m) return { type: "emit", count: Number(m[1]) };
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
 * SCRIPTED_REVIEW_DECISION (`allow` | `reject`); the answer goes through the actor CLI, as a real
 * leader's would. Option ids are taken from the same text (`"option_id": "allow_once"` …).
 */
export function reviewDirectives(prompt: string, decision: string | undefined): Directive[] {
  if (decision !== "allow" && decision !== "reject") return [];
  const options = [...prompt.matchAll(/"option_?[iI]d"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!);
  const option = options.find((o) => o.startsWith(decision)) ?? `${decision}_once`;
  const ids = new Set([...prompt.matchAll(/"review_id"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!));
  return [...ids].map((id) => ({
    type: "run" as const,
    command: `agenthub actor permission-review-respond --request-id ${id} --option-id ${option}`,
  }));
}
