import { join } from "node:path";
import type { Config } from "../config/config-schema.js";
import { deepFreeze } from "../domain/problem-list.js";
import type { InternalGrpcOptions } from "../grpc/internal-grpc.js";
import type { HistoryOptions } from "../hub/history-cleanup.js";
import type { ProviderConfig } from "../node/node-runtime.js";
import type { DataDirLayout } from "../util/private-files.js";

const SECOND_MS = 1_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What the hub daemon runs with: Config compiled once into typed, frozen options (durations in ms). */
export interface HubOptions {
  readonly home: string;
  readonly databasePath: string;
  /** What start makes owner-only (0700/0600). */
  readonly dataDir: Readonly<DataDirLayout>;
  readonly server: {
    /** As configured (`host:port`; port 0 picks a free one). */
    readonly listen: string;
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    readonly authRateLimitPerMinute: number;
    readonly sessionTtlMs: number;
    readonly sseMaxBufferedBytes: number;
    /** How long shutdown waits for in-flight requests before closing their connections. */
    readonly drainMs: number;
  };
  /** The built-in node `main`, run in-process. */
  readonly mainNode: {
    readonly nodeId: "main";
    readonly dataDir: string;
    readonly safePaths: readonly string[];
    readonly worktreeRoot: string;
    /** `[worktree] retention_days`: how long a worktree stays after its agent stopped. */
    readonly worktreeRetentionMs: number;
    readonly providers: Readonly<Record<string, ProviderConfig>>;
  };
  /** Providers team specs may name besides the built-in ones. */
  readonly providerNames: readonly string[];
  readonly internalGrpc: InternalGrpcOptions;
  readonly nodes: { readonly probeIntervalMs: number; readonly offlineGraceMs: number };
  readonly reviewTimeoutMs: number;
  readonly history: HistoryOptions;
  /** Prometheus `GET /metrics`; served only when `listen` or `tokenFile` is set. */
  readonly metrics: MetricsOptions;
}

export interface MetricsOptions {
  /** Whether anything serves `/metrics` (then the hub keeps its metrics registry). */
  readonly enabled: boolean;
  /** A separate loopback listener, or null. */
  readonly listen: { readonly address: string; readonly host: string; readonly port: number } | null;
  /** The bearer token's file: `/metrics` on the REST listener, or null (404 there). */
  readonly tokenFile: string | null;
}

/** `host:port` (IPv6 in brackets) -> host and port. */
function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(":");
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(listen.slice(i + 1)) };
}

/** Compiles the hub's Config into its options: the only place config keys are read for the hub. */
export function compileHubOptions(config: Config): HubOptions {
  const ig = config.internal_grpc;
  const mainDataDir = join(config.home, "node-main");
  return deepFreeze({
    home: config.home,
    databasePath: join(config.home, "agenthub.db"),
    dataDir: {
      home: config.home,
      trees: [mainDataDir, ig.security.cert_dir],
      worktreeRoot: config.worktree.default_root,
      safePaths: config.safe_paths,
    },
    server: {
      listen: config.server.listen,
      ...splitListen(config.server.listen),
      bodyLimitBytes: config.server.body_limit_bytes,
      authRateLimitPerMinute: config.server.auth_rate_limit_per_minute,
      sessionTtlMs: config.server.session_ttl_hours * HOUR_MS,
      sseMaxBufferedBytes: config.server.sse_max_buffered_bytes,
      drainMs: 5 * SECOND_MS,
    },
    mainNode: {
      nodeId: "main",
      dataDir: mainDataDir,
      safePaths: config.safe_paths,
      worktreeRoot: config.worktree.default_root,
      worktreeRetentionMs: config.worktree.retention_days * DAY_MS,
      providers: config.agents.providers,
    },
    providerNames: Object.keys(config.agents.providers),
    internalGrpc: {
      enabled: ig.enabled,
      listen: ig.listen,
      advertiseTarget: ig.advertise_target,
      tlsServerNames: ig.tls_server_names,
      mode: ig.security.mode,
      certDir: ig.security.cert_dir,
      issuer: ig.auth.issuer,
      audience: ig.auth.audience,
      tokenTtlMs: ig.auth.token_ttl_seconds * SECOND_MS,
      maxTokenTtlMs: ig.auth.max_token_ttl_seconds * SECOND_MS,
      clockSkewMs: ig.auth.clock_skew_seconds * SECOND_MS,
    },
    nodes: {
      probeIntervalMs: config.node.probe_interval_seconds * SECOND_MS,
      offlineGraceMs: config.node.offline_grace_seconds * SECOND_MS,
    },
    reviewTimeoutMs: config.permissions.review_timeout_seconds * SECOND_MS,
    history: {
      retentionMs: config.history.event_retention_days * DAY_MS,
      deleteBatchSize: config.history.delete_batch_size,
      vacuumOnCleanup: config.history.vacuum_on_cleanup,
    },
    metrics: {
      enabled: config.metrics.listen !== "" || config.metrics.token_file !== "",
      listen:
        config.metrics.listen === ""
          ? null
          : { address: config.metrics.listen, ...splitListen(config.metrics.listen) },
      tokenFile: config.metrics.token_file === "" ? null : config.metrics.token_file,
    },
  });
}
