import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Config } from "../config/config-schema.js";
import type { NodeClient } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import { AuthorityService } from "../gen/agenthub/internal/v1/authority_pb.js";
import { tokenAuthenticator } from "../grpc/call-auth.js";
import { ensureCertificates, issueActorCertificate } from "../grpc/cert-store.js";
import { serverCredentials } from "../grpc/credentials.js";
import { GrpcServer } from "../grpc/grpc-server.js";
import { RemoteNodeClient } from "../grpc/remote-node-client.js";
import { ensureSigningKeys, removeRetiredSecret } from "../grpc/signing-key.js";
import { type ActorClaims, mintActorToken, nodeAudience } from "../grpc/token-auth.js";
import { assertCanListen, listenErrorFrom } from "../util/listen.js";
import type { Logger } from "../util/logger.js";
import type { AgentService } from "./agent-service.js";
import {
  authorityServiceImpl,
  LEADER_PERMISSIONS,
  type ReviewResponder,
  WORKER_PERMISSIONS,
} from "./authority-service.js";
import type { HubServices } from "./hub-services.js";
import type { NodeConnectSpec } from "./node-registry.js";

/** Hub tokens for calling nodes are short-lived and re-minted before they expire. */
const HUB_TOKEN_TTL_S = 600;

/**
 * The hub's side of internal gRPC: TLS material and the Ed25519 token-signing key (generated on first
 * start), the AuthorityService server for agents' actor CLI, token minting, and clients for remote nodes.
 */
export class InternalGrpc {
  private server: GrpcServer | undefined;
  private signingKey: KeyObject | undefined;
  private verifyKey: KeyObject | undefined;
  private caCert: Buffer | undefined;
  private clientCert: Buffer | undefined;
  private clientKey: Buffer | undefined;
  /** Hub tokens by node id: each carries that node's audience, so none can be replayed elsewhere. */
  private readonly hubTokens = new Map<string, { token: string; expires: number }>();
  boundPort = 0;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.config.internal_grpc.enabled;
  }

  get caCertPath(): string {
    return `${this.config.internal_grpc.security.cert_dir}/ca.crt`;
  }

  /** Prepares certificates and the signing key; needed before remote nodes can be dialed. */
  async prepare(): Promise<void> {
    const ig = this.config.internal_grpc;
    const mode = ig.security.mode;
    if (mode === "disabled") {
      this.logger.warn(
        { component: "internal-grpc" },
        'internal gRPC security is DISABLED: traffic between hub, nodes and agents is unencrypted and unauthenticated at the transport; set [internal_grpc.security] mode = "tls"',
      );
    }
    const { paths, generated } = await ensureCertificates({
      certDir: ig.security.cert_dir,
      serverNames: ig.tls_server_names,
      mode,
    });
    if (generated.length > 0) {
      this.logger.info(
        { component: "internal-grpc", cert_dir: ig.security.cert_dir, generated },
        "generated certificates",
      );
    }
    if (mode !== "disabled") {
      this.caCert = await readFile(paths.caCert);
      this.clientCert = await readFile(paths.clientCert);
      this.clientKey = await readFile(paths.clientKey);
    }
    const keys = await ensureSigningKeys(ig.security.cert_dir);
    this.signingKey = keys.privateKey;
    this.verifyKey = keys.publicKey;
    if (await removeRetiredSecret(ig.security.cert_dir)) {
      this.logger.warn(
        { component: "internal-grpc", cert_dir: ig.security.cert_dir },
        "deleted the retired HS256 auth_secret.txt: tokens are now signed with token_signing.key; re-run `agenthub certs issue-node` for each node and delete auth_secret.txt on the nodes",
      );
    }
  }

  async start(services: HubServices, agents: AgentService, respondReview: ReviewResponder): Promise<void> {
    if (!this.enabled) return;
    const ig = this.config.internal_grpc;
    const mode = ig.security.mode;
    const server = new GrpcServer();
    server.addService(AuthorityService, authorityServiceImpl(services, agents, respondReview), {
      authenticate: tokenAuthenticator({
        verifyKey: this.requireKeys().verifyKey,
        issuer: ig.auth.issuer,
        audience: ig.auth.audience,
        maxTtlSeconds: ig.auth.max_token_ttl_seconds,
        clockToleranceSeconds: ig.auth.clock_skew_seconds,
        // Agents and the hub machine's admin CLI call here; the hub's own node tokens have node audiences.
        roles: ["leader", "worker", "admin"],
      }),
    });
    const material =
      mode === "disabled"
        ? undefined
        : {
            caCert: this.caCert,
            serverCert: await readFile(`${ig.security.cert_dir}/server.crt`),
            serverKey: await readFile(`${ig.security.cert_dir}/server.key`),
          };
    // gRPC reports a busy address without an error code: try it first for a clear refusal.
    await assertCanListen(ig.listen, "internal_grpc.listen");
    this.boundPort = await server
      .listen(ig.listen, serverCredentials(mode, material))
      .catch((err: unknown) => {
        throw listenErrorFrom(err, ig.listen, "internal_grpc.listen");
      });
    this.server = server;
    this.logger.info(
      { component: "internal-grpc", listen: ig.listen, port: this.boundPort, mode },
      "internal gRPC listening",
    );
  }

  /** What agents' actor CLI dials: advertise_target, with the real port when listening on port 0. */
  get advertiseTarget(): string {
    const t = this.config.internal_grpc.advertise_target;
    return this.config.internal_grpc.listen.endsWith(":0") ? t.replace(/:\d+$/, `:${this.boundPort}`) : t;
  }

  private requireKeys(): { signingKey: KeyObject; verifyKey: KeyObject } {
    if (!this.signingKey || !this.verifyKey) throw new Error("internal gRPC keys not prepared");
    return { signingKey: this.signingKey, verifyKey: this.verifyKey };
  }

  /** The hub's public verification key (what nodes hold). */
  get publicKey(): KeyObject {
    return this.requireKeys().verifyKey;
  }

  /** Mints a token for the AuthorityService audience, or for one node's (`audience`). */
  async mint(claims: ActorClaims, ttlSeconds?: number, audience?: string): Promise<string> {
    if (!this.enabled)
      throw new AppError("INTERNAL_GRPC_UNAVAILABLE", { hint: "set [internal_grpc] enabled = true" });
    const ig = this.config.internal_grpc;
    return mintActorToken(this.requireKeys().signingKey, {
      issuer: ig.auth.issuer,
      audience: audience ?? ig.auth.audience,
      ttlSeconds: ttlSeconds ?? ig.auth.token_ttl_seconds,
      claims,
    });
  }

  /** A member's actor token and the AGENTHUB_* variables its agent process gets. */
  async actorEnv(
    teamId: string,
    memberId: string,
    role: "leader" | "worker",
    runId?: string,
  ): Promise<Record<string, string>> {
    const token = await this.mint({
      role,
      team_id: teamId,
      run_id: runId,
      actor_id: memberId,
      permissions: role === "leader" ? [...LEADER_PERMISSIONS] : [...WORKER_PERMISSIONS],
    });
    const env: Record<string, string> = {
      AGENTHUB_INTERNAL_GRPC_TARGET: this.advertiseTarget,
      AGENTHUB_INTERNAL_GRPC_TOKEN: token,
      AGENTHUB_ACTOR_ID: memberId,
      AGENTHUB_TEAM_ID: teamId,
      AGENTHUB_INTERNAL_GRPC_SECURITY_MODE: this.config.internal_grpc.security.mode,
    };
    if (runId) env.AGENTHUB_RUN_ID = runId;
    if (this.caCert) env.AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM = this.caCert.toString("utf8");
    if (this.config.internal_grpc.security.mode === "mtls") {
      // Never the hub's own client key: a per-actor certificate the AuthorityService accepts and nodes refuse.
      const days = Math.max(1, Math.ceil(this.config.internal_grpc.auth.token_ttl_seconds / 86_400) + 1);
      const pair = await issueActorCertificate(
        this.config.internal_grpc.security.cert_dir,
        `${teamId}/${memberId}`,
        days,
      );
      env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM = pair.cert;
      env.AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM = pair.key;
    }
    return env;
  }

  /** The hub token for `nodeId`; synchronous while the cached one has more than a minute left. */
  private hubTokenFor(nodeId: string): string | Promise<string> {
    // Real time, not the hub's Clock: the cached token's expiry is the one jose minted from real time.
    const now = Date.now();
    const cached = this.hubTokens.get(nodeId);
    if (cached && cached.expires - now >= 60_000) return cached.token;
    const audience = nodeAudience(this.config.internal_grpc.auth.audience, nodeId);
    return this.mint({ role: "hub", permissions: [] }, HUB_TOKEN_TTL_S, audience).then((token) => {
      this.hubTokens.set(nodeId, { token, expires: now + HUB_TOKEN_TTL_S * 1000 });
      return token;
    });
  }

  /** A client for a remote node, trusting the hub's CA (and presenting the hub's client cert in mTLS). */
  connectNode(spec: NodeConnectSpec): NodeClient {
    if (!this.enabled)
      throw new AppError("INTERNAL_GRPC_UNAVAILABLE", { hint: "set [internal_grpc] enabled = true" });
    return new RemoteNodeClient(
      spec.grpc_target,
      {
        mode: this.config.internal_grpc.security.mode,
        caCert: this.caCert,
        clientCert: this.clientCert,
        clientKey: this.clientKey,
        tlsServerName: spec.tls_server_name ?? undefined,
      },
      () => this.hubTokenFor(spec.id),
    );
  }

  async stop(): Promise<void> {
    await this.server?.shutdown(2_000);
    this.server = undefined;
  }
}
