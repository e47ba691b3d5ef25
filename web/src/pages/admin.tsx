import { useState } from "react";
import { api, type Schemas, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, Section, Time, useAction, useLoad } from "../components/common";

/** Root's administration: users, and invitations (a join token and PIN, shown once). */
export function AdminPage() {
  usePageTitle("Admin");
  const users = useLoad(() => unwrap(api.GET("/api/admin/users")), []);
  const [challenge, setChallenge] = useState<Schemas["JoinChallenge"] | undefined>(undefined);
  const invite = useAction(async () => setChallenge(await unwrap(api.POST("/api/admin/join-challenges"))));
  return (
    <main id="main">
      <h1>Admin</h1>
      <Section
        title="Invite a user"
        actions={
          <button
            type="button"
            className="primary"
            disabled={invite.pending}
            onClick={() => void invite.run()}
          >
            Create join challenge
          </button>
        }
      >
        <p className="muted">
          A join token and PIN for one new user, valid 10 minutes. They are shown here once: pass them on, and
          the user joins at <code>{`${window.location.origin}/join`}</code>.
        </p>
        <ErrorText error={invite.error} />
        {challenge ? (
          <dl className="facts secret" aria-live="polite">
            <dt>Join token</dt>
            <dd>
              <code className="select-all">{challenge.join_token}</code>
            </dd>
            <dt>PIN</dt>
            <dd>
              <code className="select-all">{challenge.pin}</code>
            </dd>
            <dt>Expires</dt>
            <dd>
              <Time iso={challenge.expires_at} />
            </dd>
          </dl>
        ) : null}
      </Section>
      <Section title="Users">
        <ErrorText error={users.error} />
        <ul className="list compact">
          {users.data?.users.map((u) => (
            <li key={u.user_id} className="row">
              <strong>{u.username}</strong>
              <span className="muted small mono">{u.user_id}</span>
              {u.is_root ? <span className="tag">root</span> : null}
            </li>
          ))}
        </ul>
      </Section>
    </main>
  );
}
