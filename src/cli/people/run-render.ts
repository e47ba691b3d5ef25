import type { Review, Run, RunEvent, Step } from "./hub-types.js";
import { clockTime, duration, oneLine, table } from "./output.js";

/** Statuses a run (or step) ends in. */
export const TERMINAL = new Set(["completed", "failed", "canceled"]);

/** ANSI styles, or none (plain output, NO_COLOR). */
export interface Style {
  warn: (s: string) => string;
  bad: (s: string) => string;
  good: (s: string) => string;
}

export const PLAIN: Style = { warn: (s) => s, bad: (s) => s, good: (s) => s };
export const ANSI: Style = {
  warn: (s) => `\x1b[1;33m${s}\x1b[0m`,
  bad: (s) => `\x1b[31m${s}\x1b[0m`,
  good: (s) => `\x1b[32m${s}\x1b[0m`,
};

/** `3/5 steps`: completed steps of all. */
export function progress(run: Run): string {
  return `${run.steps.filter((s) => s.status === "completed").length}/${run.steps.length} steps`;
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : undefined);

/** How long a step ran (until now while it runs); undefined before it started. */
export function stepDuration(s: Step, now: number): number | undefined {
  const start = ms(s.started_at);
  return start === undefined ? undefined : (ms(s.finished_at) ?? now) - start;
}

function runDuration(run: Run, now: number): number {
  return (ms(run.finished_at) ?? now) - Date.parse(run.created_at);
}

function styled(status: string, st: Style): string {
  if (status === "completed") return st.good(status);
  if (status === "failed" || status === "canceled") return st.bad(status);
  if (status === "awaiting_review" || status === "input_required") return st.warn(status);
  return status;
}

function stepNote(s: Step): string {
  if (s.error) return oneLine(`${s.error.code}: ${s.error.message}`, 70);
  if (s.warnings.length > 0) return `warnings: ${s.warnings.map((w) => w.code).join(", ")}`;
  return "";
}

/** What a review asks, on one line: the tool call's title when it has one. */
export function reviewWhat(r: Review): string {
  const title = (r.tool_call as { title?: unknown } | null)?.title;
  return oneLine(typeof title === "string" ? title : (r.tool_call ?? "a tool call"), 60);
}

/** `! review rvw_… for step build (w1): write f.txt -> agenthub reviews approve rvw_…`. */
export function reviewLine(r: Review, st: Style): string {
  const where = r.step_key ? `step ${r.step_key}` : `run ${r.run_id}`;
  const reviewer = r.reviewer === "human" ? "you" : `member ${r.reviewer}`;
  return st.warn(
    `! review ${r.review_id} pending for ${where} (${r.requester_member_id ?? "?"} asks: ${reviewWhat(r)}); waits for ${reviewer}: agenthub reviews approve|reject ${r.review_id}`,
  );
}

/** A run event on one line: its time, kind, step and what its data says. */
export function eventLine(e: RunEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const parts = [clockTime(e.at), e.kind, e.step_key ?? ""];
  const said = ["code", "message", "reason", "review_id", "decision", "decided_by", "tool_call"]
    .filter((k) => d[k] !== undefined && d[k] !== null && d[k] !== "")
    .map((k) => `${k}=${oneLine(d[k], 60)}`)
    .join(" ");
  return [...parts, said].filter(Boolean).join("  ");
}

/** The run as a block of lines: header with progress, steps, pending reviews, the latest events. */
export function renderRun(
  run: Run,
  ctx: { teamName?: string; reviews: Review[]; events: RunEvent[]; now: number; style: Style },
): string {
  const st = ctx.style;
  const team = ctx.teamName ? `${ctx.teamName} (${run.team_id})` : run.team_id;
  const lines = [
    `run ${run.id} of team ${team}: ${styled(run.status, st)}, ${progress(run)}, ${duration(runDuration(run, ctx.now))}`,
  ];
  if (run.error) lines.push(st.bad(`  ${run.error.code}: ${oneLine(run.error.message, 200)}`));
  lines.push(
    table(
      ["step", "member", "status", "attempt", "duration", "note"],
      run.steps.map((s) => {
        const d = stepDuration(s, ctx.now);
        return [
          s.step_key,
          s.member_id,
          styled(s.status, st),
          s.attempt,
          d === undefined ? "" : duration(d),
          stepNote(s),
        ];
      }),
    ),
  );
  for (const r of ctx.reviews) lines.push(reviewLine(r, st));
  if (ctx.events.length > 0) {
    lines.push("latest events:");
    for (const e of ctx.events) lines.push(`  ${eventLine(e)}`);
  }
  return lines.join("\n");
}
