import type { JsonObject } from "@bufbuild/protobuf";
import type {
  ActorCredentials,
  AgentLaunch,
  AgentSessionInfo,
  AgentStarted,
  EventWatch,
  NodeClient,
  NodeEvent,
  NodeInfo,
  PermissionOutcome,
  WorktreeRemoval,
} from "../contracts/node-client.js";
import { type AgentEvent, NodeService } from "../gen/agenthub/internal/v1/node_pb.js";
import { type ClientChannelSecurity, type ClientTlsOptions, clientCredentials } from "./credentials.js";
import { worktreeModeCodec } from "./enum-codecs.js";
import { makeClient, type TypedClient } from "./typed-client.js";

/** Events per WatchEvents response the hub asks a node for. */
const WATCH_MAX_BATCH = 500;

export function launchToRequest(l: AgentLaunch, validateOnly = false) {
  return {
    agentId: l.agent_id,
    name: l.name,
    provider: l.provider ?? "",
    command: l.command ?? "",
    args: [...(l.args ?? [])],
    env: { ...(l.env ?? {}) },
    worktreeMode: worktreeModeCodec.encode(l.worktree_mode),
    workdir: l.workdir ?? "",
    worktreeRepo: l.worktree_repo ?? "",
    worktreeRef: l.worktree_ref ?? "",
    worktreeRoot: l.worktree_root ?? "",
    validateOnly,
    mode: l.mode ?? "",
    model: l.model ?? "",
    ...(l.config_options ? { configOptions: { ...l.config_options } } : {}),
    mcpServers: (l.mcp_servers ?? []).map((m) => ({
      name: m.name,
      command: m.command,
      args: [...m.args],
      env: { ...m.env },
    })),
    resumeSessionId: l.resume_session_id ?? "",
  };
}

/**
 * A remote node over TLS gRPC: one long-lived HTTP/2 channel per node (keepalive set by the typed
 * client), a deadline on every unary call, and the hub token `token()` returns (the hub re-mints it
 * before it expires; a string answer keeps the call path synchronous).
 */
export class RemoteNodeClient implements NodeClient {
  private readonly client: TypedClient<(typeof NodeService)["method"]>;

  constructor(target: string, tls: ClientTlsOptions, token: () => string | Promise<string>) {
    const sec: ClientChannelSecurity = clientCredentials(tls);
    this.client = makeClient(NodeService, target, sec.credentials, { channelOptions: sec.options, token });
  }

  async info(deadlineMs?: number): Promise<NodeInfo> {
    const r = await this.client.getInfo({}, deadlineMs === undefined ? {} : { deadlineMs });
    return {
      node_id: r.nodeId,
      version: r.version,
      hostname: r.hostname,
      running_agents: r.runningAgents,
      safe_paths: r.safePaths,
      worktree_root: r.worktreeRoot,
      // Anything but a sandbox the node reports (an older node reports nothing) is none.
      isolation: r.isolation === "bwrap" ? "bwrap" : "none",
      now_ms: r.nowMs > 0n ? Number(r.nowMs) : undefined,
      worktrees: r.hasWorktreeUsage ? { count: r.worktreeCount, bytes: Number(r.worktreeBytes) } : undefined,
    };
  }

  async validateLaunch(launch: AgentLaunch): Promise<void> {
    await this.client.startAgent(launchToRequest(launch, true));
  }

  async startAgent(launch: AgentLaunch): Promise<AgentStarted> {
    // Starting includes a worktree checkout and the agent's ACP handshake: allow for both.
    const r = await this.client.startAgent(launchToRequest(launch), { deadlineMs: 60_000 });
    return {
      workdir: r.workdir,
      // The node's own snake_case JSON of AgentSessionInfo.
      ...(r.session ? { session: r.session as unknown as AgentSessionInfo } : {}),
    };
  }

  async stopAgent(agentId: string): Promise<void> {
    await this.client.stopAgent({ agentId }, { deadlineMs: 30_000 });
  }

  async sendInput(agentId: string, text: string, turnId: string): Promise<void> {
    await this.client.sendInput({ agentId, text, turnId });
  }

  async cancelTurn(agentId: string, turnId?: string): Promise<void> {
    await this.client.cancelTurn({ agentId, turnId: turnId ?? "" });
  }

  async respondPermission(agentId: string, requestId: string, outcome: PermissionOutcome): Promise<void> {
    await this.client.respondPermission({
      agentId,
      requestId,
      outcome:
        "option_id" in outcome
          ? { case: "optionId", value: outcome.option_id }
          : { case: "cancelled", value: true },
    });
  }

  watchEvents(
    fromSeq: number,
    handlers: { onEvent: (e: NodeEvent) => void; onError: (err: Error) => void; onEnd: () => void },
  ): EventWatch {
    // Batched responses (nodes that do not batch ignore max_batch and fill `event`).
    const stream = this.client.watchEvents({ fromSeq: BigInt(fromSeq), maxBatch: WATCH_MAX_BATCH });
    let canceled = false;
    const deliver = (e: AgentEvent) =>
      handlers.onEvent({
        seq: Number(e.seq),
        agent_id: e.agentId,
        agent_seq: Number(e.agentSeq),
        kind: e.kind,
        at_ms: Number(e.atMs),
        data: (e.data ?? {}) as JsonObject as Record<string, unknown>,
      });
    void (async () => {
      try {
        for await (const r of stream) {
          if (r.event) deliver(r.event);
          for (const e of r.events) {
            if (canceled) break;
            deliver(e);
          }
        }
        if (!canceled) handlers.onEnd();
      } catch (err) {
        if (!canceled) handlers.onError(err as Error);
      }
    })();
    return {
      cancel: () => {
        canceled = true;
        stream.cancel();
      },
    };
  }

  async removeWorktrees(agentId: string, force: boolean): Promise<WorktreeRemoval[]> {
    // git worktree remove and a status check per worktree; a large tree takes a while.
    const r = await this.client.removeWorktrees({ agentId, force }, { deadlineMs: 120_000 });
    return r.worktrees.map((w) => ({
      path: w.path,
      branch: w.branch,
      removed: w.removed,
      kept_reason: w.keptReason || undefined,
      branch_deleted: w.branchDeleted,
      branch_kept_reason: w.branchKeptReason || undefined,
    }));
  }

  async ackEvents(upToSeq: number): Promise<void> {
    await this.client.ackEvents({ upToSeq: BigInt(upToSeq) });
  }

  async renewActorCredentials(agentId: string, c: ActorCredentials): Promise<void> {
    await this.client.renewActorCredentials({
      agentId,
      token: c.token,
      clientCertPem: c.client_cert_pem ?? "",
      clientKeyPem: c.client_key_pem ?? "",
    });
  }

  close(): void {
    this.client.close();
  }
}
