import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Schemas } from "../api/client";
import { Time } from "../components/common";
import { PermissionPrompt } from "../components/permission";
import { ToolCallView } from "../components/tool-call";
import { Link, paths } from "../router";
import { turnLabel } from "../turn-label";
import type { Row } from "./transcript-model";

type Pending = Schemas["PermissionRequest"];

function outcomeText(outcome: unknown): string {
  const o = (outcome ?? {}) as {
    outcome?: unknown;
    option_id?: unknown;
    optionId?: unknown;
    cancelled?: unknown;
  };
  const id = o.option_id ?? o.optionId;
  if (typeof id === "string") return `answered: ${id}`;
  if (o.cancelled || o.outcome === "cancelled") return "cancelled";
  return "answered";
}

function RowView({ row, pending }: { row: Row; pending: Map<string, Pending> }) {
  switch (row.type) {
    case "turn": {
      const label = turnLabel(row.turnId);
      return (
        <div className="t-turn">
          <div className="t-meta">
            <span>
              Turn: {label.runId ? <Link to={paths.run(label.runId)}>{label.text}</Link> : label.text}
            </span>
            <Time iso={row.at} />
          </div>
          <pre className="t-prompt">{row.text}</pre>
        </div>
      );
    }
    case "message":
      return (
        <div className={`t-message t-${row.role}`}>
          <span className="t-who">{row.role === "thought" ? "thinking" : row.role}</span>
          <pre>{row.text.replace(/^\n+/, "")}</pre>
        </div>
      );
    case "tool":
      return <ToolCallView call={row.call} />;
    case "plan":
      return (
        <div className="t-plan">
          <span className="t-who">plan</span>
          <ol>
            {row.entries.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: plan entries are replaced as a whole
              <li key={i} className={`plan-${p.status ?? "pending"}`}>
                {p.content}{" "}
                <span className="muted small">({(p.status ?? "pending").replaceAll("_", " ")})</span>
              </li>
            ))}
          </ol>
        </div>
      );
    case "permission": {
      const open = row.outcome === undefined ? pending.get(row.requestId) : undefined;
      return (
        <div className="t-permission">
          <span className="t-who">permission request</span>
          {open ? (
            <PermissionPrompt
              target={{ id: open.id, agent_id: open.agent_id, run_id: open.run_id }}
              toolCall={row.toolCall}
              options={open.options}
            />
          ) : (
            <>
              <ToolCallView call={(row.toolCall ?? {}) as never} compact />
              <p className="muted small">
                {row.outcome === undefined
                  ? "waiting for its reviewer (the team's leader)"
                  : outcomeText(row.outcome)}
              </p>
            </>
          )}
        </div>
      );
    }
    case "stderr":
      return <pre className="t-stderr">{row.line}</pre>;
    case "turn_end":
      return (
        <p className="t-status">
          turn ended: {row.stopReason || "—"}
          {row.error ? <span className="error-text"> {row.error}</span> : null}
        </p>
      );
    case "status":
    case "exit":
      return (
        <p className="t-status">
          {row.text} <Time iso={row.at} />
        </p>
      );
  }
}

/**
 * The transcript as a windowed list: only the rows in view (and a few around) are in the DOM, so a
 * history of 10,000 events scrolls as lightly as ten. It follows new rows while scrolled to the end.
 */
export function TranscriptList({
  rows,
  version,
  pending,
}: {
  rows: Row[];
  version: number;
  pending: Map<string, Pending>;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 36,
    overscan: 8,
    getItemKey: (i) => rows[i]?.key ?? i,
    useFlushSync: false,
  });
  const following = useRef(follow);
  following.current = follow;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says the rows changed
  useLayoutEffect(() => {
    if (!follow || rows.length === 0) return;
    v.scrollToIndex(rows.length - 1, { align: "end" });
    // Rows measured after this frame may grow the list: settle on the real end.
    const frame = requestAnimationFrame(() => {
      const el = scroller.current;
      if (el && following.current) el.scrollTop = el.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [version, follow, rows.length, v]);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Only the reader's own scrolling (wheel, touch, keys, the scrollbar) stops following; the list
    // moving under new rows does not.
    let lastInput = 0;
    const input = () => {
      lastInput = Date.now();
    };
    const onScroll = () => {
      const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      if (atEnd) setFollow(true);
      else if (Date.now() - lastInput < 1_500) setFollow(false);
    };
    const inputs = ["wheel", "touchstart", "keydown", "pointerdown"] as const;
    for (const t of inputs) el.addEventListener(t, input, { passive: true });
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      for (const t of inputs) el.removeEventListener(t, input);
      el.removeEventListener("scroll", onScroll);
    };
  }, []);
  const items = v.getVirtualItems();
  return (
    <div
      ref={scroller}
      className="transcript"
      role="log"
      aria-label={`Transcript, ${rows.length} entries`}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls with the keyboard
      tabIndex={0}
      data-rows={rows.length}
    >
      <div style={{ height: v.getTotalSize(), position: "relative", width: "100%" }}>
        <div
          style={{
            position: "absolute",
            top: 0,
            left: 0,
            width: "100%",
            transform: `translateY(${items[0]?.start ?? 0}px)`,
          }}
        >
          {items.map((it) => {
            const row = rows[it.index];
            if (!row) return null;
            return (
              <div
                key={it.key}
                data-index={it.index}
                ref={v.measureElement}
                className="t-row"
                data-seq={row.seq}
              >
                <RowView row={row} pending={pending} />
              </div>
            );
          })}
        </div>
      </div>
      {rows.length === 0 ? <p className="muted">No events yet.</p> : null}
      {!follow && rows.length > 0 ? (
        <button type="button" className="jump" onClick={() => setFollow(true)}>
          Jump to the newest
        </button>
      ) : null}
    </div>
  );
}
