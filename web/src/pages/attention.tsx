import { type FormEvent, useState } from "react";
import { api, unwrap } from "../api/client";
import { type AttentionItem, useAttention, usePageTitle } from "../attention";
import { ErrorText, Time, useAction } from "../components/common";
import { PermissionPrompt } from "../components/permission";
import { Link, paths } from "../router";
import { useSession } from "../session";

type Of<K extends AttentionItem["kind"]> = Extract<AttentionItem, { kind: K }>;

function Where({
  team_id,
  team_name,
  run_id,
}: {
  team_id: string | null;
  team_name: string | null;
  run_id: string | null;
}) {
  return (
    <p className="muted small">
      {team_id ? <Link to={paths.team(team_id)}>{team_name ?? team_id}</Link> : null}
      {run_id ? (
        <>
          {" · run "}
          <Link to={paths.run(run_id)}>{run_id}</Link>
        </>
      ) : null}
    </p>
  );
}

function PermissionCard({ item }: { item: Of<"permission"> }) {
  return (
    <li
      className="card attention-item"
      aria-label={`Permission request from ${item.requester_member_id ?? item.agent_name}`}
    >
      <h3>
        Permission request from{" "}
        <Link to={paths.agent(item.agent_id)}>{item.requester_member_id ?? item.agent_name}</Link>
        {item.step_key ? <span className="muted"> (step {item.step_key})</span> : null}
      </h3>
      <Where team_id={item.team_id} team_name={item.team_name} run_id={item.run_id} />
      <PermissionPrompt target={item} toolCall={item.tool_call} options={item.options} />
      <p className="muted small">
        Asked <Time iso={item.created_at} />
      </p>
    </li>
  );
}

function InputCard({ item }: { item: Of<"input_required"> }) {
  const { user } = useSession();
  const [text, setText] = useState("");
  const send = useAction(async () => {
    await unwrap(
      api.POST("/api/runs/{id}/messages", {
        params: { path: { id: item.run_id } },
        body: {
          from_actor_id: `human:${user?.username ?? "unknown"}`,
          route: "to_member",
          to_actor_id: item.member_id,
          payload: { text },
        },
      }),
    );
    setText("");
  });
  const resume = useAction(() =>
    unwrap(
      api.POST("/api/runs/{id}/steps/{step_key}/resume", {
        params: { path: { id: item.run_id, step_key: item.step_key } },
        body: {},
      }),
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) void send.run();
  };
  return (
    <li className="card attention-item">
      <h3>
        Step <Link to={`${paths.run(item.run_id)}#step-${item.step_key}`}>{item.step_key}</Link> waits for
        input
      </h3>
      <Where team_id={item.team_id} team_name={item.team_name} run_id={item.run_id} />
      <p>
        Member <strong>{item.member_id}</strong> asked for input <Time iso={item.since} />.
      </p>
      <form className="form inline" onSubmit={submit}>
        <label>
          Message to {item.member_id}
          <input value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={send.pending || !text.trim()}>
          Send
        </button>
        <button type="button" className="primary" onClick={() => void resume.run()} disabled={resume.pending}>
          Continue step
        </button>
      </form>
      <ErrorText error={send.error ?? resume.error} />
    </li>
  );
}

function FailedCard({ item }: { item: Of<"run_failed"> }) {
  return (
    <li className="card attention-item">
      <h3>
        Run <Link to={paths.run(item.run_id)}>{item.run_id}</Link> failed
      </h3>
      <Where team_id={item.team_id} team_name={item.team_name} run_id={null} />
      {item.error ? (
        <p className="error-text">
          <span className="code">{item.error.code}</span> {item.error.message}
        </p>
      ) : null}
      <p className="muted small">
        Finished <Time iso={item.finished_at} />
      </p>
    </li>
  );
}

function NodeCard({ item }: { item: Of<"node_offline"> }) {
  return (
    <li className="card attention-item">
      <h3>
        Node <Link to="/nodes">{item.name}</Link> is offline
      </h3>
      {item.last_error ? <p className="error-text">{item.last_error}</p> : null}
      <p className="muted small">
        Last answered <Time iso={item.last_ok_at} />
      </p>
    </li>
  );
}

function Item({ item }: { item: AttentionItem }) {
  switch (item.kind) {
    case "permission":
      return <PermissionCard item={item} />;
    case "input_required":
      return <InputCard item={item} />;
    case "run_failed":
      return <FailedCard item={item} />;
    case "node_offline":
      return <NodeCard item={item} />;
  }
}

function keyOf(i: AttentionItem): string {
  switch (i.kind) {
    case "permission":
      return `p:${i.id}`;
    case "input_required":
      return `i:${i.run_id}:${i.step_key}`;
    case "run_failed":
      return `f:${i.run_id}`;
    case "node_offline":
      return `n:${i.node_id}`;
  }
}

/** The landing page: what needs the signed-in user now, live. */
export function AttentionPage() {
  usePageTitle("Attention");
  const { items } = useAttention();
  return (
    <main id="main">
      <h1>What waits for you</h1>
      {items === undefined ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p className="empty" role="status">
          Nothing waits for you. Permission requests, steps that need input, failed runs and offline nodes
          show up here as they happen. <Link to="/teams">Go to your teams</Link>.
        </p>
      ) : (
        <ul className="attention-list" aria-label={`${items.length} items waiting`}>
          {items.map((i) => (
            <Item key={keyOf(i)} item={i} />
          ))}
        </ul>
      )}
    </main>
  );
}
