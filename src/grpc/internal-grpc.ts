import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { assertCanListen, listenErrorFrom } from "../config/listen.js";
import type { ActorClaims } from "../contracts/actor-claims.js";
import type { ActorCredentials, NodeClient } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import { AuthorityService } from "../gen/agenthub/internal/v1/authority_pb.js";
import { memberPermissions } from "../hub/actor-permissions.js";
import type { ActorService } from "../hub/actor-service.js";
import type { NodeConnectSpec } from "../hub/node-registry.js";
import type { Logger } from "../util/logger.js";
import { authorityServiceImpl } from "./authority-service.js";
import { tokenAuthenticator } from "./call-auth.js";
import { ensureCertificates, issueActorCertificate, type SecurityMode } from "./cert-store.js";
import { serverCredentials } from "./credentials.js";
import { GrpcServer } from "./grpc-server.js";
import { RemoteNodeClient } from "./remote-node-client.js";
import { ensureSigningKeys, removeRetiredSecret } from "./signing-key.js";
import { mintActorToken, nodeAudience } from "./token-auth.js";

/** Hub tokens for calling nodes are short-lived and re-minted before they expire. */
const HUB_TOKEN_TTL_MS = 600_000;
const DAY_MS = 86_400_000;

/** `[internal_grpc]` as the hub uses it, compiled once by the app (durations in ms). */
export interface InternalGrpcOptions {
  readonly enabled: boolean;
  readonly listen: string;
  readonly advertiseTarget: string;
  readonly tlsServerNames: readonly string[];
  readonly mode: SecurityMode;
  readonly certDir: string;
  readonly issuer: string;
  readonly audience: string;
  /** Lifetime of the actor tokens members' agents get. */
  readonly tokenTtlMs: number;
  /** Longest token lifetime the AuthorityService accepts. */
  readonly maxTokenTtlMs: number;
  /** Clock skew tolerated when checking a token's times. */
  readonly clockSkewMs: number;
}

/** Token lifetimes and skews are whole seconds in a JWT. */
const seconds = (ms: number) => Math.ceil(ms / 1000);

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
    private readonly opts: InternalGrpcOptions,
    private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.opts.enabled;
  }

  /** Whether the AuthorityService is listening and serving (false before start, after stop, or disabled). */
  get serving(): boolean {
    return this.server?.serving ?? false;
  }

  get caCertPath(): string {
    return `${this.opts.certDir}/ca.crt`;
  }

  /** Prepares certificates and the signing key; needed before remote nodes can be dialed. */
  async prepare(): Promise<void> {
    const { mode, certDir } = this.opts;
    if (mode === "disabled") {
      this.logger.warn(
        { component: "internal-grpc" },
        'internal gRPC security is DISABLED: traffic between hub, nodes and agents is unencrypted and unauthenticated at the transport; set [internal_grpc.security] mode = "tls"',
      );
    }
    const { paths, generated } = await ensureCertificates({
      certDir,
      serverNames: this.opts.tlsServerNames,
      mode,
    });
    if (generated.length > 0) {
      this.logger.info(
        { component: "internal-grpc", cert_dir: certDir, generated },
        "generated certificates",
      );
    }
    if (mode !== "disabled") {
      this.caCert = await readFile(paths.caCert);
      this.clientCert = await readFile(paths.clientCert);
      this.clientKey = await readFile(paths.clientKey);
    }
    const keys = await ensureSigningKeys(certDir);
    this.signingKey = keys.privateKey;
    this.verifyKey = keys.publicKey;
    if (await removeRetiredSecret(certDir)) {
      this.logger.warn(
        { component: "internal-grpc", cert_dir: certDir },
        "deleted the retired HS256 auth_secret.txt: tokens are now signed with token_signing.key; re-run `agenthub certs issue-node` for each node and delete auth_secret.txt on the nodes",
      );
    }
  }

  /**
   * Serves the AuthorityService (agents' actor CLI) with the hub's actor rules; every answer waits for
   * `durable` (the hub's group commit).
   */
  async start(actors: ActorService, durable?: () => Promise<void> | undefined): Promise<void> {
    if (!this.enabled) return;
    const { mode, certDir, listen } = this.opts;
    const server = new GrpcServer();
    server.addService(AuthorityService, authorityServiceImpl(actors), {
      beforeReply: durable,
      authenticate: tokenAuthenticator({
        verifyKey: this.requireKeys().verifyKey,
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        maxTtlSeconds: seconds(this.opts.maxTokenTtlMs),
        clockToleranceSeconds: seconds(this.opts.clockSkewMs),
        // Agents and the hub machine's admin CLI call here; the hub's own node tokens have node audiences.
        roles: ["leader", "worker", "admin"],
        // A member whose token expired lost its actor access: its work in flight says so.
        onExpired: (claims) => {
          try {
            actors.tokenExpired(claims);
          } catch (err) {
            this.logger.error({ component: "internal-grpc", err }, "recording an expired actor token failed");
          }
        },
      }),
    });
    const material =
      mode === "disabled"
        ? undefined
        : {
            caCert: this.caCert,
            serverCert: await readFile(`${certDir}/server.crt`),
            serverKey: await readFile(`${certDir}/server.key`),
          };
    // gRPC reports a busy address without an error code: try it first for a clear refusal.
    await assertCanListen(listen, "internal_grpc.listen");
    this.boundPort = await server.listen(listen, serverCredentials(mode, material)).catch((err: unknown) => {
      throw listenErrorFrom(err, listen, "internal_grpc.listen");
    });
    this.server = server;
    this.logger.info(
      { component: "internal-grpc", listen, port: this.boundPort, mode },
      "internal gRPC listening",
    );
  }

  /** What agents' actor CLI dials: advertise_target, with the real port when listening on port 0. */
  get advertiseTarget(): string {
    const t = this.opts.advertiseTarget;
    return this.opts.listen.endsWith(":0") ? t.replace(/:\d+$/, `:${this.boundPort}`) : t;
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
  async mint(claims: ActorClaims, ttlMs?: number, audience?: string): Promise<string> {
    if (!this.enabled)
      throw new AppError("INTERNAL_GRPC_UNAVAILABLE", { hint: "set [internal_grpc] enabled = true" });
    return mintActorToken(this.requireKeys().signingKey, {
      issuer: this.opts.issuer,
      audience: audience ?? this.opts.audience,
      ttlSeconds: seconds(ttlMs ?? this.opts.tokenTtlMs),
      claims,
    });
  }

  /**
   * A member's actor credentials: a token for the AuthorityService and, in mTLS, a per-actor client
   * certificate (never the hub's own key, which nodes would accept). Minted at start and again for
   * each renewal.
   */
  async actorCredentials(
    teamId: string,
    memberId: string,
    role: "leader" | "worker",
    runId?: string,
  ): Promise<ActorCredentials> {
    const token = await this.mint({
      role,
      team_id: teamId,
      run_id: runId,
      actor_id: memberId,
      permissions: memberPermissions(role),
    });
    if (this.opts.mode !== "mtls") return { token };
    // Outlives the token by a day: a renewal replaces both long before either expires.
    const days = Math.max(1, Math.ceil(this.opts.tokenTtlMs / DAY_MS) + 1);
    const pair = await issueActorCertificate(this.opts.certDir, `${teamId}/${memberId}`, days);
    return { token, client_cert_pem: pair.cert, client_key_pem: pair.key };
  }

  /** A member's actor credentials as the AGENTHUB_* variables its agent process gets. */
  async actorEnv(
    teamId: string,
    memberId: string,
    role: "leader" | "worker",
    runId?: string,
  ): Promise<Record<string, string>> {
    const c = await this.actorCredentials(teamId, memberId, role, runId);
    const env: Record<string, string> = {
      AGENTHUB_INTERNAL_GRPC_TARGET: this.advertiseTarget,
      AGENTHUB_INTERNAL_GRPC_TOKEN: c.token,
      AGENTHUB_ACTOR_ID: memberId,
      AGENTHUB_TEAM_ID: teamId,
      AGENTHUB_INTERNAL_GRPC_SECURITY_MODE: this.opts.mode,
    };
    if (runId) env.AGENTHUB_RUN_ID = runId;
    if (this.caCert) env.AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM = this.caCert.toString("utf8");
    if (c.client_cert_pem && c.client_key_pem) {
      env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM = c.client_cert_pem;
      env.AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM = c.client_key_pem;
    }
    return env;
  }

  /** The hub token for `nodeId`; synchronous while the cached one has more than a minute left. */
  private hubTokenFor(nodeId: string): string | Promise<string> {
    // Real time, not the hub's Clock: the cached token's expiry is the one jose minted from real time.
    const now = Date.now();
    const cached = this.hubTokens.get(nodeId);
    if (cached && cached.expires - now >= 60_000) return cached.token;
    const audience = nodeAudience(this.opts.audience, nodeId);
    return this.mint({ role: "hub", permissions: [] }, HUB_TOKEN_TTL_MS, audience).then((token) => {
      this.hubTokens.set(nodeId, { token, expires: now + HUB_TOKEN_TTL_MS });
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
        mode: this.opts.mode,
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
