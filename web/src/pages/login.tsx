import { type FormEvent, useState } from "react";
import { api, unwrap } from "../api/client";
import { usePageTitle } from "../attention";
import { ErrorText, useAction, useLoad } from "../components/common";
import { Link, navigate } from "../router";
import { useSession } from "../session";

function afterSignIn(): void {
  const next = new URLSearchParams(window.location.search).get("next");
  // Only a path of this console, never another origin.
  navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/", true);
}

export function LoginPage() {
  usePageTitle("Sign in");
  const { refresh } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const status = useLoad(() => unwrap(api.GET("/api/auth/status")), []);
  const act = useAction(async () => {
    await unwrap(api.POST("/api/login", { body: { username, password } }));
    await refresh();
    afterSignIn();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run();
  };
  return (
    <main id="main" className="narrow">
      <h1>Sign in to agenthub</h1>
      {status.data && !status.data.root_initialized ? (
        <p className="note">
          No root user yet. <Link to="/join">Join as root</Link> with the join token and PIN the hub printed
          at start (or run <code>agenthub join-challenge</code> on the hub's machine).
        </p>
      ) : null}
      <form onSubmit={submit} className="form">
        <label>
          Username
          <input
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" disabled={act.pending}>
          {act.pending ? "Signing in…" : "Sign in"}
        </button>
        <ErrorText error={act.error} />
      </form>
      <p>
        Invited, or setting up the hub? <Link to="/join">Join with a token and PIN</Link>.
      </p>
    </main>
  );
}

export function JoinPage() {
  usePageTitle("Join");
  const { refresh } = useSession();
  const [form, setForm] = useState({ join_token: "", pin: "", username: "", password: "" });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const act = useAction(async () => {
    await unwrap(
      api.POST("/api/join", { body: { ...form, join_token: form.join_token.trim(), pin: form.pin.trim() } }),
    );
    await refresh();
    afterSignIn();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run();
  };
  return (
    <main id="main" className="narrow">
      <h1>Join agenthub</h1>
      <p className="muted">
        A join token and 6-digit PIN come from root's invitation, or, for the first (root) user, from the
        hub's console at its first start. They are valid for 10 minutes; five wrong PINs burn them.
      </p>
      <form onSubmit={submit} className="form">
        <label>
          Join token
          <input
            required
            autoComplete="off"
            spellCheck={false}
            value={form.join_token}
            onChange={set("join_token")}
          />
        </label>
        <label>
          PIN
          <input
            required
            inputMode="numeric"
            pattern="\d{6}"
            maxLength={6}
            autoComplete="one-time-code"
            value={form.pin}
            onChange={set("pin")}
          />
        </label>
        <label>
          Username
          <input required autoComplete="username" value={form.username} onChange={set("username")} />
        </label>
        <label>
          Password <span className="muted small">(8 characters or more)</span>
          <input
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            value={form.password}
            onChange={set("password")}
          />
        </label>
        <button type="submit" className="primary" disabled={act.pending}>
          {act.pending ? "Joining…" : "Join"}
        </button>
        <ErrorText error={act.error} />
      </form>
      <p>
        Already joined? <Link to="/login">Sign in</Link>.
      </p>
    </main>
  );
}
