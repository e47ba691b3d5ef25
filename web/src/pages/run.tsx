import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import {
  ErrorText,
  formatDuration,
  pretty,
  Section,
  Status,
  Time,
  useAction,
  useLoad,
  useTick,
} from "../components/common";
import { PermissionPrompt } from "../components/permission";
import { UsageText } from "../components/usage";
import { useStream } from "../live";
import { Link, paths } from "../router";
import { RunGraph, stepDuration } from "./run-graph";

type RunEvent = Schemas["RunEvent"];
type Step = Schemas["Step"];

const FINISHED = new Set(["completed", "failed", "canceled"]);
/** Events shown in the timeline (the newest); the API has them all. */
const TIMELINE_MAX = 500;

function eventSummary(e: RunEvent): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of [
    "message",
    "code",
    "reviewer",
    "decision",
    "decided_by",
    "requester",
    "tool_call",
    "member_id",
    "title",
    "status",
    "paths",
    "mode_id",
    "attempt",
  ]) {
    const v = d[k];
    if (v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0))
      parts.push(`${k.replaceAll("_", " ")}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  // A plan shows its entries (status: what).
  if (Array.isArray(d.entries)) {
    const entries = d.entries as { content?: string; status?: string | null }[];
    parts.push(entries.map((p) => `${p.status ? `[${p.status}] ` : ""}${p.content ?? ""}`).join("; "));
  }
  return parts.join(" · ");
}

function StepDetails({ step, agentId, now }: { step: Step; agentId: string | undefined; now: number }) {
  const ms = stepDuration(step, now);
  return (
    <details
      id={`step-${step.step_key}`}
      className="step"
      open={step.status !== "completed" && step.status !== "submitted"}
    >
      <summary>
        <strong>{step.step_key}</strong> <Status value={step.status} />{" "}
        <span className="muted small">
          {step.member_id} · attempt {step.attempt}
          {ms === undefined ? "" : ` · ${formatDuration(ms)}`}
        </span>
      </summary>
      <dl className="facts">
        <dt>Member</dt>
        <dd>
          {step.member_id}
          {agentId ? (
            <>
              {" "}
              (<Link to={paths.agent(agentId)}>transcript</Link>)
            </>
          ) : null}
        </dd>
        <dt>Depends on</dt>
        <dd>{step.depends_on.length ? step.depends_on.join(", ") : "—"}</dd>
        <dt>Started</dt>
        <dd>
          <Time iso={step.started_at} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time iso={step.finished_at} />
        </dd>
        {step.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd>{step.outcome.replaceAll("_", " ")}</dd>
          </>
        ) : null}
        <dt>Usage</dt>
        <dd>
          <UsageText usage={step.usage} />
        </dd>
      </dl>
      {step.error ? (
        <p className="error-text">
          <span className="code">{step.error.code}</span> {step.error.message}
        </p>
      ) : null}
      {step.warnings.map((w) => (
        <p key={`${w.code}:${w.message}`} className="warning-text">
          <span className="code">{w.code}</span> {w.message}
        </p>
      ))}
      {step.output !== null ? (
        <>
          <h4>Output</h4>
          <pre className="output">{step.output}</pre>
        </>
      ) : null}
      <h4>Prompt</h4>
      <pre className="output muted">{step.prompt}</pre>
    </details>
  );
}

/**
 * A run: its step graph with live states, pending permission reviews, cancel / resume / restart, each
 * step's output and error, and its event timeline, all kept current by the run's event stream.
 */
export function RunPage({ id }: { id: string }) {
  usePageTitle(`Run ${id}`);
  const run = useLoad(() => unwrap(api.GET("/api/runs/{id}", { params: { path: { id } } })), [id]);
  const reviews = useLoad(
    () =>
      unwrap(
        api.GET("/api/runs/{id}/permission-reviews", {
          params: { path: { id }, query: { status: "pending" } },
        }),
      ),
    [id],
  );
  const teamId = run.data?.team_id;
  const runtime = useLoad(
    async () =>
      teamId ? unwrap(api.GET("/api/teams/{id}/runtime", { params: { path: { id: teamId } } })) : undefined,
    [teamId],
  );
  const team = useLoad(
    async () =>
      teamId ? unwrap(api.GET("/api/teams/{id}", { params: { path: { id: teamId } } })) : undefined,
    [teamId],
  );
  const [events, setEvents] = useState<RunEvent[]>([]);
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { reload: reloadRun } = run;
  const { reload: reloadReviews } = reviews;
  const scheduleRefresh = useCallback(() => {
    if (refresh.current) return;
    refresh.current = setTimeout(() => {
      refresh.current = undefined;
      reloadRun();
      reloadReviews();
    }, 100);
  }, [reloadRun, reloadReviews]);
  useEffect(() => () => clearTimeout(refresh.current), []);

  useStream(`/api/runs/${encodeURIComponent(id)}/events`, {
    onMessage: (m) => {
      const e = JSON.parse(m.data) as RunEvent;
      setEvents((prev) => (prev.length > 0 && (prev.at(-1)?.seq ?? 0) >= e.seq ? prev : [...prev, e]));
      scheduleRefresh();
    },
  });

  const r = run.data;
  const live = r ? !FINISHED.has(r.status) : false;
  const now = useTick(live);
  const act = (path: "/api/runs/{id}/cancel" | "/api/runs/{id}/resume") => async () => {
    run.setData(await unwrap(api.POST(path, { params: { path: { id } }, body: {} })));
  };
  const cancel = useAction(act("/api/runs/{id}/cancel"));
  const resume = useAction(act("/api/runs/{id}/resume"));
  const [restartMode, setRestartMode] = useState<"unfinished" | "all">("unfinished");
  const restart = useAction(async () => {
    run.setData(
      await unwrap(
        api.POST("/api/runs/{id}/restart", { params: { path: { id } }, body: { mode: restartMode } }),
      ),
    );
  });
  const agentOf = (member: string) =>
    runtime.data?.members.find((m) => m.member_id === member)?.agent_id ?? undefined;
  const shown = events.slice(-TIMELINE_MAX);

  return (
    <main id="main">
      <p className="crumbs">
        <Link to="/teams">Teams</Link> /{" "}
        {teamId ? <Link to={paths.team(teamId)}>{team.data?.name ?? "team"}</Link> : null} /
      </p>
      <div className="page-head">
        <h1>
          Run <span className="mono">{id}</span>
        </h1>
        {r ? <Status value={r.status} /> : null}
      </div>
      <ErrorText error={run.error} />
      {r ? (
        <>
          <div className="actions wrap">
            <button
              type="button"
              className="danger"
              disabled={cancel.pending || FINISHED.has(r.status)}
              onClick={() => void cancel.run()}
            >
              Cancel run
            </button>
            <button
              type="button"
              disabled={resume.pending || r.status === "completed"}
              onClick={() => void resume.run()}
            >
              Resume
            </button>
            <label className="inline-label">
              Restart
              <select
                value={restartMode}
                onChange={(e) => setRestartMode(e.target.value as "unfinished" | "all")}
              >
                <option value="unfinished">unfinished steps</option>
                <option value="all">all steps</option>
              </select>
            </label>
            <button type="button" disabled={restart.pending} onClick={() => void restart.run()}>
              Restart
            </button>
          </div>
          <ErrorText error={cancel.error ?? resume.error ?? restart.error} />
          <p className="muted small">
            Created <Time iso={r.created_at} /> · attempt {r.attempt}
            {r.finished_at ? (
              <>
                {" "}
                · finished <Time iso={r.finished_at} />
              </>
            ) : null}
            {r.outcome ? ` · ${r.outcome.replaceAll("_", " ")}` : ""}
          </p>
          {r.error ? (
            <p className="error-text">
              <span className="code">{r.error.code}</span> {r.error.message}
            </p>
          ) : null}
          <p className="small run-usage">
            Usage: <UsageText usage={r.usage} />
            {r.member_usage
              .filter((m) => m.usage.turns > 0)
              .map((m) => (
                <span key={m.member_id} className="muted">
                  {" "}
                  · {m.member_id}: <UsageText usage={m.usage} />
                </span>
              ))}
          </p>
          {reviews.data && reviews.data.reviews.length > 0 ? (
            <Section title="Waiting for review">
              <ul className="list">
                {reviews.data.reviews.map((rv) => (
                  <li key={rv.review_id} className="card">
                    <p>
                      <strong>{rv.requester_member_id}</strong> asks (step {rv.step_key ?? "—"}; reviewer{" "}
                      {rv.reviewer})
                    </p>
                    <PermissionPrompt
                      target={{ id: rv.review_id, agent_id: rv.agent_id, run_id: rv.run_id }}
                      toolCall={rv.tool_call}
                      options={rv.options}
                      onAnswered={scheduleRefresh}
                    />
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section title="Steps">
            <RunGraph steps={r.steps} now={now} />
            {r.input !== null ? (
              <details>
                <summary>Run input</summary>
                <pre className="output">{pretty(r.input)}</pre>
              </details>
            ) : null}
            {r.steps.map((s) => (
              <StepDetails key={s.step_key} step={s} agentId={agentOf(s.member_id)} now={now} />
            ))}
          </Section>
        </>
      ) : null}
      <Section title="Events">
        {events.length > TIMELINE_MAX ? (
          <p className="muted small">
            The newest {TIMELINE_MAX} of {events.length} events.
          </p>
        ) : null}
        <ol className="timeline">
          {shown.map((e) => (
            <li key={e.seq}>
              <span className="muted small mono">#{e.seq}</span> <Time iso={e.at} />{" "}
              <strong className={`kind kind-${e.kind.split(".")[0]}`}>{e.kind}</strong>
              {e.step_key ? <span className="tag">{e.step_key}</span> : null}{" "}
              <span className="small">{eventSummary(e)}</span>
            </li>
          ))}
        </ol>
      </Section>
    </main>
  );
}
