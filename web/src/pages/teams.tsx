import { api, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Time, useLoad } from "../components/common";
import { Link, paths } from "../router";

/** The caller's teams (root: every team). */
export function TeamsPage() {
  usePageTitle("Teams");
  const teams = useLoad(() => unwrap(api.GET("/api/teams")), []);
  return (
    <main id="main">
      <div className="page-head">
        <h1>Teams</h1>
        <Link to="/teams/new" className="button primary">
          New team
        </Link>
      </div>
      <ErrorText error={teams.error} />
      {teams.data?.teams.length === 0 ? (
        <p className="empty">
          No teams yet. <Link to="/teams/new">Create one from a spec</Link>.
        </p>
      ) : null}
      <ul className="list">
        {teams.data?.teams.map((t) => (
          <li key={t.id} className="card row">
            <div>
              <h2 className="h3">
                <Link to={paths.team(t.id)}>{t.name}</Link>
              </h2>
              <p className="muted small">
                {t.spec.members.length} member{t.spec.members.length === 1 ? "" : "s"} ·{" "}
                {(t.spec.steps ?? []).length} step{(t.spec.steps ?? []).length === 1 ? "" : "s"} · version{" "}
                {t.version}
              </p>
            </div>
            <p className="muted small">
              updated <Time iso={t.updated_at} />
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
