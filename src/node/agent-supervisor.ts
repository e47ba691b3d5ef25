import type { SessionSettings } from "../domain/agent.js";
import { AppError } from "../errors/registry.js";
import { AcpSession, type PendingPermission, type PermissionAnswer } from "./acp-session.js";
import type { EventLog } from "./event-log.js";
import { commandExists } from "./find-command.js";
import { type AgentInfo, ManagedAgent } from "./managed-agent.js";
import { AGENT_MARKER_ENV, Pidfiles, type ReapResult } from "./pidfiles.js";
import type { AgentSandbox, WrappedCommand } from "./sandbox.js";
import { requireSafeDirectory, resolveWorkdir, type WorktreeMode } from "./workdir-policy.js";
import { createWorktree, type Worktree } from "./worktree.js";
import type { WorktreeJanitor } from "./worktree-janitor.js";

export type { AgentInfo, AgentState } from "./managed-agent.js";

export interface AgentSpec {
  agent_id: string;
  /** Used for the worktree path/branch; defaults to agent_id. */
  name?: string | undefined;
  /** The provider (or explicit command) errors name; default the command. */
  provider?: string | undefined;
  command: string;
  args?: readonly string[] | undefined;
  env?: Record<string, string> | undefined;
  worktree_mode: WorktreeMode;
  workdir?: string | undefined;
  worktree_repo?: string | undefined;
  worktree_ref?: string | undefined;
  /** Paths the agent reads but may not write (its actor credential folder): mapped into its sandbox. */
  readOnlyPaths?: readonly string[] | undefined;
  /** Mode, model and config options set after session/new; MCP servers given to it. */
  settings?: SessionSettings | undefined;
  /** What to set when the agent asks for credentials. */
  auth_hint?: string | undefined;
  /** How to get the command when it is missing. */
  install_hint?: string | undefined;
  /** The agent's earlier ACP session to restore (`session/load`) when the agent can. */
  resume_session_id?: string | undefined;
}

export interface SupervisorOptions {
  /** Node data dir (pidfiles live in `<dataDir>/agents`). */
  dataDir: string;
  events: EventLog;
  safePaths: readonly string[];
  worktreeRoot: string;
  /** SIGTERM -> SIGKILL grace on stop (default 5 s). */
  stopGraceMs?: number | undefined;
  /** initialize + session/new deadline (default 30 s). */
  startTimeoutMs?: number | undefined;
  /** Base environment of agent processes, already allow-listed (the daemon's is never inherited). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Wraps each agent command in a sandbox; without it agents run unisolated. */
  sandbox?: AgentSandbox | undefined;
  /** Called once an agent's process has exited (whatever the reason). */
  onAgentExit?: ((agentId: string) => void) | undefined;
  /** Told of each worktree created for an agent, and when that agent stops (WorktreeJanitor). */
  worktrees?: Pick<WorktreeJanitor, "track" | "release"> | undefined;
}

/** Runs the agents of one node and records everything they do in the node's event log. */
export class AgentSupervisor {
  private readonly agents = new Map<string, ManagedAgent>();
  private readonly pidfiles: Pidfiles;

  constructor(private readonly opts: SupervisorOptions) {
    this.pidfiles = new Pidfiles(opts.dataDir);
  }

  /**
   * Kills process groups a previous run of this node left behind and records each such agent as
   * stopped. Call once at startup, before starting agents.
   */
  async reapLeftovers(): Promise<ReapResult[]> {
    const reaped = await this.pidfiles.reap(this.opts.stopGraceMs ?? 2000);
    for (const r of reaped) {
      const message = r.killed
        ? `node restarted; killed leftover agent process group ${r.pgid}`
        : "node restarted; agent process was no longer running";
      this.opts.events.append(r.agent_id, "agent_exited", {
        code: null,
        signal: null,
        stderr_tail: [],
        message,
        // No turn_ended follows for a turn the dead process had: the hub fails such steps itself.
        reaped: true,
      });
      this.opts.events.append(r.agent_id, "status", { state: "stopped", message });
    }
    return reaped;
  }

  /**
   * Prepares the workdir (policy or a new worktree), spawns the agent and waits for its ACP session.
   * Throws AppError (policy), WorkspaceError (git) or AgentExitedError (the agent died/timed out);
   * each failure is also recorded as events.
   */
  async startAgent(spec: AgentSpec): Promise<AgentInfo> {
    const existing = this.agents.get(spec.agent_id);
    if (existing?.live) throw new AppError("AGENT_ALREADY_RUNNING", { agent_id: spec.agent_id });
    const agent = new ManagedAgent(spec.agent_id, (kind, data) =>
      this.opts.events.append(spec.agent_id, kind, data),
    );
    this.agents.set(spec.agent_id, agent);
    agent.setState("starting", { command: spec.command, args: spec.args ?? [] });
    let run: WrappedCommand;
    const env: NodeJS.ProcessEnv = { ...this.opts.env, ...spec.env, [AGENT_MARKER_ENV]: spec.agent_id };
    try {
      const prepared = await this.prepareWorkdir(spec);
      if (!(await commandExists(spec.command, env.PATH, prepared.workdir))) {
        throw new AppError("AGENT_COMMAND_NOT_FOUND", {
          provider: spec.provider ?? spec.command,
          command: spec.command,
          hint: spec.install_hint ?? "check the agent's command",
        });
      }
      agent.workdir = prepared.workdir;
      agent.worktree = prepared.worktree;
      const args = [...(spec.args ?? [])];
      run = this.opts.sandbox
        ? await this.opts.sandbox.wrap({
            command: spec.command,
            args,
            workdir: prepared.workdir,
            freshWorktree: prepared.worktree !== undefined,
            readOnly: spec.readOnlyPaths,
          })
        : { command: spec.command, args };
    } catch (err) {
      if (agent.worktree) this.opts.worktrees?.release(agent.worktree.path);
      const code = (err as { code?: unknown }).code;
      agent.setState("failed", {
        error: { code: typeof code === "string" ? code : "INTERNAL", message: String(err) },
      });
      throw err;
    }
    if (agent.stopping) {
      if (agent.worktree) this.opts.worktrees?.release(agent.worktree.path);
      throw new AppError("CONFLICT", { agent_id: spec.agent_id }, { message: "agent was stopped" });
    }
    const workdir = agent.workdir;
    agent.session = AcpSession.spawn({
      command: run.command,
      args: run.args,
      explainExit: run.explainExit,
      cwd: workdir,
      env,
      startTimeoutMs: this.opts.startTimeoutMs,
      provider: spec.provider,
      authHint: spec.auth_hint,
      settings: spec.settings,
      resumeSessionId: spec.resume_session_id,
      onEvent: (e) => {
        agent.onSessionEvent(e);
        if (e.type === "exit") {
          this.pidfiles.remove(spec.agent_id);
          this.opts.onAgentExit?.(spec.agent_id);
          if (agent.worktree) this.opts.worktrees?.release(agent.worktree.path);
        }
      },
      onSpawn: (pid) =>
        this.pidfiles.write({
          agent_id: spec.agent_id,
          pid,
          pgid: pid,
          command: spec.command,
          started_at: new Date().toISOString(),
        }),
    });
    await agent.session.ready;
    agent.markReady();
    return agent.info();
  }

  /** Queues a prompt turn (one runs at a time). A repeated turn id is not run twice. */
  sendInput(agentId: string, text: string, turnId: string): { turn_id: string; duplicate: boolean } {
    return this.get(agentId).enqueue(turnId, text);
  }

  /** Cancels a queued turn or the running one (any running one when turnId is omitted). */
  cancelTurn(agentId: string, turnId?: string): Promise<boolean> {
    return this.get(agentId).cancelTurn(turnId);
  }

  respondPermission(
    agentId: string,
    requestId: string,
    answer: PermissionAnswer,
    meta?: { [key: string]: unknown },
  ): void {
    this.get(agentId).respondPermission(requestId, answer, meta);
  }

  pendingPermissions(agentId: string): PendingPermission[] {
    return this.get(agentId).session?.pendingPermissions() ?? [];
  }

  /** Cancel, SIGTERM the process group, SIGKILL after the grace; resolves when nothing is left. */
  async stopAgent(agentId: string, graceMs = this.opts.stopGraceMs ?? 5000): Promise<AgentInfo> {
    const agent = this.get(agentId);
    if (agent.live) {
      agent.stopping = true;
      if (agent.session) await agent.session.stop(graceMs);
      else agent.setState("stopped", { message: "stopped before start" });
    }
    return agent.info();
  }

  /** Stops (if needed) and forgets an agent. */
  async removeAgent(agentId: string): Promise<void> {
    await this.stopAgent(agentId);
    this.agents.delete(agentId);
  }

  getAgent(agentId: string): AgentInfo {
    return this.get(agentId).info();
  }

  listAgents(): AgentInfo[] {
    return [...this.agents.values()].map((a) => a.info());
  }

  /** Stops every live agent and flushes the event log. */
  async shutdown(graceMs?: number): Promise<void> {
    const live = [...this.agents.values()].filter((a) => a.live);
    await Promise.all(live.map((a) => this.stopAgent(a.agentId, graceMs)));
    this.opts.events.flush();
  }

  private get(agentId: string): ManagedAgent {
    const agent = this.agents.get(agentId);
    if (!agent) throw new AppError("AGENT_NOT_FOUND", { agent_id: agentId });
    return agent;
  }

  private async prepareWorkdir(spec: AgentSpec): Promise<{ workdir: string; worktree?: Worktree }> {
    const { safePaths, worktreeRoot } = this.opts;
    const workdir = await resolveWorkdir({
      worktreeMode: spec.worktree_mode,
      workdir: spec.workdir,
      safePaths,
      worktreeRoot,
    });
    if (workdir !== undefined) return { workdir };
    if (!spec.worktree_repo?.trim())
      throw new AppError("WORKDIR_REQUIRED", { worktree_mode: spec.worktree_mode });
    const worktree = await createWorktree({
      repo: spec.worktree_repo,
      ref: spec.worktree_ref,
      root: worktreeRoot,
      name: spec.name ?? spec.agent_id,
      checkRepo: (repo) => requireSafeDirectory(repo, safePaths),
    });
    this.opts.worktrees?.track(worktree, spec.agent_id);
    return { workdir: worktree.path, worktree };
  }
}
