import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config-schema.js";
import { NodeService } from "../gen/agenthub/internal/v1/node_pb.js";
import { requireHubCertificate, tokenAuthenticator } from "../grpc/call-auth.js";
import { serverCredentials } from "../grpc/credentials.js";
import { GrpcServer } from "../grpc/grpc-server.js";
import { loadNodeCertificates } from "../grpc/node-cert-loader.js";
import { RETIRED_SECRET_FILE } from "../grpc/signing-key.js";
import { nodeAudience } from "../grpc/token-auth.js";
import { assertCanListen, listenErrorFrom } from "../util/listen.js";
import type { Logger } from "../util/logger.js";
import { secureDataDir } from "../util/private-files.js";
import { NodeRuntime } from "./node-runtime.js";
import { nodeServiceImpl } from "./node-service.js";
import { agentRuntimeSecurity } from "./sandbox.js";

export type NodeDaemonState = "created" | "starting" | "running" | "stopping" | "stopped" | "failed";

/**
 * `agenthub --node-mode`: serves NodeService over TLS/mTLS and nothing else. It never generates a CA:
 * its certificates and the hub's public token key come from `agenthub certs issue-node` on the hub.
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

  async start(): Promise<void> {
    this.state = "starting";
    const { config, logger } = this;
    const ig = config.internal_grpc;
    try {
      // An address in use refuses the start (one line: address and config key) before anything is changed.
      await assertCanListen(ig.listen, "internal_grpc.listen");
      // Owner-only data dir (0700, files 0600: event logs, pidfiles, keys), also when left readable.
      secureDataDir({
        home: config.home,
        trees: [join(config.home, "node-data"), ig.security.cert_dir],
        worktreeRoot: config.worktree.default_root,
        safePaths: config.safe_paths,
      });
      const mode = ig.security.mode;
      const certs = await loadNodeCertificates(ig.security.cert_dir, { tls: mode !== "disabled" });
      const retired = join(ig.security.cert_dir, RETIRED_SECRET_FILE);
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
        nodeId: config.node.id,
        dataDir: join(config.home, "node-data"),
        safePaths: config.safe_paths,
        worktreeRoot: config.worktree.default_root,
        providers: config.agents.providers,
        ...(await agentRuntimeSecurity(config, logger)),
      });
      await this.runtime.start();
      const server = new GrpcServer();
      server.addService(NodeService, nodeServiceImpl(this.runtime), {
        authenticate: tokenAuthenticator({
          verifyKey: certs.verifyKey,
          issuer: ig.auth.issuer,
          // Only tokens the hub minted for this node: one node's token is useless at another.
          audience: nodeAudience(ig.auth.audience, config.node.id),
          maxTtlSeconds: ig.auth.max_token_ttl_seconds,
          clockToleranceSeconds: ig.auth.clock_skew_seconds,
          roles: ["hub"],
          checkPeer: mode === "mtls" ? requireHubCertificate : undefined,
        }),
      });
      await assertCanListen(ig.listen, "internal_grpc.listen");
      this.port = await server.listen(ig.listen, creds).catch((err: unknown) => {
        throw listenErrorFrom(err, ig.listen, "internal_grpc.listen");
      });
      this.server = server;
      this.state = "running";
      logger.info(
        {
          component: "node",
          node_id: config.node.id,
          listen: ig.listen,
          port: this.port,
          mode,
          agent_isolation: this.runtime.info().isolation,
        },
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
