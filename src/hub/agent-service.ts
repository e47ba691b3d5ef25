import { EventEmitter } from "node:events";
import { isFinishedAgentState, isLiveAgentState } from "../contracts/agent-states.js";
import type { AgentLaunch, PermissionOutcome } from "../contracts/node-client.js";
import type { AgentSpec, PermissionStatus, SessionSettings } from "../domain/agent.js";
import { assertWorktreeRef } from "../domain/git-ref.js";
import { pageSize } from "../domain/paging.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { parseTurnId } from "../domain/turn-id.js";
import type { TurnUsage, UsageTotals } from "../domain/turn-usage.js";
import { AppError, isAppError } from "../errors/registry.js";
import { type Agent, type AgentEvent, AgentsRepo } from "../store/agents-repo.js";
import type { Database } from "../store/database.js";
import { type PermissionRequest, PermissionRequestsRepo } from "../store/permission-requests-repo.js";
import { UsageRepo } from "../store/usage-repo.js";
import { UsersRepo } from "../store/users-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import type { Logger } from "../util/logger.js";
import type { StoredAgentEvent } from "./agent-event-bus.js";
import type { Principal } from "./auth-service.js";
import { refuseEnvPlaceholder } from "./env-view.js";
import { MAIN_NODE_ID, type NodeRegistry } from "./node-registry.js";

export {
  AGENT_STATUSES,
  type AgentSpec,
  type AgentStatus,
  PERMISSION_STATUSES,
  type PermissionOption,
  type PermissionStatus,
} from "../domain/agent.js";
export type { Agent, AgentEvent } from "../store/agents-repo.js";
export type { PermissionRequest } from "../store/permission-requests-repo.js";

/**
 * An agent definition as a caller gives it (a REST body, a team member's `agent`): empty strings read
 * as absent, `worktree_mode` defaults to `use_existing`. {@link agentSpecOf} turns it into the stored spec.
 */
export interface AgentDefinition extends SessionSettings {
  provider?: string | undefined;
  command?: string | undefined;
  args?: readonly string[] | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  worktree_mode?: "use_existing" | "create_worktree" | undefined;
  workdir?: string | undefined;
  worktree_repo?: string | undefined;
  worktree_ref?: string | undefined;
}

/** Defines an agent: its name, the node it runs on (default `main`) and what it runs. */
export interface CreateAgentCommand extends AgentDefinition {
  name: string;
  node_id?: string | undefined;
}

/**
 * Whose agent it is: a user's own (`owner_id` is the caller), or a team member's (owned by the team's
 * owner and linked to the member).
 */
export interface AgentOwnership {
  owner_id: string;
  team_id?: string | undefined;
  member_id?: string | undefined;
}

/** A page of an agent's events; `next_seq` continues it (null on the last page). */
export interface AgentEventPage {
  events: AgentEvent[];
  next_seq: number | null;
}

/** One prompt turn queued on an agent. */
export interface QueuedTurn {
  agent_id: string;
  turn_id: string;
}

/** A cancel asked of an agent: the turn named, or null for whichever ran. */
export interface CanceledTurn {
  agent_id: string;
  turn_id: string | null;
  cancelled: true;
}

/**
 * An answer to a permission request: one of the options the agent offered, or `outcome: "cancelled"`.
 * Fields are checked by {@link parseOutcome} whichever edge the answer came from.
 */
export interface PermissionAnswer {
  readonly option_id?: unknown;
  readonly outcome?: unknown;
}

/** The request after an answer; `already_resolved` when it had been decided before (nothing changed). */
export interface PermissionDecision {
  request: PermissionRequest;
  already_resolved: boolean;
}

const given = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

/**
 * The stored spec of an agent definition (shape rules only; paths are checked on the node). The key
 * order is fixed: a member's stored spec is compared with a fresh one as JSON.
 */
export function agentSpecOf(d: AgentDefinition): AgentSpec {
  const mode = d.worktree_mode ?? "use_existing";
  if (mode !== "use_existing" && mode !== "create_worktree") {
    throw new AppError("BAD_REQUEST", undefined, {
      message: "worktree_mode must be one of: use_existing, create_worktree",
    });
  }
  const provider = given(d.provider);
  const command = given(d.command);
  if (!provider && !command) {
    throw new AppError("BAD_REQUEST", undefined, { message: "provider or command is required" });
  }
  refuseEnvPlaceholder(d.env);
  for (const [i, m] of (d.mcp_servers ?? []).entries()) refuseEnvPlaceholder(m.env, `mcp_servers[${i}].env`);
  const spec: AgentSpec = {
    provider,
    command,
    args: [...(d.args ?? [])],
    env: { ...(d.env ?? {}) },
    worktree_mode: mode,
    workdir: given(d.workdir),
    worktree_repo: given(d.worktree_repo),
    worktree_ref: given(d.worktree_ref),
    // Session settings only when given: a spec stored before they existed compares equal.
    mode: given(d.mode),
    model: given(d.model),
    config_options:
      d.config_options && Object.keys(d.config_options).length > 0 ? { ...d.config_options } : undefined,
    mcp_servers:
      d.mcp_servers && d.mcp_servers.length > 0
        ? d.mcp_servers.map((m) => ({
            name: m.name,
            command: m.command,
            args: [...m.args],
            env: { ...m.env },
          }))
        : undefined,
  };
  assertWorktreeRef(spec.worktree_ref);
  if (mode === "use_existing" && !spec.workdir) throw new AppError("WORKDIR_REQUIRED");
  if (mode === "create_worktree" && !spec.worktree_repo && !spec.workdir)
    throw new AppError("WORKDIR_REQUIRED");
  return spec;
}

/**
 * Agents: definitions in the hub, processes on nodes. Status follows the node's events; the hub never
 * guesses a process is alive.
 */
export class AgentService {
  readonly repo: AgentsRepo;
  readonly permissions: PermissionRequestsRepo;
  /** Turns' tokens and costs, recorded as the node reports each turn's end. */
  readonly usage: UsageRepo;
  /** Tells (after its events are stored) when an agent's process ended. */
  readonly lifecycle = new EventEmitter<{ ended: [agentId: string] }>();
  private readonly users: UsersRepo;

  constructor(
    readonly db: Database,
    private readonly clock: Clock,
    private readonly nodes: NodeRegistry,
    private readonly logger: Logger,
  ) {
    this.repo = new AgentsRepo(db);
    this.permissions = new PermissionRequestsRepo(db);
    this.usage = new UsageRepo(db);
    this.users = new UsersRepo(db);
  }

  /** The agent when `p` may see it (root, or its owner); `null` is the hub itself. */
  row(p: Principal | null, id: string): Agent {
    const a = this.repo.byId(id);
    if (!a || (p && !p.is_root && a.owner_id !== p.user_id)) throw new AppError("AGENT_NOT_FOUND");
    return a;
  }

  launchOf(a: Agent, extraEnv: Record<string, string> = {}): AgentLaunch {
    const { spec } = a;
    const node = this.nodes.row(a.node_id);
    // (default_worktree_root is informational: the node's own [worktree] default_root decides.)
    return {
      agent_id: a.id,
      name: a.name,
      provider: spec.provider,
      command: spec.command,
      args: spec.args,
      env: { ...(spec.env ?? {}), ...extraEnv },
      worktree_mode: spec.worktree_mode,
      workdir: spec.workdir,
      worktree_repo: spec.worktree_repo,
      worktree_ref: spec.worktree_ref,
      worktree_root: node.default_worktree_root ?? undefined,
      mode: spec.mode,
      model: spec.model,
      config_options: spec.config_options,
      mcp_servers: spec.mcp_servers,
      // The session its previous process had: restored when the agent can load sessions.
      resume_session_id: a.acp_session_id ?? undefined,
    };
  }

  /**
   * Defines an agent for `owner` (a user's own, or a team member's). The node that will run it checks
   * its provider and paths first; nothing is stored when anything is refused.
   */
  async create(owner: AgentOwnership, cmd: CreateAgentCommand): Promise<Agent> {
    const name = cmd.name.trim();
    if (name === "") throw new AppError("BAD_REQUEST", undefined, { message: "name is required" });
    const nodeId = given(cmd.node_id) ?? MAIN_NODE_ID;
    if (!this.nodes.has(nodeId)) throw new AppError("AGENT_NODE_NOT_FOUND", { node_id: nodeId });
    const spec = agentSpecOf(cmd);
    await this.assertCommandAllowed(owner.owner_id, nodeId, spec);
    const now = this.clock.now();
    const agent: Agent = {
      id: newId("agt"),
      owner_id: owner.owner_id,
      name,
      node_id: nodeId,
      spec,
      status: "created",
      workdir: null,
      team_id: owner.team_id ?? null,
      member_id: owner.member_id ?? null,
      last_error: null,
      last_event_seq: 0,
      session: null,
      acp_session_id: null,
      created_at: now,
      updated_at: now,
    };
    // The node that will run the agent enforces its own safe paths; ask it before saving anything.
    await this.nodes.client(nodeId).validateLaunch(this.launchOf(agent));
    this.repo.insert(agent);
    return agent;
  }

  /**
   * Without isolation an agent's own `command` runs with everything the daemon's user can reach (its
   * data dir, other agents' workspaces), so on such a node only root may define one; other users use
   * the providers root configured. The owner decides (a team member's agent is its team owner's).
   */
  async assertCommandAllowed(
    ownerId: string,
    nodeId: string,
    spec: { command?: string | undefined },
    field = "command",
  ) {
    if (!spec.command || this.users.byId(ownerId)?.is_root === 1) return;
    const info = await this.nodes.client(nodeId).info(5_000);
    // Anything but a sandbox the node reports (an older node reports nothing) counts as none.
    if (info.isolation === "bwrap") return;
    throw new AppError(
      "FORBIDDEN",
      { node_id: nodeId, isolation: "none", field },
      {
        message: `${field}: node "${nodeId}" runs agents without isolation ([agents] isolation = "none", or bubblewrap is unavailable), so only root may give an agent its own command; use a provider root configured (provider: "NAME") instead`,
      },
    );
  }

  /**
   * A team spec's members with their own `command`, checked like an agent's at creation. A node that
   * cannot be asked now is skipped: the check runs again when the member's agent is created and started.
   */
  async assertTeamCommandsAllowed(ownerId: string, spec: TeamSpec): Promise<void> {
    for (const [i, m] of spec.members.entries()) {
      if (!m.agent?.command) continue;
      const nodeId = m.agent.node_id ?? MAIN_NODE_ID;
      if (!this.nodes.has(nodeId)) continue;
      try {
        await this.assertCommandAllowed(ownerId, nodeId, m.agent, `spec.members[${i}].agent.command`);
      } catch (err) {
        if (isAppError(err) && err.code === "FORBIDDEN") throw err;
      }
    }
  }

  /** The agents `p` may see: root all, others their own. */
  list(p: Principal): Agent[] {
    return this.repo.list(p.is_root ? null : p.user_id);
  }

  get(p: Principal, id: string): Agent {
    return this.row(p, id);
  }

  /** What the agent's turns used (all of them, in runs or not). */
  usageOf(a: Agent): UsageTotals {
    return this.usage.byAgent(a.id);
  }

  /**
   * Starts the agent's process on its node. The ACP session its previous process had (if any) is asked
   * to be restored: the node loads it when the agent can, or reports a new session with the context lost.
   */
  async start(p: Principal | null, id: string, extraEnv: Record<string, string> = {}): Promise<Agent> {
    const a = this.row(p, id);
    if (isLiveAgentState(a.status)) throw new AppError("AGENT_ALREADY_RUNNING", { status: a.status });
    // Checked again at start: the node's isolation may have changed since the agent was created.
    await this.assertCommandAllowed(a.owner_id, a.node_id, a.spec);
    this.repo.update(id, { status: "starting", last_error: null }, this.clock.now());
    // A new process offers anew: what the last one offered is not shown as this one's.
    this.repo.setSession(id, null, this.clock.now());
    try {
      const started = await this.nodes.client(a.node_id).startAgent(this.launchOf(a, extraEnv));
      this.repo.update(id, { workdir: started.workdir }, this.clock.now());
      // The node's events report it too (and keep it current); the answer is as new as the last of them
      // (no turn has run yet), so it is written as is: the start's answer shows the session set up.
      if (started.session) this.repo.setSession(id, started.session, this.clock.now());
    } catch (err) {
      const msg = (err as Error).message;
      this.repo.update(id, { status: "failed", last_error: msg }, this.clock.now());
      throw err;
    }
    return this.repo.byId(id)!;
  }

  async stop(p: Principal | null, id: string): Promise<Agent> {
    const a = this.row(p, id);
    if (isLiveAgentState(a.status)) {
      await this.nodes.client(a.node_id).stopAgent(id);
      // The node's events confirm; until then the agent is stopping.
      const now = this.repo.byId(id)!;
      if (isLiveAgentState(now.status)) this.repo.update(id, { status: "stopped" }, this.clock.now());
    }
    return this.repo.byId(id)!;
  }

  /** Queues one prompt turn (`turnId` makes a retry a no-op; a fresh one is made when absent). */
  async input(p: Principal | null, id: string, text: string, turnId?: string): Promise<QueuedTurn> {
    const a = this.row(p, id);
    if (text.length === 0) {
      throw new AppError("BAD_REQUEST", undefined, { message: "text is required" });
    }
    if (!isLiveAgentState(a.status)) {
      throw new AppError(
        "CONFLICT",
        { status: a.status },
        { message: `agent is not running (status ${a.status}); start it first` },
      );
    }
    const tid = given(turnId) ?? newId("turn");
    await this.nodes.client(a.node_id).sendInput(id, text, tid);
    return { agent_id: id, turn_id: tid };
  }

  /**
   * Cancels `turnId` (queued or running) or, without one, whichever turn runs now (ACP session/cancel);
   * the agent stays up. NO_RUNNING_TURN when the agent is not running or (from the node) runs no turn.
   */
  async cancelTurn(p: Principal | null, id: string, turnId?: string): Promise<CanceledTurn> {
    const a = this.row(p, id);
    if (!isLiveAgentState(a.status)) {
      throw new AppError(
        "NO_RUNNING_TURN",
        { status: a.status },
        { message: `agent has no running turn (status ${a.status})` },
      );
    }
    const tid = given(turnId);
    await this.nodes.client(a.node_id).cancelTurn(id, tid);
    return { agent_id: id, turn_id: tid ?? null, cancelled: true };
  }

  async delete(p: Principal, id: string): Promise<void> {
    const a = this.row(p, id);
    if (isLiveAgentState(a.status)) await this.nodes.client(a.node_id).stopAgent(id);
    this.repo.delete(id);
  }

  /** Events after seq `after` (default 0), `limit` at a time (domain/paging's default and bounds). */
  events(
    p: Principal,
    id: string,
    page: { after?: number | undefined; limit?: number | undefined },
  ): AgentEventPage {
    this.row(p, id);
    const after = page.after ?? 0;
    if (!Number.isInteger(after) || after < 0) {
      throw new AppError("BAD_REQUEST", undefined, { message: "after must be a non-negative integer" });
    }
    const limit = pageSize(page.limit);
    const events = this.repo.events(id, after, limit);
    return { events, next_seq: events.length === limit ? events.at(-1)!.seq : null };
  }

  // ---- permissions ----

  listPermissions(p: Principal, id: string, status?: PermissionStatus): PermissionRequest[] {
    this.row(p, id);
    return this.permissions.byAgent(id, status);
  }

  /**
   * A person answers one of their agent's permission requests. A run's request is refused here: its
   * review has a routed reviewer, which only the review endpoint enforces.
   */
  async respondPermission(
    p: Principal,
    agentId: string,
    permissionId: string,
    answer: PermissionAnswer,
  ): Promise<PermissionDecision> {
    const a = this.row(p, agentId);
    const req = this.permissions.byId(permissionId);
    if (!req || req.agent_id !== agentId) throw new AppError("PERMISSION_REQUEST_NOT_FOUND");
    if (req.run_id) {
      throw new AppError(
        "CONFLICT",
        { run_id: req.run_id, review_id: req.id },
        {
          message: `this request is permission review ${req.id} of run ${req.run_id}; answer it with POST /api/runs/${req.run_id}/permission-reviews/${req.id}/respond`,
        },
      );
    }
    const outcome = parseOutcome(answer, req.options);
    if (req.status !== "pending") return { request: req, already_resolved: true };
    await this.nodes.client(a.node_id).respondPermission(agentId, req.node_request_id, outcome);
    this.permissions.resolve(permissionId, outcome, `human:${p.username}`, this.clock.now());
    return { request: this.permissions.byId(permissionId)!, already_resolved: false };
  }

  /** Keeps agent status and permission requests in step with the node's stored events. */
  applyEvents(events: StoredAgentEvent[]): void {
    const now = this.clock.now();
    for (const { agent_id, event: e } of events) {
      switch (e.kind) {
        case "status": {
          // A stopped or failed agent is only made live again by start() (which sets `starting` first):
          // older live-state events stored after a stop must not resurrect it.
          const current = this.repo.byId(agent_id)?.status;
          const stale = isLiveAgentState(e.state) && current !== undefined && isFinishedAgentState(current);
          if (!stale) this.repo.update(agent_id, { status: e.state }, now);
          break;
        }
        case "session_config": {
          this.repo.setSession(agent_id, e.session, now);
          break;
        }
        case "turn_ended": {
          // A turn that failed for a typed cause the agent's owner must act on (its credentials).
          if (e.errorCode === "AGENT_AUTH_REQUIRED" && e.error) {
            this.repo.update(agent_id, { last_error: e.error }, now);
          }
          if (e.usage) this.recordUsage(agent_id, e.turnId, e.usage, now);
          break;
        }
        case "session_started": {
          // Kept so the agent's next start (after a stop, a crash or a restart) restores this session.
          this.repo.setAcpSessionId(agent_id, e.sessionId, now);
          break;
        }
        case "agent_exited": {
          this.repo.update(
            agent_id,
            { status: e.expected ? "stopped" : "failed", last_error: e.expected ? null : e.message },
            now,
          );
          for (const r of this.permissions.byAgent(agent_id, "pending")) {
            this.permissions.resolve(r.id, { cancelled: true }, "system:agent_exited", now);
          }
          this.lifecycle.emit("ended", agent_id);
          break;
        }
        case "permission_request": {
          this.permissions.insertIfAbsent({
            id: newId("perm"),
            agent_id,
            node_request_id: e.requestId,
            run_id: null,
            step_key: null,
            requester_member_id: null,
            reviewer: null,
            tool_call: e.toolCall,
            options: e.options,
            status: "pending",
            outcome: null,
            decided_by: null,
            decided_at: null,
            created_at: now,
          });
          break;
        }
        case "permission_resolved": {
          const r = this.permissions.byNodeRequest(agent_id, e.requestId);
          if (r && r.status === "pending") this.permissions.resolve(r.id, e.outcome, "node", now);
          break;
        }
        default:
          break;
      }
    }
    if (events.length > 0) this.logger.trace({ count: events.length }, "agent events applied");
  }

  /** A turn's usage, for the agent and (a run turn of a member) its run, step attempt and member. */
  private recordUsage(agentId: string, turnId: string, usage: TurnUsage, now: number): void {
    const agent = this.repo.byId(agentId);
    if (!agent) return;
    const ref = agent.team_id ? parseTurnId(turnId) : undefined;
    this.usage.insert({
      ...usage,
      agent_id: agentId,
      turn_id: turnId,
      run_id: ref?.runId ?? null,
      team_id: agent.team_id,
      step_key: ref?.kind === "step" ? ref.stepKey : null,
      attempt: ref?.kind === "step" ? ref.attempt : null,
      member_id: agent.member_id,
      created_at: now,
    });
  }
}

/** The outcome an answer picks, checked against the options the agent offered. */
export function parseOutcome(answer: PermissionAnswer, options: { option_id: string }[]): PermissionOutcome {
  if (answer.outcome === "cancelled") return { cancelled: true };
  const optionId = answer.option_id;
  if (typeof optionId !== "string" || optionId === "") {
    throw new AppError("BAD_REQUEST", undefined, {
      message: 'option_id or outcome: "cancelled" is required',
    });
  }
  if (!options.some((o) => o.option_id === optionId)) {
    throw new AppError(
      "BAD_REQUEST",
      { options: options.map((o) => o.option_id) },
      {
        message: `option_id must be one of: ${options.map((o) => o.option_id).join(", ")}`,
      },
    );
  }
  return { option_id: optionId };
}
