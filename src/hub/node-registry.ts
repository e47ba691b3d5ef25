import { isLiveAgentState } from "../contracts/agent-states.js";
import type { AgentIsolation, NodeClient, WorktreeUsage } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import { type AgentNodeRow, AgentNodesRepo } from "../store/agent-nodes-repo.js";
import { AgentsRepo } from "../store/agents-repo.js";
import { isConstraintViolation } from "../store/constraint-error.js";
import type { Database } from "../store/database.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { AgentEventBus, StoredAgentEvent } from "./agent-event-bus.js";
import { EventIngestor } from "./event-ingestor.js";
import { classifyNodeError } from "./node-failure.js";

export const MAIN_NODE_ID = "main";
/** Node ids: they name the node in tokens (audience) and paths. */
export const NODE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const TARGET_RE = /^[^\s/]+:\d+$/;

export interface NodeConnectSpec {
  id: string;
  grpc_target: string;
  tls_server_name: string | null;
}

export interface NodeRegistryOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  bus: AgentEventBus;
  mainClient: NodeClient;
  /** Builds a client for a remote node (TLS gRPC). */
  connect: (spec: NodeConnectSpec) => NodeClient;
  probeIntervalMs: number;
  offlineGraceMs: number;
  onEvents: (events: StoredAgentEvent[]) => void;
  /** Told when probes turn a node offline. */
  onNodeOffline?: (nodeId: string) => void;
  /** Told of every change of a node's status, inside the transaction that writes it. */
  onStatusChange?: (change: NodeStatusChange) => void;
}

/**
 * `degraded`: the node answers probes but its event stream keeps failing (`last_error` says why);
 * back to `online` once the stream works again.
 */
export const NODE_STATUSES = ["online", "degraded", "offline"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** A node's status changed from `from` to `to`; `node` is its row after the write. */
export interface NodeStatusChange {
  node: AgentNodeRow;
  from: NodeStatus;
  to: NodeStatus;
}

/** An agent node as the hub knows it, with how many of its agents are active now. */
export interface AgentNode {
  id: string;
  name: string;
  grpc_target: string;
  tls_server_name: string | null;
  default_worktree_root: string | null;
  status: NodeStatus;
  last_probe_at: number | null;
  last_ok_at: number | null;
  probe_latency_ms: number | null;
  last_error: string | null;
  running_agents: number;
  created_at: number;
  updated_at: number;
}

/** Registers a remote node: its id (also its token audience), where to dial it, how to name it. */
export interface RegisterNodeCommand {
  id: string;
  /** Defaults to the id. */
  name?: string | undefined;
  /** `host:port` (an `http(s)://` prefix is dropped). */
  grpc_target: string;
  /** The name its TLS certificate is checked against; empty or null: the target's host. */
  tls_server_name?: string | null | undefined;
  default_worktree_root?: string | null | undefined;
}

/** Changes a registered node; a field left out keeps its value, null or "" clears an optional one. */
export interface UpdateNodeCommand {
  name?: string | undefined;
  grpc_target?: string | undefined;
  tls_server_name?: string | null | undefined;
  default_worktree_root?: string | null | undefined;
}

/** The outcome of a probe: the node, and the sandbox it reported (null when it could not be asked). */
export interface NodeHealth {
  node: AgentNode;
  isolation: AgentIsolation | null;
  /** The node's clock minus the hub's at the last successful probe (ms); null when unknown. */
  clock_skew_ms: number | null;
  /** What the node's worktree root holds, as this probe found; null when unreachable or an older node. */
  worktrees: WorktreeUsage | null;
}

function describeCause(err: unknown): string {
  return classifyNodeError(err).message;
}

/**
 * Registered agent nodes (plus the built-in `main`): their clients, periodic health probes
 * (online/offline with a grace period; degraded while the event stream keeps failing), and one event
 * ingestor per node.
 */
export class NodeRegistry {
  private readonly repo: AgentNodesRepo;
  private readonly agents: AgentsRepo;
  private readonly clients = new Map<string, NodeClient>();
  private readonly ingestors = new Map<string, EventIngestor>();
  /** The isolation each node reported at its last successful probe. */
  private readonly isolation = new Map<string, AgentIsolation>();
  /** Each node's clock skew (its clock minus the hub's, ms) at its last successful probe. */
  private readonly clockSkew = new Map<string, number>();
  /** Why a node's event stream keeps failing, while it does. */
  private readonly streamFailure = new Map<string, string>();
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(private readonly o: NodeRegistryOptions) {
    this.repo = new AgentNodesRepo(o.db);
    this.agents = new AgentsRepo(o.db);
  }

  start(): void {
    const now = this.o.clock.now();
    if (!this.repo.byId(MAIN_NODE_ID)) {
      this.repo.insert({
        id: MAIN_NODE_ID,
        name: MAIN_NODE_ID,
        grpc_target: "in-process",
        tls_server_name: null,
        default_worktree_root: null,
        status: "online",
        last_probe_at: null,
        last_ok_at: now,
        probe_latency_ms: null,
        last_error: null,
        event_cursor: 0,
        created_at: now,
        updated_at: now,
      });
    }
    this.attach(MAIN_NODE_ID, this.o.mainClient);
    for (const n of this.repo.list()) {
      if (n.id !== MAIN_NODE_ID) this.attach(n.id, this.o.connect(n));
    }
    this.probeTimer = setInterval(() => void this.probeAll(), this.o.probeIntervalMs);
    this.probeTimer.unref();
  }

  private attach(id: string, client: NodeClient): void {
    this.clients.set(id, client);
    const ing = new EventIngestor(
      id,
      client,
      this.o.db,
      this.o.clock,
      this.o.bus,
      this.o.logger,
      this.o.onEvents,
      (f) => this.onStreamHealth(id, f),
    );
    this.ingestors.set(id, ing);
    ing.start();
  }

  /** An online node whose stream fails repeatedly turns `degraded` (warn); online again once it works. */
  private onStreamHealth(id: string, failure: { cause: string; failures: number } | null): void {
    const n = this.repo.byId(id);
    if (!n) return;
    const now = this.o.clock.now();
    if (failure) {
      const cause = `event stream failing: ${failure.cause}`;
      this.streamFailure.set(id, cause);
      if (n.status === "offline") return;
      this.writeStatus(id, { status: "degraded", last_error: cause }, now);
      this.o.logger.warn(
        { component: "nodes", node_id: id, cause: failure.cause, failures: failure.failures },
        "agent node degraded: its event stream keeps failing",
      );
      return;
    }
    this.streamFailure.delete(id);
    if (n.status !== "degraded") return;
    this.writeStatus(id, { status: "online", last_error: null }, now);
    this.o.logger.info(
      { component: "nodes", node_id: id },
      "agent node online again: its event stream works",
    );
  }

  /**
   * The one writer of a node's status (with the fields recorded with it): a change is logged and told
   * to `onStatusChange` in the same transaction (the webhook outbox records `node.offline` and
   * `node.online` there).
   */
  private writeStatus(
    id: string,
    fields: Parameters<AgentNodesRepo["update"]>[1] & { status: NodeStatus },
    now: number,
  ): void {
    this.o.db.transaction(() => {
      const before = this.repo.byId(id);
      this.repo.update(id, fields, now);
      if (!before || before.status === fields.status) return;
      const from = before.status as NodeStatus;
      this.o.logger.info(
        { component: "nodes", node_id: id, from, to: fields.status },
        `agent node status ${from} -> ${fields.status}`,
      );
      this.o.onStatusChange?.({ node: this.repo.byId(id)!, from, to: fields.status });
    })();
  }

  private detach(id: string): void {
    this.streamFailure.delete(id);
    this.ingestors.get(id)?.stop();
    this.ingestors.delete(id);
    this.clients.get(id)?.close();
    this.clients.delete(id);
    this.isolation.delete(id);
  }

  client(nodeId: string): NodeClient {
    const c = this.clients.get(nodeId);
    if (!c) throw new AppError("AGENT_NODE_NOT_FOUND", { node_id: nodeId });
    return c;
  }

  has(nodeId: string): boolean {
    return this.clients.has(nodeId);
  }

  row(nodeId: string): AgentNodeRow {
    const n = this.repo.byId(nodeId);
    if (!n) throw new AppError("AGENT_NODE_NOT_FOUND", { node_id: nodeId });
    return n;
  }

  private running(nodeId: string): string[] {
    return this.agents
      .byNode(nodeId)
      .filter((a) => isLiveAgentState(a.status))
      .map((a) => a.id);
  }

  private record(n: AgentNodeRow): AgentNode {
    return {
      id: n.id,
      name: n.name,
      grpc_target: n.grpc_target,
      tls_server_name: n.tls_server_name,
      default_worktree_root: n.default_worktree_root,
      status: n.status as NodeStatus,
      last_probe_at: n.last_probe_at,
      last_ok_at: n.last_ok_at,
      probe_latency_ms: n.probe_latency_ms,
      last_error: n.last_error,
      running_agents: this.running(n.id).length,
      created_at: n.created_at,
      updated_at: n.updated_at,
    };
  }

  get(nodeId: string): AgentNode {
    return this.record(this.row(nodeId));
  }

  list(): AgentNode[] {
    return this.repo.list().map((n) => this.record(n));
  }

  async register(cmd: RegisterNodeCommand): Promise<AgentNode> {
    const id = cmd.id;
    const name = cmd.name ?? cmd.id;
    const target = cmd.grpc_target;
    if (!NODE_ID_RE.test(id)) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "id is required (letters, digits, '.', '_' or '-')",
      });
    }
    if (name.trim() === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "name must be a non-empty string" });
    }
    if (!TARGET_RE.test(target.replace(/^https?:\/\//, ""))) {
      throw new AppError("BAD_REQUEST", undefined, { message: 'grpc_target is required ("host:port")' });
    }
    const tlsName = orNull(cmd.tls_server_name);
    const root = orNull(cmd.default_worktree_root);
    if (id === MAIN_NODE_ID || this.repo.byIdOrName(id, name)) {
      throw new AppError("AGENT_NODE_EXISTS", { id, name });
    }
    const spec = { id, grpc_target: target.replace(/^https?:\/\//, ""), tls_server_name: tlsName };
    const client = this.o.connect(spec);
    const started = performance.now();
    try {
      await client.info(5_000);
    } catch (err) {
      client.close();
      throw new AppError("NODE_CONNECT_FAILED", {
        node_id: id,
        grpc_target: spec.grpc_target,
        cause: describeCause(err),
      });
    }
    const now = this.o.clock.now();
    const row: AgentNodeRow = {
      ...spec,
      name,
      default_worktree_root: root,
      status: "online",
      last_probe_at: now,
      last_ok_at: now,
      probe_latency_ms: Math.round((performance.now() - started) * 100) / 100,
      last_error: null,
      event_cursor: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      this.repo.insert(row);
    } catch (err) {
      client.close();
      // The id (primary key) or the name is taken; any other refusal is not "exists".
      if (isConstraintViolation(err, "unique", { table: "agent_nodes" }))
        throw new AppError("AGENT_NODE_EXISTS");
      throw err;
    }
    this.attach(id, client);
    this.o.logger.info(
      { component: "nodes", node_id: id, grpc_target: spec.grpc_target },
      "agent node registered",
    );
    return this.record(row);
  }

  async update(nodeId: string, cmd: UpdateNodeCommand): Promise<AgentNode> {
    const n = this.row(nodeId);
    if (nodeId === MAIN_NODE_ID) {
      throw new AppError("BAD_REQUEST", undefined, { message: "the built-in main node cannot be changed" });
    }
    const name = cmd.name ?? n.name;
    if (name.trim() === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "name must be a non-empty string" });
    }
    const other = this.repo.byIdOrName(name, name);
    if (other && other.id !== nodeId) throw new AppError("AGENT_NODE_EXISTS", { name });
    const target = cmd.grpc_target ?? n.grpc_target;
    if (target === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: 'grpc_target is required ("host:port")' });
    }
    const tlsName = cmd.tls_server_name === undefined ? n.tls_server_name : orNull(cmd.tls_server_name);
    const root =
      cmd.default_worktree_root === undefined ? n.default_worktree_root : orNull(cmd.default_worktree_root);
    const reconnect = target !== n.grpc_target || tlsName !== n.tls_server_name;
    if (reconnect) {
      const client = this.o.connect({ id: nodeId, grpc_target: target, tls_server_name: tlsName });
      try {
        await client.info(5_000);
      } catch (err) {
        client.close();
        throw new AppError("NODE_CONNECT_FAILED", {
          node_id: nodeId,
          grpc_target: target,
          cause: describeCause(err),
        });
      }
      this.detach(nodeId);
      this.attach(nodeId, client);
    }
    this.repo.update(
      nodeId,
      { name, grpc_target: target, tls_server_name: tlsName, default_worktree_root: root },
      this.o.clock.now(),
    );
    return this.get(nodeId);
  }

  delete(nodeId: string): void {
    this.row(nodeId);
    if (nodeId === MAIN_NODE_ID) {
      throw new AppError("BAD_REQUEST", undefined, { message: "the built-in main node cannot be deleted" });
    }
    const active = this.running(nodeId);
    if (active.length > 0) {
      throw new AppError(
        "AGENT_NODE_BUSY",
        { agents: active },
        { message: `agent node has active agents: ${active.join(", ")}; stop them first` },
      );
    }
    this.detach(nodeId);
    this.repo.delete(nodeId);
  }

  /** Probes one node now and records the outcome. */
  async probe(nodeId: string): Promise<NodeHealth> {
    const client = this.client(nodeId);
    const started = performance.now();
    const now = () => this.o.clock.now();
    let worktrees: WorktreeUsage | null = null;
    try {
      const sent = now();
      const info = await client.info(Math.max(1_000, this.o.probeIntervalMs));
      this.isolation.set(nodeId, info.isolation);
      worktrees = info.worktrees ?? null;
      // Against the middle of the round trip: the node answered somewhere within it.
      if (info.now_ms === undefined) this.clockSkew.delete(nodeId);
      else this.clockSkew.set(nodeId, Math.round(info.now_ms - (sent + now()) / 2));
      const latency = Math.round((performance.now() - started) * 100) / 100;
      // Answering probes is not enough while the event stream keeps failing: try it again now.
      const streamFailure = this.streamFailure.get(nodeId);
      if (streamFailure) this.ingestors.get(nodeId)?.retryNow();
      this.writeStatus(
        nodeId,
        {
          status: streamFailure ? "degraded" : "online",
          last_probe_at: now(),
          last_ok_at: now(),
          probe_latency_ms: latency,
          last_error: streamFailure ?? null,
        },
        now(),
      );
    } catch (err) {
      this.isolation.delete(nodeId);
      this.clockSkew.delete(nodeId);
      const n = this.row(nodeId);
      const offline = n.last_ok_at === null || now() - n.last_ok_at >= this.o.offlineGraceMs;
      this.writeStatus(
        nodeId,
        {
          status: offline ? "offline" : (n.status as NodeStatus),
          last_probe_at: now(),
          last_error: describeCause(err),
        },
        now(),
      );
      if (offline && n.status !== "offline") this.o.onNodeOffline?.(nodeId);
    }
    return {
      node: this.get(nodeId),
      isolation: this.isolationOf(nodeId),
      clock_skew_ms: this.clockSkew.get(nodeId) ?? null,
      worktrees,
    };
  }

  /** The sandbox a node's agents run in, as of its last successful probe; null when unknown (offline). */
  isolationOf(nodeId: string): AgentIsolation | null {
    return this.isolation.get(nodeId) ?? null;
  }

  private async probeAll(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await Promise.all([...this.clients.keys()].map((id) => this.probe(id).catch(() => undefined)));
    } finally {
      this.probing = false;
    }
  }

  stop(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    for (const id of [...this.clients.keys()]) this.detach(id);
  }
}

/** An optional text field: absent, null and "" all mean none. */
function orNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v === "" ? null : v;
}
