import { useEffect } from "react";
import { AttentionProvider, useAttention } from "./attention";
import { useConnectivity } from "./live";
import { AdminPage } from "./pages/admin";
import { AgentPage } from "./pages/agent";
import { AgentsPage } from "./pages/agents";
import { AttentionPage } from "./pages/attention";
import { JoinPage, LoginPage } from "./pages/login";
import { NodesPage } from "./pages/nodes";
import { RunPage } from "./pages/run";
import { TeamPage } from "./pages/team";
import { TeamsPage } from "./pages/teams";
import { Link, navigate, parseRoute, type Route, usePath } from "./router";
import { type User, useSession } from "./session";

function OfflineBanner() {
  const state = useConnectivity();
  return (
    <div role="status" aria-live="polite" className={state === "offline" ? "offline-banner" : "sr-only"}>
      {state === "offline"
        ? "Offline: the hub is not reachable. Reconnecting… (live updates resume by themselves)"
        : ""}
    </div>
  );
}

function Nav({ user, route }: { user: User; route: Route }) {
  const { items } = useAttention();
  const { signOut } = useSession();
  const count = items?.length ?? 0;
  const current = (pages: Route["page"][]) => (pages.includes(route.page) ? "page" : undefined);
  return (
    <header className="top">
      <Link to="/" className="brand">
        agenthub
      </Link>
      <nav aria-label="Main">
        <Link to="/" aria-current={current(["attention"])}>
          Attention{" "}
          <span className={count > 0 ? "badge" : "badge zero"} aria-hidden="true">
            {count}
          </span>
          <span className="sr-only">, {count} waiting</span>
        </Link>
        <Link to="/teams" aria-current={current(["teams", "team", "new-team", "run"])}>
          Teams
        </Link>
        <Link to="/agents" aria-current={current(["agents", "agent"])}>
          Agents
        </Link>
        {user.is_root ? (
          <>
            <Link to="/nodes" aria-current={current(["nodes"])}>
              Nodes
            </Link>
            <Link to="/admin" aria-current={current(["admin"])}>
              Admin
            </Link>
          </>
        ) : null}
      </nav>
      <div className="who">
        <span className="muted">{user.username}</span>
        <button
          type="button"
          className="link"
          onClick={() => void signOut().then(() => navigate("/login", true))}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}

function Page({ route, user }: { route: Route; user: User }) {
  switch (route.page) {
    case "attention":
      return <AttentionPage />;
    case "teams":
      return <TeamsPage />;
    case "new-team":
      return <TeamPage id={undefined} />;
    case "team":
      return <TeamPage key={route.id} id={route.id} />;
    case "run":
      return <RunPage key={route.id} id={route.id} />;
    case "agents":
      return <AgentsPage />;
    case "agent":
      return <AgentPage key={route.id} id={route.id} />;
    case "nodes":
      return user.is_root ? <NodesPage /> : <NotFound />;
    case "admin":
      return user.is_root ? <AdminPage /> : <NotFound />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <main id="main" className="narrow">
      <h1>Not found</h1>
      <p>
        There is no page here. <Link to="/">Go to what waits for you</Link>.
      </p>
    </main>
  );
}

/** The shell: sign-in gate, navigation, the offline banner and the current page. */
export function App() {
  const { user } = useSession();
  const path = usePath();
  const route = parseRoute(path);
  const publicPage = route.page === "login" || route.page === "join";

  useEffect(() => {
    if (user === null && !publicPage) {
      navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, true);
    }
  }, [user, publicPage, path]);

  if (user === undefined) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  return (
    <AttentionProvider enabled={Boolean(user)}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      {user && !publicPage ? <Nav user={user} route={route} /> : null}
      <OfflineBanner />
      {route.page === "login" ? (
        <LoginPage />
      ) : route.page === "join" ? (
        <JoinPage />
      ) : user ? (
        <Page route={route} user={user} />
      ) : null}
    </AttentionProvider>
  );
}
