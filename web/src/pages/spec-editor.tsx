import { type FormEvent, useId, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { ErrorText, useAction } from "../components/common";
import { lineColumn, locate, pathSegments } from "../json-locate";

/** A problem at a path of the submitted body, as the API reports it (details.errors, or details.field). */
interface FieldProblem {
  field: string;
  message: string;
}

function problemsOf(err: unknown): FieldProblem[] {
  if (!(err instanceof ApiError)) return [];
  const d = err.body.details ?? {};
  const list = Array.isArray(d.errors) ? d.errors : Array.isArray(d.issues) ? d.issues : [];
  const out: FieldProblem[] = [];
  for (const p of list as { field?: unknown; message?: unknown }[]) {
    if (typeof p.field === "string" && typeof p.message === "string")
      out.push({ field: p.field, message: p.message });
  }
  return out;
}

/** A JSON syntax error's place (V8 names "position N" and, lately, line and column). */
function syntaxError(text: string): { message: string; offset: number | undefined } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    return { message, offset: pos ? Number(pos[1]) : undefined };
  }
}

export const SPEC_TEMPLATE = {
  spec_version: 1,
  leader_member_id: "lead",
  members: [
    {
      member_id: "lead",
      role: "leader",
      description: "plans the work",
      skills: [],
      agent: {
        provider: "scripted",
        node_id: "main",
        worktree_mode: "use_existing",
        workdir: "/path/in/safe_paths",
      },
    },
  ],
  steps: [{ step_key: "plan", member_id: "lead", prompt: "reply: a plan" }],
  permissions: { route: "to_human" },
};

/**
 * A team's name and spec (JSON) with the API's validation errors at their paths: each problem names
 * its path and line, and choosing it selects that place in the editor.
 */
export function SpecEditor({
  initialName,
  initialSpec,
  submitLabel,
  onSubmit,
}: {
  initialName: string;
  initialSpec: unknown;
  submitLabel: string;
  onSubmit: (name: string, spec: unknown) => Promise<void>;
}) {
  const [name, setName] = useState(initialName);
  const [text, setText] = useState(() => JSON.stringify(initialSpec, null, 2));
  const [syntax, setSyntax] = useState<ReturnType<typeof syntaxError>>(undefined);
  const area = useRef<HTMLTextAreaElement>(null);
  const errorsId = useId();
  const act = useAction(async () => {
    const bad = syntaxError(text);
    setSyntax(bad);
    if (bad) return;
    await onSubmit(name, JSON.parse(text));
  });
  const problems = problemsOf(act.error);

  const select = (start: number, end: number) => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(start, end);
    // Scroll the selection into view: the line's share of the text's height.
    const line = lineColumn(text, start).line;
    const lineHeight = el.scrollHeight / Math.max(1, text.split("\n").length);
    el.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run();
  };
  const lines = text.split("\n").length;
  return (
    <form onSubmit={submit} className="form spec-editor">
      <label>
        Team name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label htmlFor={`${errorsId}-spec`}>
        Spec (JSON) <span className="muted small">{lines} lines</span>
      </label>
      <textarea
        id={`${errorsId}-spec`}
        ref={area}
        className="code-input"
        spellCheck={false}
        wrap="off"
        rows={Math.min(30, Math.max(12, lines + 1))}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={problems.length > 0 || syntax !== undefined}
        aria-describedby={errorsId}
      />
      <div id={errorsId} aria-live="polite">
        {syntax ? (
          <div className="problems" role="alert">
            <p className="error">JSON syntax error: {syntax.message}</p>
            {syntax.offset !== undefined ? (
              <button
                type="button"
                className="link"
                onClick={() => select(syntax.offset ?? 0, (syntax.offset ?? 0) + 1)}
              >
                Show line {lineColumn(text, syntax.offset).line}
              </button>
            ) : null}
          </div>
        ) : null}
        {act.error ? (
          <div className="problems" role="alert">
            <ErrorText error={act.error} />
            {problems.length > 0 ? (
              <ul aria-label="Problems by path">
                {problems.map((p) => {
                  const rel = p.field.replace(/^spec\.?/, "");
                  const where = p.field.startsWith("spec") ? locate(text, pathSegments(rel)) : undefined;
                  return (
                    <li key={`${p.field}:${p.message}`} className="problem">
                      <code className="path">{p.field}</code>{" "}
                      <span>
                        {p.message.startsWith(`${p.field}: `)
                          ? p.message.slice(p.field.length + 2)
                          : p.message}
                      </span>{" "}
                      {where ? (
                        <button type="button" className="link" onClick={() => select(where.start, where.end)}>
                          {where.exact ? "" : "near "}line {where.line}
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={act.pending}>
          {act.pending ? "Saving…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
