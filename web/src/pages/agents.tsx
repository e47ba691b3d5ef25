import { api, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Status, useLoad } from "../components/common";
import { Link, paths } from "../router";

/** The caller's agents (root: everyone's): team members' and standalone ones. */
export function AgentsPage() {
  usePageTitle("Agents");
  const agents = useLoad(() => unwrap(api.GET("/api/agents")), []);
  return (
    <main id="main">
      <h1>Agents</h1>
      <ErrorText error={agents.error} />
      {agents.data?.agents.length === 0 ? (
        <p className="empty">No agents yet: starting a team's runtime starts one per member.</p>
      ) : null}
      <ul className="list">
        {agents.data?.agents.map((a) => (
          <li key={a.id} className="card row">
            <div>
              <h2 className="h3">
                <Link to={paths.agent(a.id)}>{a.name}</Link>
              </h2>
              <p className="muted small">
                node {a.node_id}
                {a.member_id ? ` · member ${a.member_id}` : " · standalone"} · {a.last_event_seq} events
              </p>
            </div>
            <Status value={a.status} />
          </li>
        ))}
      </ul>
    </main>
  );
}
