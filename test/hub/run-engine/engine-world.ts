import { join } from "node:path";
import type {
  AgentLaunch,
  EventWatch,
  NodeClient,
  NodeEvent,
  NodeInfo,
  WorktreeRemoval,
} from "../../../src/contracts/node-client.js";
import { AppError } from "../../../src/errors/registry.js";
import { AgentEventBus, type StoredAgentEvent } from "../../../src/hub/agent-event-bus.js";
import { AgentService } from "../../../src/hub/agent-service.js";
import { AuthService, type Principal } from "../../../src/hub/auth-service.js";
import { HubServices } from "../../../src/hub/hub-services.js";
import { NodeRegistry } from "../../../src/hub/node-registry.js";
import { ReviewService } from "../../../src/hub/review-service.js";
import { TeamRuntime } from "../../../src/hub/team-runtime.js";
import { openDatabase } from "../../../src/store/database.js";
import type { Run } from "../../../src/store/runs-repo.js";
import type { Team } from "../../../src/store/teams-repo.js";
import { UsersRepo } from "../../../src/store/users-repo.js";
import { createLogger } from "../../../src/util/logger.js";
import { FakeClock } from "../../helpers/hub-harness.js";
import { tempDir } from "../../helpers/temp-dir.js";

export interface SentInput {
  agentId: string;
  text: string;
  turnId: string;
}

/**
 * A node client that runs nothing: it records what the hub asks (agents started, prompt turns sent,
 * turns cancelled) and streams the agent events a test makes up (`emit`), like a node would.
 */
export class FakeNode implements NodeClient {
  readonly launches: AgentLaunch[] = [];
  readonly inputs: SentInput[] = [];
  readonly cancels: { agentId: string; turnId: string | undefined }[] = [];
  /** Makes `startAgent` fail for the launches it returns an error for. */
  refuseStart: (launch: AgentLaunch) => Error | undefined = () => undefined;
  /** Makes `sendInput` fail for the turns it returns an error for. */
  refuseInput: (turnId: string) => Error | undefined = () => undefined;
  private watcher: Parameters<NodeClient["watchEvents"]>[1] | undefined;
  private seq = 0;
  private readonly agentSeq = new Map<string, number>();
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  async info(): Promise<NodeInfo> {
    return {
      node_id: "main",
      version: "test",
      hostname: "fake",
      running_agents: 0,
      safe_paths: [],
      worktree_root: "",
      isolation: "none",
    };
  }

  async validateLaunch(): Promise<void> {}

  async startAgent(launch: AgentLaunch): Promise<{ workdir: string }> {
    const refused = this.refuseStart(launch);
    if (refused) throw refused;
    this.launches.push(launch);
    return { workdir: launch.workdir ?? "/work" };
  }

  async stopAgent(): Promise<void> {}

  async sendInput(agentId: string, text: string, turnId: string): Promise<void> {
    const refused = this.refuseInput(turnId);
    if (refused) throw refused;
    this.inputs.push({ agentId, text, turnId });
    for (const w of [...this.waiters]) {
      if (this.inputs.length >= w.n) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async cancelTurn(agentId: string, turnId?: string): Promise<void> {
    this.cancels.push({ agentId, turnId });
  }

  async respondPermission(): Promise<void> {}

  watchEvents(_fromSeq: number, handlers: Parameters<NodeClient["watchEvents"]>[1]): EventWatch {
    this.watcher = handlers;
    return { cancel: () => (this.watcher = undefined) };
  }

  async ackEvents(): Promise<void> {}

  async renewActorCredentials(): Promise<void> {}
  async removeWorktrees(): Promise<WorktreeRemoval[]> {
    return [];
  }

  close(): void {}

  /** Resolves once `n` prompt turns were sent in all. */
  async waitInputs(n: number): Promise<SentInput[]> {
    if (this.inputs.length < n) await new Promise<void>((resolve) => this.waiters.push({ n, resolve }));
    return this.inputs;
  }

  /** Streams one event of `agentId` to the hub, as the node would record it. */
  emit(agentId: string, kind: string, data: Record<string, unknown>): NodeEvent {
    if (!this.watcher) throw new Error("the hub does not watch this node's events");
    const agentSeq = (this.agentSeq.get(agentId) ?? 0) + 1;
    this.agentSeq.set(agentId, agentSeq);
    const e: NodeEvent = {
      seq: ++this.seq,
      agent_id: agentId,
      agent_seq: agentSeq,
      kind,
      at_ms: Date.now(),
      data,
    };
    this.watcher.onEvent(e);
    return e;
  }
}

export const unreachable = () =>
  new AppError("NODE_UNREACHABLE", undefined, { message: "connection refused" });

/**
 * The hub's services over a temp SQLite database, with the built-in node `main` played by a FakeNode
 * and a frozen FakeClock. Agent events the fake node emits go through the real ingestion (stored,
 * parsed once, applied to agents) and then to `onEvents`, which a test points at the part it drives.
 */
export function openEngineWorld() {
  const dir = tempDir("agenthub-engine-");
  const db = openDatabase(join(dir.path, "hub.db"));
  const clock = new FakeClock();
  const logger = createLogger({ level: "silent", format: "json" });
  const node = new FakeNode();
  const services = new HubServices(db, clock, new AuthService(db, clock, 3_600_000), {
    logger,
    publicUrl: () => "http://127.0.0.1:0",
    allowPrivateTargets: false,
    retentionMs: 86_400_000,
  });
  const bus = new AgentEventBus();
  /** Where stored agent events (after the agents' own bookkeeping) and lost nodes are reported. */
  const hooks = {
    onEvents: (_events: StoredAgentEvent[]) => {},
    onNodeOffline: (_nodeId: string) => {},
  };
  const nodes = new NodeRegistry({
    db,
    clock,
    logger,
    bus,
    mainClient: node,
    connect: () => {
      throw new Error("no remote nodes here");
    },
    probeIntervalMs: 3_600_000,
    offlineGraceMs: 3_600_000,
    onEvents: (events) => {
      agents.applyEvents(events);
      hooks.onEvents(events);
    },
    onNodeOffline: (nodeId) => hooks.onNodeOffline(nodeId),
  });
  const agents = new AgentService(db, clock, nodes, logger);
  const runtime = new TeamRuntime({ services, agents, nodes, actorEnv: async () => ({}), clock, logger });
  const reviews = new ReviewService(services, agents, nodes, clock, logger, 60_000);
  nodes.start();
  const now = clock.now();
  new UsersRepo(db).insert({
    id: "usr_root",
    username: "root",
    password_hash: "-",
    is_root: 1,
    created_at: now,
  });
  const root: Principal = { user_id: "usr_root", username: "root", is_root: true };

  return {
    db,
    clock,
    logger,
    node,
    bus,
    services,
    hooks,
    nodes,
    agents,
    runtime,
    reviews,
    root,

    /** A team whose members (the first one leads) run on `main`, with `steps`. */
    async team(
      members: string[],
      steps: {
        step_key: string;
        member_id: string;
        prompt?: string;
        depends_on?: string[];
        timeout_seconds?: number;
      }[],
    ): Promise<Team> {
      return services.teams.create(root, {
        name: `team-${members.join("-")}-${steps.length}`,
        spec: {
          spec_version: 1,
          leader_member_id: members[0],
          members: members.map((m, i) => ({
            member_id: m,
            role: i === 0 ? "leader" : "worker",
            description: m,
            skills: [],
            agent: {
              provider: "scripted",
              node_id: "main",
              worktree_mode: "use_existing",
              workdir: `/w/${m}`,
            },
          })),
          steps: steps.map((s) => ({ prompt: `do ${s.step_key}`, ...s })),
          permissions: { route: "to_leader" },
        },
      });
    },

    /** Starts the team's runtime (one agent per member on the fake node). */
    async start(team: Team): Promise<Team> {
      await runtime.start(root, team.id);
      return services.teams.repo.get(team.id)!;
    },

    run(team: Team, input: unknown = { goal: "test" }): Run {
      return services.runs.create(root, team.id, { input }).run;
    },

    agentOf(team: Team, memberId: string): string {
      const a = runtime.memberAgent(team.id, memberId);
      if (!a) throw new Error(`member ${memberId} has no agent`);
      return a.id;
    },

    step(runId: string, stepKey: string) {
      const s = services.runs.runs.step(runId, stepKey);
      if (!s) throw new Error(`no step ${stepKey}`);
      return s;
    },

    runEvents(runId: string) {
      return services.runs.events.page(runId, 0, 1000);
    },

    /**
     * Emits an agent event on the fake node and resolves once the hub stored it and applied it
     * (the bus publishes an event after its effects committed).
     */
    deliver(agentId: string, kind: string, data: Record<string, unknown>): Promise<StoredAgentEvent> {
      return new Promise((resolve) => {
        let seq = -1;
        const on = (e: StoredAgentEvent) => {
          if (e.agent_id !== agentId || e.seq !== seq) return;
          bus.off("event", on);
          resolve(e);
        };
        bus.on("event", on);
        seq = node.emit(agentId, kind, data).agent_seq;
      });
    },

    close(): void {
      reviews.stop();
      nodes.stop();
      db.close();
      dir.cleanup();
    },
  };
}

export type EngineWorld = ReturnType<typeof openEngineWorld>;
