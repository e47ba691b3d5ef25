import { editDistance } from "../util/edit-distance.js";
import { ConfigError } from "./config-error.js";

type Kind = "string" | "int" | "number" | "bool" | "list";

/** Keys that `AGENTHUB_<PATH>` environment variables may override (path with dots -> underscores). */
export const ENV_KEYS: ReadonlyArray<readonly [path: string, kind: Kind]> = [
  ["safe_paths", "list"],
  ["server.listen", "string"],
  ["server.body_limit_bytes", "int"],
  ["server.session_ttl_hours", "number"],
  ["server.auth_rate_limit_per_minute", "int"],
  ["server.sse_max_buffered_bytes", "int"],
  ["server.public_url", "string"],
  ["logging.level", "string"],
  ["logging.format", "string"],
  ["worktree.default_root", "string"],
  ["worktree.retention_days", "number"],
  ["internal_grpc.enabled", "bool"],
  ["internal_grpc.listen", "string"],
  ["internal_grpc.advertise_target", "string"],
  ["internal_grpc.tls_server_names", "list"],
  ["internal_grpc.security.mode", "string"],
  ["internal_grpc.security.cert_dir", "string"],
  ["internal_grpc.auth.issuer", "string"],
  ["internal_grpc.auth.audience", "string"],
  ["internal_grpc.auth.token_ttl_seconds", "int"],
  ["internal_grpc.auth.max_token_ttl_seconds", "int"],
  ["internal_grpc.auth.clock_skew_seconds", "int"],
  ["history.event_retention_days", "int"],
  ["history.delete_batch_size", "int"],
  ["history.vacuum_on_cleanup", "bool"],
  ["permissions.review_timeout_seconds", "int"],
  ["webhooks.allow_private_targets", "bool"],
  ["metrics.listen", "string"],
  ["metrics.token_file", "string"],
  ["node.id", "string"],
  ["node.probe_interval_seconds", "number"],
  ["node.offline_grace_seconds", "number"],
  ["node.metrics_listen", "string"],
  ["agents.isolation", "string"],
  ["agents.pass_env", "list"],
];

export function envName(path: string): string {
  return `AGENTHUB_${path.replaceAll(".", "_").toUpperCase()}`;
}

function coerce(name: string, raw: string, kind: Kind): unknown {
  switch (kind) {
    case "string":
      return raw;
    case "list":
      return raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case "bool":
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      throw new ConfigError(`${name} must be true or false`);
    case "int":
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n) || (kind === "int" && !Number.isInteger(n))) {
        throw new ConfigError(`${name} must be ${kind === "int" ? "an integer" : "a number"}`);
      }
      return n;
    }
  }
}

/** Writes env overrides into the raw (pre-validation) TOML object, creating tables as needed. */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [path, kind] of ENV_KEYS) {
    const name = envName(path);
    const value = env[name];
    if (value === undefined) continue;
    const parts = path.split(".");
    let target = raw;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== "object" || next === null || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts.at(-1)!] = coerce(name, value, kind);
  }
}

/**
 * `AGENTHUB_*` variables that are not config keys but mean something to agenthub: the data directory,
 * the installation's `agenthub` for agents, what agents' actor CLI connects with, the marker on agent
 * processes. A daemon started from inside an agent (or a shell that exported them) is not warned.
 */
export const KNOWN_NON_CONFIG_ENV: readonly string[] = [
  "AGENTHUB_HOME",
  "AGENTHUB_BIN",
  "AGENTHUB_ACTOR_ID",
  "AGENTHUB_TEAM_ID",
  "AGENTHUB_RUN_ID",
  "AGENTHUB_INTERNAL_GRPC_TARGET",
  "AGENTHUB_INTERNAL_GRPC_TOKEN",
  "AGENTHUB_INTERNAL_GRPC_CA_CERT",
  "AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM",
  "AGENTHUB_INTERNAL_GRPC_CLIENT_CERT",
  "AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM",
  "AGENTHUB_INTERNAL_GRPC_CLIENT_KEY",
  "AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM",
  "AGENTHUB_NODE_AGENT_ID",
  // Retired; loadConfig refuses it with what replaced it.
  "AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET",
];

const PREFIX = "AGENTHUB_";

/**
 * One warning per `AGENTHUB_*` variable that is neither a config key nor a known variable, naming the
 * closest known name when one is close enough to be a typo (or ends with what was typed). Daemons log
 * these at start: a misspelt override must not silently leave the default in force.
 */
export function unknownEnvWarnings(env: NodeJS.ProcessEnv): string[] {
  const configNames = ENV_KEYS.map(([path]) => envName(path));
  const known = new Set([...configNames, ...KNOWN_NON_CONFIG_ENV]);
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(PREFIX) || known.has(name)) continue;
    const closest = closestName(name, configNames) ?? closestName(name, KNOWN_NON_CONFIG_ENV);
    warnings.push(
      closest
        ? `unknown environment variable ${name}; did you mean ${closest}?`
        : `unknown environment variable ${name}; config keys are overridden by AGENTHUB_<TABLE>_<KEY> (e.g. AGENTHUB_SERVER_LISTEN for [server] listen)`,
    );
  }
  return warnings;
}

function closestName(name: string, candidates: readonly string[]): string | undefined {
  const typed = name.slice(PREFIX.length).toUpperCase();
  if (typed.length === 0) return undefined;
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(typed, c.slice(PREFIX.length));
    if (!best || d < best.d) best = { name: c, d };
  }
  if (best && best.d <= Math.max(1, Math.floor(typed.length / 3))) return best.name;
  // A key given without its table path (`AGENTHUB_GRPC_LISTEN`): the one name that ends with it.
  const endings = candidates.filter((c) => c.endsWith(`_${typed}`));
  return endings.length === 1 ? endings[0] : undefined;
}
