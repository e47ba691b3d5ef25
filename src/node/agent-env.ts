/**
 * The environment an agent starts from. Agents never inherit the daemon's environment: it can hold
 * secrets (API keys of the operator, agenthub's own settings), and an agent may be hostile.
 */

/** Daemon variables every agent gets: what a shell and its tools need to behave normally. */
export const AGENT_BASE_ENV_NAMES: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "TERM",
  "TZ",
  "TMPDIR",
];

/** agenthub's own settings (and anything it may add) belong to the daemon, never to an agent. */
function isAgenthubName(name: string): boolean {
  return name.toUpperCase().startsWith("AGENTHUB_");
}

/**
 * The allow-listed part of the daemon's environment: the base names, `LC_*`, and the names in
 * `[agents] pass_env`. No `AGENTHUB_*` variable passes, even when named in pass_env.
 */
export function allowedDaemonEnv(
  daemonEnv: NodeJS.ProcessEnv,
  passEnv: readonly string[] = [],
): Record<string, string> {
  const names = new Set([...AGENT_BASE_ENV_NAMES, ...passEnv]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(daemonEnv)) {
    if (value === undefined || isAgenthubName(name)) continue;
    if (names.has(name) || name.startsWith("LC_")) out[name] = value;
  }
  return out;
}

/**
 * What a sandboxed agent may write under its HOME (which is otherwise read-only): the caches and the
 * config/session dirs of the agent CLIs. Not `~/.config`: git's global config (read by the daemon's
 * own git), systemd user units and autostart entries live there, and run code outside the sandbox.
 * Not `~/.local`: `~/.local/bin` is often on the daemon's PATH. These entries are shared by every agent
 * of this daemon's user (and that user's own CLIs), so an agent can leave settings there that another
 * agent's CLI reads; run the daemon as its own user to keep the operator's out of reach.
 */
export const AGENT_WRITABLE_HOME_ENTRIES: readonly string[] = [
  ".cache",
  ".npm",
  ".claude",
  ".claude.json",
  ".codex",
  ".gemini",
];

/**
 * The daemon variables `names` that are set: what a provider passes on to its agents (e.g. its API
 * key). No `AGENTHUB_*` variable passes.
 */
export function pickDaemonEnv(
  daemonEnv: NodeJS.ProcessEnv,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = daemonEnv[name];
    if (value !== undefined && !isAgenthubName(name)) out[name] = value;
  }
  return out;
}
