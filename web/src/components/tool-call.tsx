import { pretty } from "./common";

/** An ACP tool call (or its update) as the agent reported it; every field is optional. */
export interface ToolCallLike {
  toolCallId?: string;
  title?: string;
  kind?: string;
  status?: string;
  content?: unknown[];
  rawInput?: unknown;
  rawOutput?: unknown;
  locations?: { path?: string; line?: number }[];
}

interface Diff {
  path: string;
  oldText: string | null;
  newText: string;
}

function isDiff(c: unknown): c is Diff {
  return typeof c === "object" && c !== null && (c as { type?: unknown }).type === "diff";
}

function textOf(c: unknown): string | undefined {
  const inner = (c as { content?: { type?: string; text?: string } } | null)?.content;
  return inner?.type === "text" && typeof inner.text === "string" ? inner.text : undefined;
}

const MAX_DIFF_LINES = 400;

/** The changed lines of a diff: what both sides share at the start and end is left out. */
export function diffLines(
  oldText: string | null,
  newText: string,
): { sign: " " | "-" | "+"; text: string }[] {
  const a = oldText === null ? [] : oldText.split("\n");
  const b = newText.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: { sign: " " | "-" | "+"; text: string }[] = [];
  if (start > 0) out.push({ sign: " ", text: a[start - 1] ?? "" });
  for (const l of a.slice(start, endA)) out.push({ sign: "-", text: l });
  for (const l of b.slice(start, endB)) out.push({ sign: "+", text: l });
  if (endA < a.length) out.push({ sign: " ", text: a[endA] ?? "" });
  return out.slice(0, MAX_DIFF_LINES);
}

export function DiffView({ diff }: { diff: Diff }) {
  return (
    <figure className="diff">
      <figcaption>{diff.path}</figcaption>
      <pre>
        {diffLines(diff.oldText, diff.newText).map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity of their own
          <span key={i} className={l.sign === "+" ? "add" : l.sign === "-" ? "del" : undefined}>
            {`${l.sign} ${l.text}\n`}
          </span>
        ))}
      </pre>
    </figure>
  );
}

function ContentPart({ part }: { part: unknown }) {
  if (isDiff(part)) return <DiffView diff={part} />;
  const text = textOf(part);
  return text ? <pre className="small">{text}</pre> : null;
}

/** Title, kind, status, input, text output and diffs of a tool call. */
export function ToolCallView({ call, compact = false }: { call: ToolCallLike; compact?: boolean }) {
  const content = Array.isArray(call.content) ? call.content : [];
  const input = call.rawInput === undefined ? undefined : pretty(call.rawInput);
  return (
    <div className="tool-call">
      <div className="tool-head">
        <strong>{call.title || call.toolCallId || "tool call"}</strong>
        {call.kind ? <span className="tag">{call.kind}</span> : null}
        {call.status ? <span className={`status status-${call.status}`}>{call.status}</span> : null}
      </div>
      {call.locations?.length ? (
        <p className="muted small">
          {call.locations.map((l) => `${l.path ?? ""}${l.line ? `:${l.line}` : ""}`).join(", ")}
        </p>
      ) : null}
      {input && !compact ? (
        <pre className="small">{input.length > 2000 ? `${input.slice(0, 2000)}…` : input}</pre>
      ) : null}
      {content.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: content parts have no identity of their own
        <ContentPart key={i} part={c} />
      ))}
    </div>
  );
}
