import { type FormEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Status, useAction, useLoad } from "../components/common";
import { UsageText } from "../components/usage";
import { useStream } from "../live";
import { Link, paths } from "../router";
import { TranscriptList } from "./transcript";
import { type AgentEvent, Transcript } from "./transcript-model";

const LIVE = new Set(["starting", "running", "idle", "busy"]);
/** Events that arrive together (a replay) are folded and drawn once per this many ms. */
const FLUSH_MS = 50;
const PERMISSION_KINDS = new Set(["permission_request", "permission_resolved", "agent_exited"]);

/**
 * An agent: its live ACP transcript (messages, tool calls with their diffs, plans, permission
 * requests with their options, stderr), an input box and cancel turn.
 */
export function AgentPage({ id }: { id: string }) {
  const agent = useLoad(() => unwrap(api.GET("/api/agents/{id}", { params: { path: { id } } })), [id]);
  usePageTitle(agent.data ? `Agent ${agent.data.name}` : "Agent");
  const pending = useLoad(
    () =>
      unwrap(
        api.GET("/api/agents/{id}/permissions", { params: { path: { id }, query: { status: "pending" } } }),
      ),
    [id],
  );
  const model = useRef(new Transcript());
  const queue = useRef<AgentEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const { reload: reloadPending } = pending;
  const { reload: reloadAgent } = agent;

  useEffect(() => () => clearTimeout(timer.current), []);

  useStream(`/api/agents/${encodeURIComponent(id)}/events`, {
    onMessage: (m) => {
      queue.current.push(JSON.parse(m.data) as AgentEvent);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        const batch = queue.current.splice(0);
        for (const e of batch) model.current.add(e);
        if (batch.some((e) => PERMISSION_KINDS.has(e.kind))) reloadPending();
        // A turn's end adds to the agent's usage.
        if (batch.some((e) => e.kind === "turn_ended")) reloadAgent();
        setVersion((n) => n + 1);
      }, FLUSH_MS);
    },
  });

  const byRequest = useMemo(
    () => new Map((pending.data?.permissions ?? []).map((p) => [p.node_request_id, p] as const)),
    [pending.data],
  );
  const a = agent.data;
  const status = model.current.state ?? a?.status;
  const running = status !== undefined && LIVE.has(status);

  return (
    <main id="main" className="agent-page">
      <p className="crumbs">
        <Link to="/agents">Agents</Link> /
        {a?.team_id ? (
          <>
            {" "}
            <Link to={paths.team(a.team_id)}>team</Link> /
          </>
        ) : null}
      </p>
      <div className="page-head">
        <h1>{a ? a.name : id}</h1>
        {status ? <Status value={status} /> : null}
      </div>
      <ErrorText error={agent.error} />
      {a ? <AgentFacts agent={a} /> : null}
      <TranscriptList rows={model.current.rows} version={version} pending={byRequest} />
      {a ? <Composer agent={a} running={running} /> : null}
    </main>
  );
}

function AgentFacts({ agent }: { agent: Schemas["Agent"] }) {
  return (
    <p className="muted small">
      node {agent.node_id}
      {agent.member_id ? ` · member ${agent.member_id}` : ""}
      {agent.spec.provider ? ` · ${agent.spec.provider}` : ""}
      {agent.workdir ? (
        <>
          {" · "}
          <span className="mono">{agent.workdir}</span>
        </>
      ) : null}
      {" · usage "}
      <UsageText usage={agent.usage} />
      {agent.last_error ? <span className="error-text"> · {agent.last_error}</span> : null}
    </p>
  );
}

function Composer({ agent, running }: { agent: Schemas["Agent"]; running: boolean }) {
  const [text, setText] = useState("");
  const send = useAction(async () => {
    await unwrap(api.POST("/api/agents/{id}/input", { params: { path: { id: agent.id } }, body: { text } }));
    setText("");
  });
  const cancel = useAction(() =>
    unwrap(api.POST("/api/agents/{id}/cancel", { params: { path: { id: agent.id } }, body: {} })),
  );
  const start = useAction(() =>
    unwrap(api.POST("/api/agents/{id}/start", { params: { path: { id: agent.id } }, body: {} })),
  );
  const stop = useAction(() =>
    unwrap(api.POST("/api/agents/{id}/stop", { params: { path: { id: agent.id } }, body: {} })),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void send.run();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (text.trim()) void send.run();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label>
        Message to the agent <span className="muted small">(Ctrl+Enter sends)</span>
        <textarea
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          disabled={!running}
        />
      </label>
      <div className="actions wrap">
        <button type="submit" className="primary" disabled={!running || send.pending || !text.trim()}>
          Send
        </button>
        <button type="button" disabled={!running || cancel.pending} onClick={() => void cancel.run()}>
          Cancel turn
        </button>
        {agent.team_id ? null : running ? (
          <button type="button" disabled={stop.pending} onClick={() => void stop.run()}>
            Stop agent
          </button>
        ) : (
          <button type="button" disabled={start.pending} onClick={() => void start.run()}>
            Start agent
          </button>
        )}
      </div>
      <ErrorText error={send.error ?? cancel.error ?? start.error ?? stop.error} />
    </form>
  );
}
