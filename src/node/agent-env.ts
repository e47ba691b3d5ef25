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
