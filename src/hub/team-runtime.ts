import { EventEmitter } from "node:events";
import { isLiveAgentState } from "../contracts/agent-states.js";
import type { MemberSpec } from "../domain/team-spec.js";
import { AppError, isAppError } from "../errors/registry.js";
import type { Agent } from "../store/agents-repo.js";
import type { Team } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { type AgentService, agentSpecOf, type CreateAgentCommand } from "./agent-service.js";
import { agentsEndedWithin } from "./agents-ended.js";
import type { Principal } from "./auth-service.js";
import type { HubServices } from "./hub-services.js";
import { type MemberWorktreeOutcome, MemberWorktrees, type WorktreeRemovalMode } from "./member-worktrees.js";
import { classifyNodeError } from "./node-failure.js";
import { MAIN_NODE_ID, type NodeRegistry } from "./node-registry.js";

/** The AGENTHUB_* environment (with a scoped actor token) a member's agent process gets. */
export type ActorEnvSource = (
  teamId: string,
  memberId: string,
  role: "leader" | "worker",
) => Promise<Record<string, string>>;

export interface TeamRuntimeDeps {
  services: HubServices;
  agents: AgentService;
  nodes: NodeRegistry;
  actorEnv: ActorEnvSource;
  clock: Clock;
  logger: Logger;
  /** How long a team start watches its new agents for dying right after they started (default 500 ms). */
  liveCheckMs?: number;
}

export interface MemberRuntimeView {
  member_id: string;
  role: string;
  agent_id: string | null;
  node_id: string;
  status: string;
  workdir: string | null;
  last_error: string | null;
}

/** The agent a member's `agent` spec asks for (named `<team>.<member>`, on `main` unless it says). */
function memberAgentCommand(team: Team, m: MemberSpec): CreateAgentCommand & { node_id: string } {
  if (!m.agent || (!m.agent.provider && !m.agent.command)) {
    throw new AppError(
      "BAD_REQUEST",
      { member_id: m.member_id },
      {
        message: `member "${m.member_id}" has no agent: set spec.members[].agent with a provider or command`,
      },
    );
  }
  const a = m.agent;
  return {
    name: `${team.name}.${m.member_id}`,
    node_id: a.node_id ?? MAIN_NODE_ID,
    provider: a.provider,
    command: a.command,
    args: a.args,
    env: a.env,
    worktree_mode: a.worktree_mode,
    workdir: a.workdir,
    worktree_repo: a.worktree_repo,
    worktree_ref: a.worktree_ref,
    mode: a.mode,
    model: a.model,
    config_options: a.config_options,
    mcp_servers: a.mcp_servers,
  };
}

/**
 * A team's runtime: one agent per member on the member's node, each with its ACP session (a member's
 * agent started again restores its previous session when the agent can load sessions; AgentService.start)
 * and a scoped actor token. Start is all-or-nothing (a member that cannot start stops the others started
 * with it); the state (`started`/`stopped`) is stored so it survives hub restarts. Emits `started`
 * so the executor dispatches runs that were waiting for it, and `memberStarted` for token renewal.
 */
export class TeamRuntime extends EventEmitter<{
  started: [teamId: string];
  /** A member's agent started with freshly minted actor credentials (their renewal clock starts). */
  memberStarted: [agentId: string];
}> {
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Worktrees of members that are gone: removed, or kept (and shown) when they hold work. */
  readonly worktrees: MemberWorktrees;

  constructor(private readonly d: TeamRuntimeDeps) {
    super();
    this.worktrees = new MemberWorktrees(d.nodes, d.clock, d.logger);
  }

  /** Operations on one team run one at a time (start, stop, reconcile). */
  private serialize<T>(teamId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(teamId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(teamId, tail);
    void tail.then(() => {
      if (this.locks.get(teamId) === tail) this.locks.delete(teamId);
    });
    return next;
  }

  memberAgent(teamId: string, memberId: string): Agent | undefined {
    return this.d.agents.repo.byTeam(teamId).find((a) => a.member_id === memberId);
  }

  isStarted(team: Team): boolean {
    return team.runtime_status === "started";
  }

  view(team: Team) {
    const agents = this.d.agents.repo.byTeam(team.id);
    const members: MemberRuntimeView[] = team.spec.members.map((m) => {
      const a = agents.find((x) => x.member_id === m.member_id);
      return {
        member_id: m.member_id,
        role: m.role,
        agent_id: a?.id ?? null,
        node_id: a?.node_id ?? m.agent?.node_id ?? MAIN_NODE_ID,
        status: a?.status ?? "not_started",
        workdir: a?.workdir ?? null,
        last_error: a?.last_error ?? null,
      };
    });
    return {
      team_id: team.id,
      status: team.runtime_status,
      members,
      kept_worktrees: this.worktrees.keptFor(team.id),
    };
  }

  status(p: Principal, teamId: string) {
    return this.view(this.d.services.teams.get(p, teamId));
  }

  async start(p: Principal, teamId: string) {
    const team = this.d.services.teams.get(p, teamId);
    return this.serialize(teamId, async () => {
      const wanted = team.spec.members.map((m) => ({ m, cmd: memberAgentCommand(team, m) }));
      // Every member's node must answer before anything starts: a member whose agent is recorded as
      // running on a node that is down would otherwise count as started.
      const down = await this.unreachableNodes(new Set(wanted.map((w) => w.cmd.node_id)));
      if (down.size > 0) {
        throw startError(
          wanted.flatMap((w) => {
            const err = down.get(w.cmd.node_id);
            return err ? [{ ...w, err }] : [];
          }),
        );
      }
      const results = await Promise.allSettled(wanted.map(({ m, cmd }) => this.ensureMember(team, m, cmd)));
      const failures: { m: MemberSpec; cmd: { node_id: string }; err: unknown }[] = results.flatMap((r, i) =>
        r.status === "rejected" ? [{ m: wanted[i]!.m, cmd: wanted[i]!.cmd, err: r.reason as unknown }] : [],
      );
      const started = results.flatMap((r) =>
        r.status === "fulfilled" && r.value.started ? [r.value.id] : [],
      );
      if (failures.length === 0) failures.push(...(await this.diedAfterStart(team, wanted, started)));
      if (failures.length > 0) {
        // All or nothing: members started by this call are stopped again.
        await Promise.all(started.map((id) => this.d.agents.stop(null, id).catch(() => undefined)));
        this.d.services.teams.repo.setRuntimeStatus(teamId, "stopped");
        throw startError(failures);
      }
      this.d.services.teams.repo.setRuntimeStatus(teamId, "started");
      this.d.logger.info({ component: "runtime", team_id: teamId }, "team runtime started");
      this.emit("started", teamId);
      return this.view(this.d.services.teams.repo.get(teamId)!);
    });
  }

  /**
   * The members whose agent, started by this call, is no longer live a moment later (an agent that
   * answers its ACP start and then exits: a crash on a missing setting, a wrapper that quits). Waits
   * `liveCheckMs`, or less once one of them ended; each failure carries the agent's exit message.
   */
  private async diedAfterStart(
    team: Team,
    wanted: { m: MemberSpec; cmd: { node_id: string } }[],
    started: string[],
  ): Promise<{ m: MemberSpec; cmd: { node_id: string }; err: unknown }[]> {
    const ended = await agentsEndedWithin(this.d.agents, started, this.d.liveCheckMs ?? LIVE_CHECK_MS);
    return ended.flatMap((a) => {
      const w = wanted.find((x) => x.m.member_id === a.member_id);
      if (!w) return [];
      const cause = a.last_error ?? `agent is ${a.status}`;
      this.d.logger.warn(
        { component: "runtime", team_id: team.id, member_id: a.member_id, agent_id: a.id, cause },
        "member's agent ended right after it started",
      );
      return [
        {
          ...w,
          err: new AppError(
            "AGENT_EXITED",
            { agent_id: a.id, status: a.status },
            { message: `its agent ended right after it started: ${cause}` },
          ),
        },
      ];
    });
  }

  /** The nodes (of those registered) that are offline or do not answer now, each with its error. */
  private async unreachableNodes(nodeIds: Set<string>): Promise<Map<string, AppError>> {
    const down = new Map<string, AppError>();
    await Promise.all(
      [...nodeIds].map(async (nodeId) => {
        if (!this.d.nodes.has(nodeId)) return; // unknown ids are refused by the agent's creation
        const n = this.d.nodes.row(nodeId);
        if (n.status === "offline") {
          down.set(nodeId, offlineError(nodeId, n.last_error));
          return;
        }
        try {
          await this.d.nodes.client(nodeId).info(NODE_CHECK_MS);
        } catch (err) {
          const cause = classifyNodeError(err).message;
          down.set(
            nodeId,
            new AppError(
              "NODE_UNREACHABLE",
              { node_id: nodeId, cause },
              { message: `node "${nodeId}" did not answer: ${cause}` },
            ),
          );
        }
      }),
    );
    return down;
  }

  async stop(p: Principal | null, teamId: string) {
    const team = p ? this.d.services.teams.get(p, teamId) : this.d.services.teams.repo.get(teamId);
    if (!team) throw new AppError("TEAM_NOT_FOUND");
    return this.serialize(teamId, async () => {
      this.d.services.teams.repo.setRuntimeStatus(teamId, "stopped");
      const agents = this.d.agents.repo.byTeam(teamId).filter((a) => isLiveAgentState(a.status));
      await Promise.all(
        agents.map((a) =>
          this.d.agents.stop(null, a.id).catch((err: unknown) => {
            this.d.logger.warn(
              { component: "runtime", team_id: teamId, agent_id: a.id, err: (err as Error).message },
              "could not stop a member's agent",
            );
          }),
        ),
      );
      this.d.logger.info({ component: "runtime", team_id: teamId }, "team runtime stopped");
      return this.view(this.d.services.teams.repo.get(teamId)!);
    });
  }

  /**
   * Stops and forgets every member agent (the team is being deleted); their worktrees go as `mode`
   * says. Returns what became of each worktree.
   */
  async remove(teamId: string, mode: WorktreeRemovalMode = "clean"): Promise<MemberWorktreeOutcome[]> {
    await this.stop(null, teamId).catch(() => undefined);
    const agents = this.d.agents.repo.byTeam(teamId);
    const outcomes = await this.worktrees.remove(teamId, agents, mode);
    for (const a of agents) this.d.agents.repo.delete(a.id);
    this.worktrees.forget(teamId);
    return outcomes;
  }

  /** Asks the nodes again to remove the worktrees kept for the team's removed members (`force`: whatever they hold). */
  async removeKeptWorktrees(p: Principal, teamId: string, force: boolean): Promise<MemberWorktreeOutcome[]> {
    this.d.services.teams.get(p, teamId);
    return this.serialize(teamId, () => this.worktrees.retryKept(teamId, force));
  }

  /**
   * Starts one member's agent unless it already runs with the same definition; an agent whose
   * definition changed is replaced. `started` says whether this call started it.
   */
  private async ensureMember(
    team: Team,
    m: MemberSpec,
    cmd: CreateAgentCommand & { node_id: string },
  ): Promise<{ id: string; started: boolean }> {
    const wanted = JSON.stringify(agentSpecOf(cmd));
    const nodeId = cmd.node_id;
    let agent = this.memberAgent(team.id, m.member_id);
    if (agent && (JSON.stringify(agent.spec) !== wanted || agent.node_id !== nodeId)) {
      if (isLiveAgentState(agent.status)) await this.d.agents.stop(null, agent.id);
      await this.worktrees.remove(team.id, [agent], "clean");
      this.d.agents.repo.delete(agent.id);
      agent = undefined;
    }
    if (agent && isLiveAgentState(agent.status)) return { id: agent.id, started: false };
    if (this.d.nodes.has(nodeId) && this.d.nodes.row(nodeId).status === "offline") {
      throw offlineError(nodeId, this.d.nodes.row(nodeId).last_error);
    }
    // The member's agent belongs to the team's owner (whose rights decide what it may run).
    const id =
      agent?.id ??
      (await this.d.agents.create({ owner_id: team.owner_id, team_id: team.id, member_id: m.member_id }, cmd))
        .id;
    const env = await this.d.actorEnv(team.id, m.member_id, m.role);
    await this.d.agents.start(null, id, env);
    this.emit("memberStarted", id);
    return { id, started: true };
  }

  /** Starts a member whose agent is not running (it crashed, or the hub restarted); used before a dispatch. */
  async restartMember(team: Team, memberId: string): Promise<Agent> {
    const m = team.spec.members.find((x) => x.member_id === memberId);
    if (!m)
      throw new AppError(
        "UNKNOWN_MEMBER",
        { member_id: memberId },
        { message: `unknown member "${memberId}"` },
      );
    return this.serialize(team.id, async () => {
      await this.ensureMember(team, m, memberAgentCommand(team, m));
      return this.memberAgent(team.id, memberId)!;
    });
  }

  /**
   * Brings a started team's agents in line with its spec after an edit: removed members are stopped,
   * added or changed ones started. Failures are logged and left on the agent (`last_error`).
   */
  async reconcile(teamId: string): Promise<void> {
    const team = this.d.services.teams.repo.get(teamId);
    if (!team || !this.isStarted(team)) return;
    await this.serialize(teamId, async () => {
      const { spec } = team;
      const ids = new Set(spec.members.map((m) => m.member_id));
      for (const a of this.d.agents.repo.byTeam(teamId)) {
        if (a.member_id && ids.has(a.member_id)) continue;
        if (isLiveAgentState(a.status)) await this.d.agents.stop(null, a.id).catch(() => undefined);
        await this.worktrees.remove(teamId, [a], "clean");
        this.d.agents.repo.delete(a.id);
      }
      for (const m of spec.members) {
        await this.ensureMember(team, m, memberAgentCommand(team, m)).catch((err: unknown) => {
          this.d.logger.warn(
            { component: "runtime", team_id: teamId, member_id: m.member_id, err: (err as Error).message },
            "member agent could not start after a spec change",
          );
        });
      }
    });
    this.emit("started", teamId);
  }

  /**
   * At hub start: agents on the built-in node died with the previous hub process, so a started team's
   * members there get a fresh agent. (Remote nodes keep their agents running across hub restarts.)
   */
  async recover(): Promise<void> {
    for (const team of this.d.services.teams.repo.withRuntimeStarted()) {
      for (const a of this.d.agents.repo.byTeam(team.id)) {
        if (a.node_id === MAIN_NODE_ID && isLiveAgentState(a.status)) {
          this.d.agents.repo.update(a.id, { status: "stopped" }, this.d.clock.now());
        }
      }
      await this.reconcile(team.id).catch((err: unknown) => {
        this.d.logger.warn(
          { component: "runtime", team_id: team.id, err: (err as Error).message },
          "team runtime could not be recovered",
        );
      });
    }
  }
}

/** How long a team start watches its new agents for dying right after they started. */
const LIVE_CHECK_MS = 500;

/** How long a team start waits for each member's node to answer before refusing the start. */
const NODE_CHECK_MS = 5_000;

function offlineError(nodeId: string, lastError: string | null): AppError {
  return new AppError(
    "NODE_UNREACHABLE",
    { node_id: nodeId, last_error: lastError },
    { message: `node "${nodeId}" is offline${lastError ? ` (${lastError})` : ""}` },
  );
}

/** One error naming the member, its node and the cause; details list every member that failed. */
function startError(failures: { m: MemberSpec; cmd: { node_id: string }; err: unknown }[]): AppError {
  const all = failures.map(({ m, cmd, err }) => ({
    member_id: m.member_id,
    node_id: cmd.node_id,
    ...classifyNodeError(err),
  }));
  const first = all[0]!;
  const firstErr = failures[0]!.err;
  const code =
    first.code === "NODE_UNREACHABLE"
      ? "NODE_UNREACHABLE"
      : first.code === "WORKSPACE_ERROR"
        ? "WORKSPACE_ERROR"
        : isAppError(firstErr) && firstErr.status < 500
          ? firstErr.code
          : first.code === "AGENT_EXITED"
            ? "AGENT_EXITED"
            : "TEAM_RUNTIME_START_FAILED";
  return new AppError(
    code,
    { member_id: first.member_id, node_id: first.node_id, cause: first.message, failures: all },
    {
      message: `team runtime could not start: member "${first.member_id}" on node "${first.node_id}": ${first.message}`,
    },
  );
}
