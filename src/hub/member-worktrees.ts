import type { WorktreeRemoval } from "../contracts/node-client.js";
import type { Agent } from "../store/agents-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { classifyNodeError } from "./node-failure.js";
import type { NodeRegistry } from "./node-registry.js";

/**
 * What happens to a member's worktrees when the member goes: `clean` removes those without unsaved
 * work (the others are kept and reported), `force` removes them all, `keep` leaves them to the nodes'
 * retention sweeps.
 */
export const WORKTREE_REMOVAL_MODES = ["clean", "force", "keep"] as const;
export type WorktreeRemovalMode = (typeof WORKTREE_REMOVAL_MODES)[number];

/** One worktree's removal, with the member, agent and node it belonged to. */
export interface MemberWorktreeOutcome extends WorktreeRemoval {
  member_id: string | null;
  agent_id: string;
  node_id: string;
}

/** A worktree a removed member left that was kept (its path, and why). */
export interface KeptWorktree {
  member_id: string | null;
  agent_id: string;
  node_id: string;
  path: string;
  branch: string;
  reason: string;
  /** When it was kept (ms). */
  kept_at: number;
}

/** Only these agents have worktrees the node created (a given `workdir` is used as it is). */
function hasCreatedWorktrees(a: Agent): boolean {
  return a.spec.worktree_mode === "create_worktree" && !a.spec.workdir;
}

/**
 * Removes the worktrees nodes created for members that are gone (removed from a started team's spec,
 * replaced by a changed definition, or their team deleted) and remembers, per team, the ones kept: a
 * worktree with unsaved work, or one whose node could not be asked. Kept ones are logged at warn and
 * shown in the team's runtime view until removed (the list lives in memory: after a hub restart the
 * nodes' logs and retention sweeps still name them). The agents must be stopped first.
 */
export class MemberWorktrees {
  private readonly kept = new Map<string, KeptWorktree[]>();

  constructor(
    private readonly nodes: NodeRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Asks each agent's node to remove its worktrees (`keep`: asks nothing). */
  async remove(teamId: string, agents: Agent[], mode: WorktreeRemovalMode): Promise<MemberWorktreeOutcome[]> {
    if (mode === "keep") return [];
    const out: MemberWorktreeOutcome[] = [];
    for (const a of agents.filter(hasCreatedWorktrees)) {
      out.push(...(await this.removeOne(teamId, a, mode === "force")));
    }
    return out;
  }

  /** Asks again for every kept worktree of the team (`force`: removed whatever they hold). */
  async retryKept(teamId: string, force: boolean): Promise<MemberWorktreeOutcome[]> {
    const agents = new Map<string, KeptWorktree>();
    for (const k of this.kept.get(teamId) ?? []) agents.set(k.agent_id, k);
    const out: MemberWorktreeOutcome[] = [];
    for (const k of agents.values()) {
      out.push(
        ...(await this.ask(
          teamId,
          { agent_id: k.agent_id, node_id: k.node_id, member_id: k.member_id },
          force,
          k.path,
        )),
      );
    }
    return out;
  }

  /** The worktrees kept for the team's removed members, oldest first. */
  keptFor(teamId: string): KeptWorktree[] {
    return [...(this.kept.get(teamId) ?? [])];
  }

  /** The team is gone: nothing more to show for it. */
  forget(teamId: string): void {
    this.kept.delete(teamId);
  }

  private removeOne(teamId: string, a: Agent, force: boolean): Promise<MemberWorktreeOutcome[]> {
    return this.ask(teamId, { agent_id: a.id, node_id: a.node_id, member_id: a.member_id }, force, a.workdir);
  }

  private async ask(
    teamId: string,
    who: { agent_id: string; node_id: string; member_id: string | null },
    force: boolean,
    knownPath: string | null,
  ): Promise<MemberWorktreeOutcome[]> {
    let results: WorktreeRemoval[];
    try {
      if (!this.nodes.has(who.node_id)) throw new Error(`node "${who.node_id}" is not registered`);
      results = await this.nodes.client(who.node_id).removeWorktrees(who.agent_id, force);
    } catch (err) {
      const cause = classifyNodeError(err).message;
      results = [
        {
          path: knownPath ?? "",
          branch: "",
          removed: false,
          kept_reason: `node "${who.node_id}" could not remove it: ${cause}`,
          branch_deleted: false,
        },
      ];
    }
    const outcomes = results.map((r) => ({ ...r, ...who }));
    this.record(teamId, who.agent_id, outcomes);
    return outcomes;
  }

  /** Replaces what is remembered for the agent with what is kept now, and logs it. */
  private record(teamId: string, agentId: string, outcomes: MemberWorktreeOutcome[]): void {
    const log = this.logger.child({ team_id: teamId });
    const now = this.clock.now();
    const kept = outcomes.flatMap((o): KeptWorktree[] => {
      const at = { path: o.path, member_id: o.member_id, agent_id: o.agent_id, node_id: o.node_id };
      if (o.removed) {
        log.info(
          {
            ...at,
            branch: o.branch,
            branch_deleted: o.branch_deleted,
            branch_kept_reason: o.branch_kept_reason,
          },
          "member worktree removed",
        );
        return [];
      }
      log.warn({ ...at, reason: o.kept_reason }, "member worktree kept");
      return [{ ...at, branch: o.branch, reason: o.kept_reason ?? "kept", kept_at: now }];
    });
    const rest = (this.kept.get(teamId) ?? []).filter((k) => k.agent_id !== agentId);
    const next = [...rest, ...kept];
    if (next.length > 0) this.kept.set(teamId, next);
    else this.kept.delete(teamId);
  }
}
