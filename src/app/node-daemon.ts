import { existsSync } from "node:fs";
import { join } from "node:path";
import { MetricsServer } from "../api/metrics-server.js";
import type { Config } from "../config/config-schema.js";
import { assertCanListen, listenErrorFrom } from "../config/listen.js";
import { NodeService } from "../gen/agenthub/internal/v1/node_pb.js";
import { requireHubCertificate, tokenAuthenticator } from "../grpc/call-auth.js";
import { serverCredentials } from "../grpc/credentials.js";
import { GrpcServer } from "../grpc/grpc-server.js";
import { loadNodeCertificates } from "../grpc/node-cert-loader.js";
import { nodeServiceImpl } from "../grpc/node-service.js";
import { RETIRED_SECRET_FILE } from "../grpc/signing-key.js";
import { NodeRuntime } from "../node/node-runtime.js";
import { agentRuntimeSecurity } from "../node/sandbox.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { secureDataDir } from "../util/private-files.js";
import { DaemonLifecycle, type DaemonState } from "./daemon-lifecycle.js";
import { compileNodeOptions, type NodeOptions } from "./node-options.js";

/**
 * `agenthub --node-mode`, the composition root of a node: serves NodeService over TLS/mTLS and nothing
 * else. It never generates a CA: its certificates and the hub's public token key come from
 * `agenthub certs issue-node` on the hub. Its lifecycle changes only through {@link DaemonLifecycle.set}.
 */
export class NodeDaemon {
  port = 0;
  /** `[node] metrics_listen`'s URL (port 0 resolved); "" when off. */
  metricsUrl = "";
  /** The compiled options (durations in ms). */
  readonly options: NodeOptions;
  private readonly lifecycle: DaemonLifecycle;
  private server: GrpcServer | undefined;
  private runtime: NodeRuntime | undefined;
  private metricsServer: MetricsServer | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    clock: Clock = systemClock,
  ) {
    this.options = compileNodeOptions(config);
    this.lifecycle = new DaemonLifecycle("node", logger.child({ component: "node" }), clock);
  }

  get state(): DaemonState {
    return this.lifecycle.state;
  }

  async start(): Promise<void> {
    this.lifecycle.set({ status: "starting" });
    const { config, logger } = this;
    const o = this.options;
    try {
      // An address in use refuses the start (one line: address and config key) before anything is changed.
      await assertCanListen(o.listen, "internal_grpc.listen");
      if (o.metricsListen) await assertCanListen(o.metricsListen.address, "node.metrics_listen");
      // Owner-only data dir (0700, files 0600: event logs, pidfiles, keys), also when left readable.
      secureDataDir(o.dataDir);
      const mode = o.mode;
      const certs = await loadNodeCertificates(o.certDir, { tls: mode !== "disabled" });
      const retired = join(o.certDir, RETIRED_SECRET_FILE);
      if (existsSync(retired)) {
        logger.warn(
          { component: "node", path: retired },
          "a retired HS256 secret is in the cert dir and is ignored (tokens are verified with token_signing.pub); delete it",
        );
      }
      let creds: ReturnType<typeof serverCredentials>;
      if (mode === "disabled") {
        logger.warn(
          { component: "node" },
          "internal gRPC security is DISABLED: NodeService traffic is unencrypted",
        );
        creds = serverCredentials("disabled");
      } else {
        creds = serverCredentials(mode, {
          caCert: certs.caCert,
          serverCert: certs.serverCert,
          serverKey: certs.serverKey,
        });
      }
      this.runtime = new NodeRuntime({
        ...o.runtime,
        ...(await agentRuntimeSecurity(config, logger)),
        logger,
      });
      await this.runtime.start();
      const server = new GrpcServer();
      server.addService(NodeService, nodeServiceImpl(this.runtime), {
        authenticate: tokenAuthenticator({
          verifyKey: certs.verifyKey,
          issuer: o.issuer,
          audience: o.audience,
          maxTtlSeconds: Math.ceil(o.maxTokenTtlMs / 1000),
          clockToleranceSeconds: Math.ceil(o.clockSkewMs / 1000),
          roles: ["hub"],
          checkPeer: mode === "mtls" ? requireHubCertificate : undefined,
        }),
      });
      await assertCanListen(o.listen, "internal_grpc.listen");
      this.port = await server.listen(o.listen, creds).catch((err: unknown) => {
        throw listenErrorFrom(err, o.listen, "internal_grpc.listen");
      });
      this.server = server;
      if (o.metricsListen) await this.listenMetrics(o.metricsListen);
      this.lifecycle.set(
        { status: "running", address: o.listen.replace(/:\d+$/, `:${this.port}`) },
        {
          node_id: o.nodeId,
          listen: o.listen,
          port: this.port,
          mode,
          agent_isolation: this.runtime.info().isolation,
          ...(this.metricsUrl ? { metrics_url: `${this.metricsUrl}/metrics` } : {}),
        },
      );
    } catch (err) {
      this.lifecycle.set({ status: "failed", error: err instanceof Error ? err.message : String(err) });
      await this.metricsServer?.close();
      await this.server?.shutdown(0);
      await this.runtime?.shutdown();
      throw err;
    }
  }

  /** Stops accepting calls, stops every agent (their final events stay in the log), then exits. */
  async stop(): Promise<void> {
    const status = this.lifecycle.status;
    if (status === "stopping" || status === "stopped") return;
    this.lifecycle.set({ status: "stopping" });
    await this.metricsServer?.close();
    await this.server?.shutdown(2_000);
    await this.runtime?.shutdown();
    this.lifecycle.set({ status: "stopped" });
  }

  /**
   * `[node] metrics_listen`: the node's own `/metrics` (loopback only): its agents by state and event
   * log, with the process defaults. prom-client is loaded only when this is on.
   */
  private async listenMetrics(listen: NonNullable<NodeOptions["metricsListen"]>): Promise<void> {
    const { newMetricsRegistry, scrapeRegistry } = await import("./metrics-registry.js");
    const { registerNodeRuntimeMetrics } = await import("./node-metrics.js");
    const registry = newMetricsRegistry("node");
    registerNodeRuntimeMetrics(registry, this.options.nodeId, () => this.runtime);
    const server = new MetricsServer(() => scrapeRegistry(registry), this.logger);
    await server.listen(listen.host, listen.port).catch((err: unknown) => {
      throw listenErrorFrom(err, listen.address, "node.metrics_listen");
    });
    this.metricsServer = server;
    const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
    this.metricsUrl = `http://${host}:${server.port}`;
  }
}
