import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import type { z } from "zod";
import { ConfigError } from "./config-error.js";
import { type Config, configSchema } from "./config-schema.js";
import { applyEnvOverrides } from "./env-overrides.js";

export interface LoadConfigOptions {
  /** Explicit `--config PATH`; when absent `<home>/config.toml` is used if it exists. */
  path?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function agenthubHome(env: NodeJS.ProcessEnv = process.env): string {
  const h = env.AGENTHUB_HOME;
  return h && h.length > 0 ? resolve(h) : join(env.HOME ?? homedir(), ".agenthub");
}

export function expandHome(p: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? homedir();
  if (p === "~") return home;
  if (p.startsWith("~/")) return join(home, p.slice(2));
  return isAbsolute(p) ? p : resolve(p);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => `unknown config key "${path ? `${path}.` : ""}${k}"`).join("; ");
  }
  const where = path || "config";
  if (issue.code === "invalid_type") return `${where} must be ${article(issue.expected)}`;
  if (issue.code === "invalid_value")
    return `${where} must be one of: ${issue.values.map(String).join(", ")}`;
  return `${where} ${issue.message}`;
}

function article(expected: string): string {
  if (expected === "array") return "an array";
  if (expected === "object") return "a table";
  if (expected === "int") return "an integer";
  return `a ${expected}`;
}

/** Reads, overrides from the environment, validates and freezes the configuration. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const home = agenthubHome(env);
  const path = opts.path ? resolve(opts.path) : join(home, "config.toml");
  let raw: Record<string, unknown> = {};
  let configPath: string | null = null;
  if (opts.path && !existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
  if (existsSync(path)) {
    configPath = path;
    try {
      raw = parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof TomlError) {
        throw new ConfigError(
          `${path}:${err.line}:${err.column}: TOML syntax error: ${err.message.split("\n")[0]}`,
        );
      }
      throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
    }
  }
  refuseRetiredKeys(raw, env, configPath);
  applyEnvOverrides(raw, env);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const where = configPath ?? "environment";
    throw new ConfigError(`invalid config (${where}): ${result.error.issues.map(describeIssue).join("; ")}`);
  }
  const c = result.data;
  const expand = (p: string) => expandDataPath(p, home, env);
  // Paths are expanded once here so nothing downstream deals with "~".
  const expanded = {
    ...c,
    safe_paths: c.safe_paths.map(expand),
    worktree: { ...c.worktree, default_root: expand(c.worktree.default_root) },
    metrics: { ...c.metrics, token_file: c.metrics.token_file === "" ? "" : expand(c.metrics.token_file) },
    internal_grpc: {
      ...c.internal_grpc,
      security: { ...c.internal_grpc.security, cert_dir: expand(c.internal_grpc.security.cert_dir) },
    },
    home,
    config_path: configPath,
  };
  return deepFreeze(expanded) as Config;
}

/** Keys that once existed: refused with what replaced them, not a bare "unknown key". */
const SHARED_SECRET_GONE =
  "internal_grpc.auth.shared_secret is no longer supported: only the hub signs internal tokens, with the Ed25519 key it generates in cert_dir (token_signing.key); nodes verify with token_signing.pub, which `agenthub certs issue-node` copies. Remove the key";

function refuseRetiredKeys(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, where: string | null): void {
  const ig = raw.internal_grpc as { auth?: Record<string, unknown> } | undefined;
  if (ig && typeof ig === "object" && ig.auth && typeof ig.auth === "object" && "shared_secret" in ig.auth) {
    throw new ConfigError(`invalid config (${where ?? "config"}): ${SHARED_SECRET_GONE}`);
  }
  if (env.AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET !== undefined) {
    throw new ConfigError(
      `invalid config (environment): ${SHARED_SECRET_GONE} (unset AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET)`,
    );
  }
}

// "~/.agenthub/..." follows AGENTHUB_HOME, so a test or second instance never shares data or certificates.
function expandDataPath(p: string, home: string, env: NodeJS.ProcessEnv): string {
  if (p === "~/.agenthub") return home;
  return p.startsWith("~/.agenthub/") ? join(home, p.slice("~/.agenthub/".length)) : expandHome(p, env);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
