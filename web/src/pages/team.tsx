import { type FormEvent, useEffect, useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Section, Status, Time, useAction, useLoad } from "../components/common";
import { Link, navigate, paths } from "../router";
import { turnLabel } from "../turn-label";
import { SPEC_TEMPLATE, SpecEditor } from "./spec-editor";

type Team = Schemas["Team"];
type Member = Schemas["TeamRuntime"]["members"][number];

/** How often the runtime panel reads members' states again (no stream announces them). */
const RUNTIME_POLL_MS = 2_000;

/** The turn a busy member's agent is in: the last `turn_started` of its recent events with no end. */
function CurrentTurn({ agentId, status }: { agentId: string; status: string }) {
  const turn = useLoad(async () => {
    if (status !== "busy") return undefined;
    const agent = await unwrap(api.GET("/api/agents/{id}", { params: { path: { id: agentId } } }));
    const page = (await unwrap(
      api.GET("/api/agents/{id}/events", {
        params: {
          path: { id: agentId },
          query: { after: String(Math.max(0, agent.last_event_seq - 200)), limit: "200" },
        },
      }),
    )) as { events: Schemas["AgentEvent"][] };
    let open: { turn_id?: unknown; text?: unknown } | undefined;
    for (const e of page.events) {
      const data = (e.data ?? {}) as { turn_id?: unknown; text?: unknown };
      if (e.kind === "turn_started") open = data;
      else if (e.kind === "turn_ended" && open && data.turn_id === open.turn_id) open = undefined;
    }
    return open;
  }, [agentId, status]);
  if (status !== "busy") return <span className="muted">—</span>;
  if (!turn.data) return <span className="muted">working</span>;
  const label = turnLabel(turn.data.turn_id);
  return <span>{label.runId ? <Link to={paths.run(label.runId)}>{label.text}</Link> : label.text}</span>;
}

function MemberRow({ m, team }: { m: Member; team: Team }) {
  const spec = team.spec.members.find((s) => s.member_id === m.member_id);
  return (
    <tr>
      <th scope="row">
        {m.member_id}
        <div className="muted small">{m.role}</div>
      </th>
      <td>{m.node_id}</td>
      <td>
        <Status value={m.status} />
        {m.last_error ? <div className="error-text small">{m.last_error}</div> : null}
      </td>
      <td>{spec?.agent?.provider ?? spec?.agent?.command ?? "—"}</td>
      <td>
        {m.agent_id ? (
          <CurrentTurn agentId={m.agent_id} status={m.status} />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {m.agent_id ? <Link to={paths.agent(m.agent_id)}>transcript</Link> : <span className="muted">—</span>}
      </td>
    </tr>
  );
}

function RuntimePanel({ team }: { team: Team }) {
  const runtime = useLoad(
    () => unwrap(api.GET("/api/teams/{id}/runtime", { params: { path: { id: team.id } } })),
    [team.id],
  );
  const { reload, setData } = runtime;
  useEffect(() => {
    const t = setInterval(reload, RUNTIME_POLL_MS);
    return () => clearInterval(t);
  }, [reload]);
  const start = useAction(async () =>
    setData(
      await unwrap(
        api.POST("/api/teams/{id}/runtime/start", { params: { path: { id: team.id } }, body: {} }),
      ),
    ),
  );
  const stop = useAction(async () =>
    setData(
      await unwrap(api.POST("/api/teams/{id}/runtime/stop", { params: { path: { id: team.id } }, body: {} })),
    ),
  );
  const r = runtime.data;
  const started = r?.status === "started";
  return (
    <Section
      title="Runtime"
      actions={
        <>
          {r ? <Status value={r.status} /> : null}
          <button
            type="button"
            className="primary"
            disabled={start.pending || started}
            onClick={() => void start.run()}
          >
            {start.pending ? "Starting…" : "Start runtime"}
          </button>
          <button type="button" disabled={stop.pending || !started} onClick={() => void stop.run()}>
            {stop.pending ? "Stopping…" : "Stop runtime"}
          </button>
        </>
      }
    >
      <ErrorText error={start.error ?? stop.error ?? runtime.error} />
      {r ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Members of {team.name}</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Node</th>
                <th scope="col">Status</th>
                <th scope="col">Provider</th>
                <th scope="col">Current turn</th>
                <th scope="col">Agent</th>
              </tr>
            </thead>
            <tbody>
              {r.members.map((m) => (
                <MemberRow key={m.member_id} m={m} team={team} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
}

function RunsPanel({ team }: { team: Team }) {
  const runs = useLoad(
    () =>
      unwrap(api.GET("/api/teams/{id}/runs", { params: { path: { id: team.id }, query: { limit: "200" } } })),
    [team.id],
  );
  const [input, setInput] = useState("");
  const create = useAction(async () => {
    const text = input.trim();
    let value: unknown = null;
    if (text) {
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
    }
    const run = await unwrap(
      api.POST("/api/teams/{id}/runs", { params: { path: { id: team.id } }, body: { input: value } }),
    );
    navigate(paths.run(run.id));
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const list = [...(runs.data?.runs ?? [])].reverse();
  return (
    <Section title="Runs">
      <form className="form inline" onSubmit={submit}>
        <label>
          Run input <span className="muted small">(JSON, or text; optional)</span>
          <input value={input} onChange={(e) => setInput(e.target.value)} placeholder='{"goal": "…"}' />
        </label>
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? "Starting…" : "Start run"}
        </button>
      </form>
      <ErrorText error={create.error ?? runs.error} />
      {list.length === 0 ? <p className="muted">No runs yet.</p> : null}
      <ul className="list compact">
        {list.map((r) => (
          <li key={r.id} className="row">
            <Link to={paths.run(r.id)}>{r.id}</Link>
            <Status value={r.status} />
            <span className="muted small">
              <Time iso={r.created_at} />
            </span>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** A team: its spec in an editor (or a new team's), its runtime and members, its runs. */
export function TeamPage({ id }: { id: string | undefined }) {
  const team = useLoad(
    async () => (id ? unwrap(api.GET("/api/teams/{id}", { params: { path: { id } } })) : undefined),
    [id],
  );
  const t = team.data;
  usePageTitle(id ? (t?.name ?? "Team") : "New team");

  if (!id) {
    return (
      <main id="main">
        <h1>New team</h1>
        <Section title="Spec">
          <SpecEditor
            initialName=""
            initialSpec={SPEC_TEMPLATE}
            submitLabel="Create team"
            onSubmit={async (name, spec) => {
              const created = await unwrap(
                api.POST("/api/teams", { body: { name, spec: spec as Record<string, unknown> } }),
              );
              navigate(paths.team(created.id), true);
            }}
          />
        </Section>
      </main>
    );
  }
  return (
    <main id="main">
      <p className="crumbs">
        <Link to="/teams">Teams</Link> /
      </p>
      <h1>{t?.name ?? id}</h1>
      <ErrorText error={team.error} />
      {t ? (
        <>
          <RuntimePanel team={t} />
          <RunsPanel team={t} />
          <Section title="Spec">
            <SpecEditor
              key={t.version}
              initialName={t.name}
              initialSpec={t.spec}
              submitLabel="Save spec"
              onSubmit={async (name, spec) => {
                team.setData(
                  await unwrap(
                    api.PUT("/api/teams/{id}", {
                      params: { path: { id: t.id } },
                      body: { name, spec: spec as Record<string, unknown>, expected_version: t.version },
                    }),
                  ),
                );
              }}
            />
          </Section>
        </>
      ) : null}
    </main>
  );
}
