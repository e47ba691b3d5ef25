import { z } from "zod";

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { message: 'must be "host:port"' })
  .refine((v) => Number(v.slice(v.lastIndexOf(":") + 1)) <= 65535, { message: 'must be "host:port"' });

/** Hosts that name this machine's loopback interface: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A listener without authentication (metrics): `host:port` on the loopback interface, or "" for off.
 * Anything reachable from other machines needs a token instead (`[metrics] token_file`).
 */
const loopbackListen = z
  .string()
  .refine((v) => v === "" || hostPort.safeParse(v).success, {
    message: 'must be "host:port" or "" (off)',
    abort: true,
  })
  .refine((v) => v === "" || isLoopbackHost(v.slice(0, v.lastIndexOf(":"))), {
    message:
      'must be a loopback address such as "127.0.0.1:9464": a metrics listener has no authentication (from other machines, scrape the hub on [server] listen with [metrics] token_file)',
  })
  .default("");

/**
 * Providers every hub knows: the scripted agent that ships with agenthub and the presets of the real
 * agents. Others are named in `[agents.providers.NAME]`.
 */
export const BUILTIN_PROVIDERS = ["scripted", "claude", "codex", "gemini"] as const;

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
  /**
   * Team members get agenthub's actor commands as the stdio MCP server `agenthub` (`agenthub actor
   * mcp`). Default: true for claude, codex and gemini, false for scripted and providers of one's own.
   */
  actor_mcp: z.boolean().optional(),
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
      /**
       * Where people reach the hub's console (notifications link to its pages); unset: the address the
       * hub listens on (`http://<listen>`, with the machine's host name for a wildcard listen address).
       */
      public_url: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: logLevel.default("info"),
      format: z.enum(["json", "pretty"]).default("json"),
    })
    .prefault({}),
  worktree: z
    .strictObject({
      default_root: z.string().min(1).default("~/.agenthub/worktrees"),
      /**
       * Days a worktree agenthub created is kept after its agent stopped (fractions allowed; 0: at the
       * next sweep). One with uncommitted changes is kept until someone forces its removal.
       */
      retention_days: z.number().min(0).default(7),
    })
    .prefault({}),
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
  webhooks: z
    .strictObject({
      /**
       * Lets webhooks created by users other than root target loopback, link-local and private
       * addresses (root's may always). Off: a team owner cannot make the hub probe its own network.
       */
      allow_private_targets: z.boolean().default(false),
    })
    .prefault({}),
  /** Prometheus `GET /metrics`: off unless a loopback listener or a token file is set. */
  metrics: z
    .strictObject({
      listen: loopbackListen,
      /** A file holding a bearer token: `GET /metrics` on `[server] listen` then answers with it. */
      token_file: z.string().default(""),
    })
    .prefault({}),
  node: z
    .strictObject({
      id: z.string().min(1).default("node-01"),
      probe_interval_seconds: z.number().positive().default(5),
      offline_grace_seconds: z.number().positive().default(15),
      /** Node mode: the node daemon's own `GET /metrics` (loopback only; "" = off). */
      metrics_listen: loopbackListen,
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
