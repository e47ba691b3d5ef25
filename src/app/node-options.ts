import { join } from "node:path";
import type { Config } from "../config/config-schema.js";
import { deepFreeze } from "../domain/problem-list.js";
import type { SecurityMode } from "../grpc/cert-store.js";
import { nodeAudience } from "../grpc/token-auth.js";
import type { ProviderConfig } from "../node/node-runtime.js";
import type { DataDirLayout } from "../util/private-files.js";

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/** What a node daemon runs with: Config compiled once into typed, frozen options (durations in ms). */
export interface NodeOptions {
  readonly nodeId: string;
  /** What start makes owner-only (0700/0600). */
  readonly dataDir: Readonly<DataDirLayout>;
  readonly listen: string;
  readonly mode: SecurityMode;
  /** Holds the node's certificates and the hub's public token key (`agenthub certs issue-node`). */
  readonly certDir: string;
  readonly issuer: string;
  /** Only tokens the hub minted for this node: one node's token is useless at another. */
  readonly audience: string;
  readonly maxTokenTtlMs: number;
  readonly clockSkewMs: number;
  /** The node's own `GET /metrics` on a loopback address, or null (off). */
  readonly metricsListen: { readonly address: string; readonly host: string; readonly port: number } | null;
  readonly runtime: {
    readonly nodeId: string;
    readonly dataDir: string;
    readonly safePaths: readonly string[];
    readonly worktreeRoot: string;
    /** `[worktree] retention_days`: how long a worktree stays after its agent stopped. */
    readonly worktreeRetentionMs: number;
    readonly providers: Readonly<Record<string, ProviderConfig>>;
  };
}

/** `host:port` (IPv6 in brackets) as address, host and port; "" -> null (off). */
function metricsListen(address: string): NodeOptions["metricsListen"] {
  if (address === "") return null;
  const i = address.lastIndexOf(":");
  return { address, host: address.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(address.slice(i + 1)) };
}

/** Compiles a node's Config into its options: the only place config keys are read for a node. */
export function compileNodeOptions(config: Config): NodeOptions {
  const ig = config.internal_grpc;
  const dataDir = join(config.home, "node-data");
  return deepFreeze({
    nodeId: config.node.id,
    dataDir: {
      home: config.home,
      trees: [dataDir, ig.security.cert_dir],
      worktreeRoot: config.worktree.default_root,
      safePaths: config.safe_paths,
    },
    listen: ig.listen,
    mode: ig.security.mode,
    certDir: ig.security.cert_dir,
    issuer: ig.auth.issuer,
    audience: nodeAudience(ig.auth.audience, config.node.id),
    maxTokenTtlMs: ig.auth.max_token_ttl_seconds * SECOND_MS,
    clockSkewMs: ig.auth.clock_skew_seconds * SECOND_MS,
    metricsListen: metricsListen(config.node.metrics_listen),
    runtime: {
      nodeId: config.node.id,
      dataDir,
      safePaths: config.safe_paths,
      worktreeRoot: config.worktree.default_root,
      worktreeRetentionMs: config.worktree.retention_days * DAY_MS,
      providers: config.agents.providers,
    },
  });
}
