import { z } from "zod";
import { BUILTIN_PROVIDERS } from "../domain/team-members.js";

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { message: 'must be "host:port"' })
  .refine((v) => Number(v.slice(v.lastIndexOf(":") + 1)) <= 65535, { message: 'must be "host:port"' });

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be a variable name" });

const mcpServer = z.strictObject({
  name: z.string().min(1),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
});

/**
 * `[agents.providers.NAME]`. For a preset (claude, codex, gemini, scripted) every key is optional
 * and overrides the preset's value of that key only; any other NAME needs `command`. Absent keys stay
 * undefined (no defaults here) so the node can tell "not set" from "set to empty".
 */
const provider = z.strictObject({
  command: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** Variables of the daemon's environment this provider's agents get (e.g. its API key). */
  pass_env: z.array(envVarName).optional(),
  /** The ACP session mode set after session/new (checked against what the agent offers); "" sets none. */
  mode: z.string().optional(),
  /** The model set after session/new; "" sets none. */
  model: z.string().optional(),
  /** stdio MCP servers given to every session of this provider. */
  mcp_servers: z.array(mcpServer).optional(),
});

/**
 * Every config key, with its default. Keys mirror the TOML file 1:1 (snake_case), so a path in an
 * error message is the path the user typed.
 */
export const configSchema = z.strictObject({
  safe_paths: z.array(z.string().min(1)).default(["~/projects"]),
  server: z
    .strictObject({
      listen: hostPort.default("127.0.0.1:8080"),
      body_limit_bytes: z.number().int().positive().default(1_048_576),
      session_ttl_hours: z.number().positive().default(12),
      auth_rate_limit_per_minute: z.number().int().positive().default(20),
      sse_max_buffered_bytes: z.number().int().positive().default(1_048_576),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: logLevel.default("info"),
      format: z.enum(["json", "pretty"]).default("json"),
    })
    .prefault({}),
  worktree: z.strictObject({ default_root: z.string().min(1).default("~/.agenthub/worktrees") }).prefault({}),
  internal_grpc: z
    .strictObject({
      enabled: z.boolean().default(true),
      listen: hostPort.default("127.0.0.1:50051"),
      advertise_target: z.string().min(1).default("https://127.0.0.1:50051"),
      tls_server_names: z.array(z.string().min(1)).default(["hub.internal"]),
      security: z
        .strictObject({
          mode: z.enum(["tls", "mtls", "disabled"]).default("tls"),
          cert_dir: z.string().min(1).default("~/.agenthub/internal-grpc"),
        })
        .prefault({}),
      auth: z
        .strictObject({
          issuer: z.string().min(1).default("agenthub"),
          audience: z.string().min(1).default("agenthub-internal"),
          token_ttl_seconds: z.number().int().positive().default(86_400),
          max_token_ttl_seconds: z.number().int().positive().default(86_400),
          clock_skew_seconds: z.number().int().min(0).max(300).default(30),
        })
        .refine((a) => a.token_ttl_seconds <= a.max_token_ttl_seconds, {
          message: "must not exceed internal_grpc.auth.max_token_ttl_seconds",
          path: ["token_ttl_seconds"],
        })
        .prefault({}),
    })
    .prefault({}),
  history: z
    .strictObject({
      event_retention_days: z.number().int().positive().default(5),
      delete_batch_size: z.number().int().positive().default(10_000),
      vacuum_on_cleanup: z.boolean().default(false),
    })
    .prefault({}),
  permissions: z
    .strictObject({ review_timeout_seconds: z.number().int().positive().default(120) })
    .prefault({}),
  node: z
    .strictObject({
      id: z.string().min(1).default("node-01"),
      probe_interval_seconds: z.number().positive().default(5),
      offline_grace_seconds: z.number().positive().default(15),
    })
    .prefault({}),
  agents: z
    .strictObject({
      /** auto = bubblewrap when it works on this machine, else none (with a warning). */
      isolation: z.enum(["auto", "bwrap", "none"]).default("auto"),
      /** Extra variables of the daemon's environment that agents receive (names, not values). */
      pass_env: z.array(envVarName).default([]),
      providers: z
        .record(z.string(), provider)
        .default({})
        .superRefine((providers, ctx) => {
          for (const [name, p] of Object.entries(providers)) {
            if (p.command === undefined && !(BUILTIN_PROVIDERS as readonly string[]).includes(name)) {
              ctx.addIssue({
                code: "custom",
                path: [name, "command"],
                message: `is required (only the presets ${BUILTIN_PROVIDERS.join(", ")} have a default command)`,
              });
            }
          }
        }),
    })
    .prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, frozen configuration. `home` is the data directory (`~/.agenthub` or AGENTHUB_HOME). */
export type Config = DeepReadonly<Parsed & { home: string; config_path: string | null }>;
