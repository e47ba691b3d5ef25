import { ConfigError } from "./config-error.js";

type Kind = "string" | "int" | "number" | "bool" | "list";

/** Keys that `AGENTHUB_<PATH>` environment variables may override (path with dots -> underscores). */
export const ENV_KEYS: ReadonlyArray<readonly [path: string, kind: Kind]> = [
  ["safe_paths", "list"],
  ["server.listen", "string"],
  ["server.body_limit_bytes", "int"],
  ["server.session_ttl_hours", "number"],
  ["server.auth_rate_limit_per_minute", "int"],
  ["logging.level", "string"],
  ["logging.format", "string"],
  ["worktree.default_root", "string"],
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
  ["node.id", "string"],
  ["node.probe_interval_seconds", "number"],
  ["node.offline_grace_seconds", "number"],
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
