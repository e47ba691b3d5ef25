import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config-schema.js";
import { NodeService } from "../gen/agenthub/internal/v1/node_pb.js";
import { AUTH_SECRET_FILE } from "../grpc/auth-secret.js";
import { tokenAuthenticator } from "../grpc/call-auth.js";
import { serverCredentials } from "../grpc/credentials.js";
import { GrpcServer } from "../grpc/grpc-server.js";
import { loadNodeCertificates } from "../grpc/node-cert-loader.js";
import type { Logger } from "../util/logger.js";
import { NodeRuntime } from "./node-runtime.js";
import { nodeServiceImpl } from "./node-service.js";

export type NodeDaemonState = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

/**
 * `agenthub --node-mode`: serves NodeService over TLS/mTLS and nothing else. It never generates a CA:
 * its certificates and the shared secret come from `agenthub certs issue-node` on the hub.
 */
export class NodeDaemon {
  state: NodeDaemonState = "created";
  port = 0;
  private server: GrpcServer | undefined;
  private runtime: NodeRuntime | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  private sharedSecret(): string {
    const ig = this.config.internal_grpc;
    if (ig.auth.shared_secret) return ig.auth.shared_secret;
    const path = join(ig.security.cert_dir, AUTH_SECRET_FILE);
    if (existsSync(path)) return readFileSync(path, "utf8").trim();
    throw new ConfigError(
      `no shared secret: set [internal_grpc.auth] shared_secret to the hub's, or put the hub's ${AUTH_SECRET_FILE} in ${ig.security.cert_dir} (agenthub certs issue-node copies it)`,
    );
  }

  async start(): Promise<void> {
    this.state = "starting";
    const { config, logger } = this;
    const ig = config.internal_grpc;
    try {
      const secret = this.sharedSecret();
      const mode = ig.security.mode;
      let creds: ReturnType<typeof serverCredentials>;
      if (mode === "disabled") {
        logger.warn(
          { component: "node" },
          "internal gRPC security is DISABLED: NodeService traffic is unencrypted",
        );
        creds = serverCredentials("disabled");
      } else {
        const certs = await loadNodeCertificates(ig.security.cert_dir);
        creds = serverCredentials(mode, {
          caCert: certs.caCert,
          serverCert: certs.serverCert,
          serverKey: certs.serverKey,
        });
      }
      this.runtime = new NodeRuntime({
        nodeId: config.node.id,
        dataDir: join(config.home, "node-data"),
        safePaths: config.safe_paths,
        worktreeRoot: config.worktree.default_root,
        providers: config.agents.providers,
      });
      await this.runtime.start();
      const server = new GrpcServer();
      server.addService(NodeService, nodeServiceImpl(this.runtime), {
        authenticate: tokenAuthenticator({
          secret,
          issuer: ig.auth.issuer,
          audience: ig.auth.audience,
          clockToleranceSeconds: ig.auth.clock_skew_seconds,
        }),
      });
      this.port = await server.listen(ig.listen, creds);
      this.server = server;
      this.state = "running";
      logger.info(
        { component: "node", node_id: config.node.id, listen: ig.listen, port: this.port, mode },
        "node listening",
      );
    } catch (err) {
      this.state = "failed";
      await this.runtime?.shutdown();
      throw err;
    }
  }

  /** Stops accepting calls, stops every agent (their final events stay in the log), then exits. */
  async stop(): Promise<void> {
    if (this.state === "stopping" || this.state === "stopped") return;
    this.state = "stopping";
    await this.server?.shutdown(2_000);
    await this.runtime?.shutdown();
    this.state = "stopped";
    this.logger.info({ component: "node" }, "node stopped");
  }
}
