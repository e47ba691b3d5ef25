import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isLiveAgentState } from "../contracts/agent-states.js";
import type {
  ActorCredentials,
  AgentLaunch,
  AgentStarted,
  NodeEvent,
  NodeInfo,
  PermissionOutcome,
  WorktreeRemoval,
} from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import { type Clock, systemClock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { VERSION } from "../util/version.js";
import { ActorCredentialFiles } from "./actor-credential-files.js";
import { actorMcpServer, withMcpServer } from "./actor-mcp-server.js";
import { allowedDaemonEnv } from "./agent-env.js";
import { AgentExitedError } from "./agent-exit.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import { EventLog } from "./event-log.js";
import { LaunchResolver } from "./launch-resolver.js";
import type { ProviderConfig } from "./provider-presets.js";
import { type AgentSandbox, BwrapSandbox, type ResolvedIsolation } from "./sandbox.js";
import { requireSafeDirectory, resolveWorkdir } from "./workdir-policy.js";
import { WorkspaceError } from "./workspace-error.js";
import { WorktreeJanitor } from "./worktree-janitor.js";

/** `[worktree] retention_days`' default, for a runtime built without one. */
const DEFAULT_WORKTREE_RETENTION_MS = 7 * 86_400_000;

export type { ProviderConfig } from "./provider-presets.js";

export interface NodeRuntimeOptions {
  nodeId: string;
  dataDir: string;
  safePaths: readonly string[];
  worktreeRoot: string;
  providers: Readonly<Record<string, ProviderConfig>>;
  stopGraceMs?: number;
  /** The daemon's environment: agents get only its allow-listed part (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** `[agents] pass_env`: more daemon variables agents get (never AGENTHUB_*). */
  passEnv?: readonly string[];
  /** The isolation in force (resolveIsolation at daemon start); default none. */
  isolation?: ResolvedIsolation;
  /** Directories no agent may see: the daemon's data directory (AGENTHUB_HOME) and cert dir. */
  secretPaths?: readonly string[];
  /** The clock `info()` reports (the hub compares it with its own); default the system clock. */
  clock?: Clock;
  /** `[worktree] retention_days` in ms: how long a worktree stays after its agent stopped (default 7 days). */
  worktreeRetentionMs?: number;
  /** Where the worktree janitor logs what it removed and kept. */
  logger?: Logger;
}

/** This installation's `bin/` (holds `agenthub`), found from this module in src/ or dist/src/. */
function binDir(): string {
  const fromDist = fileURLToPath(new URL("../../../bin/", import.meta.url));
  return existsSync(join(fromDist, "agenthub.js"))
    ? fromDist
    : fileURLToPath(new URL("../../bin/", import.meta.url));
}

/**
 * The environment every agent starts from: the allow-listed part of the daemon's (never all of it),
 * with this installation's `agenthub` first on PATH and in AGENTHUB_BIN so `agenthub actor …` reaches
 * the same version as the node, installed globally or not. Provider, launch and actor variables follow.
 */
function agentBaseEnv(daemon: NodeJS.ProcessEnv, passEnv: readonly string[]): Record<string, string> {
  const dir = binDir();
  const base = allowedDaemonEnv(daemon, passEnv);
  return {
    ...base,
    AGENTHUB_BIN: join(dir, "agenthub.js"),
    PATH: `${dir}${base.PATH ? `:${base.PATH}` : ""}`,
  };
}

/** What agents must still reach when a hidden root covers it: this installation and node itself. */
function toolPaths(): string[] {
  return [dirname(binDir()), dirname(dirname(process.execPath))];
}

/** The scripted agent's entry in dist/ (also when this module runs from src/ under the test runner). */
export function scriptedAgentPath(): string {
  const here = fileURLToPath(new URL("./scripted-agent/main.js", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../dist/src/node/scripted-agent/main.js", import.meta.url));
}

/**
 * One node's runtime: the agent supervisor, its durable event log, and provider resolution. The
 * gRPC NodeService serves it for remote nodes; the hub calls it directly for its built-in `main` node.
 */
export class NodeRuntime {
  readonly events: EventLog;
  readonly supervisor: AgentSupervisor;
  /** The worktrees this node created: removal on request, retention sweeps, usage. */
  readonly worktrees: WorktreeJanitor;
  private readonly sandbox: AgentSandbox | undefined;
  /** Member agents' actor tokens as files the hub renews (in the data dir, hidden from other agents). */
  private readonly credentials: ActorCredentialFiles;
  /** Resolves launches to commands, environments and session settings (providers, presets). */
  private readonly launches: LaunchResolver;

  constructor(private readonly o: NodeRuntimeOptions) {
    this.events = new EventLog({ dir: join(o.dataDir, "events") });
    this.credentials = new ActorCredentialFiles(join(o.dataDir, "actor-credentials"));
    const daemonEnv = o.env ?? process.env;
    const baseEnv = agentBaseEnv(daemonEnv, o.passEnv ?? []);
    this.launches = new LaunchResolver({
      nodeId: o.nodeId,
      providers: o.providers,
      daemonEnv,
      baseEnv,
      scripted: () => ({ command: process.execPath, script: scriptedAgentPath() }),
    });
    const iso = o.isolation;
    this.sandbox =
      iso?.isolation === "bwrap" && iso.bwrapPath
        ? new BwrapSandbox({
            bwrapPath: iso.bwrapPath,
            secret: [o.dataDir, ...(o.secretPaths ?? [])],
            safePaths: o.safePaths,
            worktreeRoot: o.worktreeRoot,
            tools: toolPaths(),
          })
        : undefined;
    this.worktrees = new WorktreeJanitor({
      root: o.worktreeRoot,
      dataDir: o.dataDir,
      retentionMs: o.worktreeRetentionMs ?? DEFAULT_WORKTREE_RETENTION_MS,
      clock: o.clock ?? systemClock,
      logger: o.logger?.child({ component: "worktrees", node_id: o.nodeId }),
      inUse: () => this.worktreesInUse(),
    });
    this.supervisor = new AgentSupervisor({
      dataDir: o.dataDir,
      events: this.events,
      safePaths: o.safePaths,
      worktreeRoot: o.worktreeRoot,
      stopGraceMs: o.stopGraceMs,
      env: baseEnv,
      sandbox: this.sandbox,
      onAgentExit: (agentId) => this.credentials.remove(agentId),
      worktrees: this.worktrees,
    });
  }

  /** Kills agents a previous run of this node left behind, then sweeps worktrees (and keeps sweeping). */
  async start(): Promise<void> {
    await this.supervisor.reapLeftovers();
    this.credentials.clear();
    await this.worktrees.start();
  }

  /** The workdirs of live agents: their worktrees are never removed. */
  private worktreesInUse(): Set<string> {
    return new Set(
      this.supervisor
        .listAgents()
        .flatMap((a) => (isLiveAgentState(a.state) && a.workdir ? [a.workdir] : [])),
    );
  }

  /** Removes the worktrees created for `agentId` (see WorktreeJanitor.removeForAgent). */
  removeWorktrees(agentId: string, force: boolean): Promise<WorktreeRemoval[]> {
    return this.worktrees.removeForAgent(agentId, force);
  }

  info(): NodeInfo {
    return {
      node_id: this.o.nodeId,
      version: VERSION,
      hostname: hostname(),
      running_agents: this.supervisor.listAgents().filter((a) => isLiveAgentState(a.state)).length,
      safe_paths: [...this.o.safePaths],
      worktree_root: this.o.worktreeRoot,
      isolation: this.sandbox?.isolation ?? "none",
      now_ms: (this.o.clock ?? systemClock).now(),
      worktrees: this.worktrees.usage(),
    };
  }

  providerNames(): string[] {
    return this.launches.providerNames();
  }

  /** Checks the launch's workdir policy without starting anything. */
  async validate(l: AgentLaunch): Promise<void> {
    this.launches.resolve(l);
    await resolveWorkdir({
      worktreeMode: l.worktree_mode,
      workdir: l.workdir,
      safePaths: this.o.safePaths,
      worktreeRoot: this.o.worktreeRoot,
    });
    if (l.worktree_mode === "create_worktree" && !l.workdir) {
      if (!l.worktree_repo) throw new AppError("WORKDIR_REQUIRED");
      await requireSafeDirectory(l.worktree_repo, this.o.safePaths);
    }
  }

  async startAgent(l: AgentLaunch): Promise<AgentStarted> {
    const r = this.launches.resolve(l);
    // A running agent's files stay as they are (the supervisor refuses the second start).
    const creds = this.isLive(l.agent_id) ? undefined : this.credentials.prepare(l.agent_id, r.env);
    // A team member (it has actor credentials) of a provider with actor_mcp gets the actor MCP server.
    const settings =
      creds && r.actor_mcp
        ? withMcpServer(
            r.settings,
            actorMcpServer(creds.env, process.execPath, join(binDir(), "agenthub.js")),
          )
        : r.settings;
    const info = await this.supervisor
      .startAgent({
        agent_id: l.agent_id,
        name: l.name,
        provider: r.label,
        command: r.command,
        args: r.args,
        env: creds?.env ?? r.env,
        readOnlyPaths: creds ? [creds.dir] : [],
        settings,
        auth_hint: r.auth_hint,
        install_hint: r.install_hint,
        worktree_mode: l.worktree_mode,
        workdir: l.workdir,
        worktree_repo: l.worktree_repo,
        worktree_ref: l.worktree_ref,
        resume_session_id: l.resume_session_id,
      })
      .catch((err: unknown) => {
        if (creds) this.credentials.remove(l.agent_id);
        throw asAppError(err);
      });
    return { workdir: info.workdir ?? "", ...(info.session ? { session: info.session } : {}) };
  }

  private isLive(agentId: string): boolean {
    return this.supervisor.listAgents().some((a) => a.agent_id === agentId && isLiveAgentState(a.state));
  }

  /** Rewrites a running member agent's credential files with the ones the hub renewed. */
  renewActorCredentials(agentId: string, credentials: ActorCredentials): void {
    const agent = this.supervisor.getAgent(agentId);
    if (!isLiveAgentState(agent.state)) {
      throw new AppError(
        "CONFLICT",
        { agent_id: agentId, state: agent.state },
        { message: "agent is not running" },
      );
    }
    this.credentials.renew(agentId, credentials);
  }

  async stopAgent(agentId: string): Promise<void> {
    await this.supervisor.stopAgent(agentId);
  }

  sendInput(agentId: string, text: string, turnId: string): void {
    this.supervisor.sendInput(agentId, text, turnId);
  }

  /**
   * Cancels `turnId` (nothing happens when it is gone), or the running turn when omitted: then an
   * agent with no running turn answers NO_RUNNING_TURN.
   */
  async cancelTurn(agentId: string, turnId?: string): Promise<void> {
    const cancelled = await this.supervisor.cancelTurn(agentId, turnId);
    if (!cancelled && turnId === undefined) throw new AppError("NO_RUNNING_TURN", { agent_id: agentId });
  }

  respondPermission(agentId: string, requestId: string, outcome: PermissionOutcome): void {
    this.supervisor.respondPermission(agentId, requestId, outcome);
  }

  /** Events after `afterSeq`, replayed then live. Returns an unsubscribe function. */
  watch(afterSeq: number, onEvent: (e: NodeEvent, bytes: number) => void): () => void {
    return this.events.subscribe(afterSeq + 1, (e, bytes) =>
      onEvent(
        {
          seq: e.seq,
          agent_id: e.agent_id,
          agent_seq: e.agent_seq,
          kind: e.kind,
          at_ms: Date.parse(e.ts),
          data: (e.data ?? {}) as Record<string, unknown>,
        },
        bytes,
      ),
    );
  }

  ack(upToSeq: number): void {
    this.events.ackUpTo(upToSeq);
  }

  async shutdown(): Promise<void> {
    await this.supervisor.shutdown();
    await this.worktrees.stop();
    this.events.close();
  }
}

/** Start failures cross the wire (gRPC) and reach REST as registry errors that keep git's or the agent's words. */
function asAppError(err: unknown): unknown {
  if (err instanceof WorkspaceError) {
    return new AppError("WORKSPACE_ERROR", { git: err.gitText }, { message: err.message });
  }
  if (err instanceof AgentExitedError) {
    return new AppError(
      "AGENT_EXITED",
      { code: err.exit.code, signal: err.exit.signal, stderr_tail: err.exit.stderr_tail },
      { message: err.message },
    );
  }
  return err;
}
