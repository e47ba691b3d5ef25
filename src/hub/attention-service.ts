import { EventEmitter } from "node:events";
import type { PermissionOption } from "../domain/agent.js";
import type { StepFailureCode } from "../domain/step-failure.js";
import type { Clock } from "../util/clock.js";
import type { AgentEventBus, StoredAgentEvent } from "./agent-event-bus.js";
import type { AgentService } from "./agent-service.js";
import type { Principal } from "./auth-service.js";
import type { HubServices } from "./hub-services.js";
import type { NodeRegistry } from "./node-registry.js";
import { HUMAN_REVIEWER } from "./review-service.js";

/** How far back a failed run still asks for attention. */
export const FAILED_RUN_WINDOW_MS = 24 * 3_600_000;

/** A tool permission request waiting for a person: a run's review routed to humans, or an agent's own. */
export interface PermissionAttention {
  kind: "permission";
  /** The review id (answer it on the run) or, outside a run, the agent's permission request id. */
  id: string;
  agent_id: string;
  agent_name: string;
  run_id: string | null;
  team_id: string | null;
  team_name: string | null;
  step_key: string | null;
  requester_member_id: string | null;
  tool_call: unknown;
  options: PermissionOption[];
  created_at: number;
}

/** A step paused until someone gives it input. */
export interface InputAttention {
  kind: "input_required";
  run_id: string;
  team_id: string;
  team_name: string;
  step_key: string;
  member_id: string;
  since: number;
}

/** A run that failed within the last day. */
export interface FailedRunAttention {
  kind: "run_failed";
  run_id: string;
  team_id: string;
  team_name: string;
  error_code: StepFailureCode | null;
  error_message: string | null;
  finished_at: number;
}

/** A node that stopped answering (root sees every one; others the nodes their teams use). */
export interface NodeAttention {
  kind: "node_offline";
  node_id: string;
  name: string;
  last_error: string | null;
  last_ok_at: number | null;
}

export type AttentionItem = PermissionAttention | InputAttention | FailedRunAttention | NodeAttention;

export interface AttentionDeps {
  services: HubServices;
  agents: AgentService;
  nodes: NodeRegistry;
  bus: AgentEventBus;
  clock: Clock;
  /** How often watchers re-check what no event announces (node status, the failed-run window). */
  pollMs: number;
}

/** Agent event kinds that can change what waits for someone outside a run's log. */
const AGENT_KINDS = new Set(["permission_request", "permission_resolved", "agent_exited"]);
/** Changes that arrive together are announced once. */
const SETTLE_MS = 50;

/**
 * What needs a person now: permission reviews routed to humans and their agents' own permission
 * requests, steps waiting for input, runs failed in the last day, nodes offline; each for what the
 * caller may see. Watchers (`watch`) are told when the list may have changed (a run event, an agent's
 * permission event, or a periodic re-check) and read it again.
 */
export class AttentionService extends EventEmitter<{ changed: [] }> {
  private watchers = 0;
  private timer: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private readonly onRunEvent = () => this.hint();
  private readonly onAgentEvent = (e: StoredAgentEvent) => {
    if (AGENT_KINDS.has(e.kind)) this.hint();
  };

  constructor(private readonly d: AttentionDeps) {
    super();
    this.setMaxListeners(0);
  }

  list(p: Principal): AttentionItem[] {
    const teams = new Map(this.d.services.teams.list(p).map((t) => [t.id, t]));
    const teamName = (id: string | null) => (id ? (teams.get(id)?.name ?? null) : null);
    const items: AttentionItem[] = [];

    for (const r of this.d.agents.permissions.pending()) {
      const agent = this.d.agents.repo.byId(r.agent_id);
      if (!agent) continue;
      let teamId: string | null = null;
      if (r.run_id) {
        const run = this.d.services.runs.runs.run(r.run_id);
        if (!run || !teams.has(run.team_id) || r.reviewer !== HUMAN_REVIEWER) continue;
        teamId = run.team_id;
      } else if (!p.is_root && agent.owner_id !== p.user_id) continue;
      else teamId = agent.team_id;
      items.push({
        kind: "permission",
        id: r.id,
        agent_id: agent.id,
        agent_name: agent.name,
        run_id: r.run_id,
        team_id: teamId,
        team_name: teamName(teamId),
        step_key: r.step_key,
        requester_member_id: r.requester_member_id ?? agent.member_id,
        tool_call: r.tool_call,
        options: r.options,
        created_at: r.created_at,
      });
    }

    const runs = this.d.services.runs.runs;
    for (const s of runs.stepsWithStatus("input_required")) {
      const run = runs.run(s.run_id);
      const team = run && teams.get(run.team_id);
      if (!run || !team) continue;
      items.push({
        kind: "input_required",
        run_id: run.id,
        team_id: team.id,
        team_name: team.name,
        step_key: s.step_key,
        member_id: s.member_id,
        since: s.updated_at,
      });
    }

    for (const run of runs.finishedSince("failed", this.d.clock.now() - FAILED_RUN_WINDOW_MS)) {
      const team = teams.get(run.team_id);
      if (!team) continue;
      items.push({
        kind: "run_failed",
        run_id: run.id,
        team_id: team.id,
        team_name: team.name,
        error_code: run.error_code,
        error_message: run.error_message,
        finished_at: run.finished_at ?? run.updated_at,
      });
    }

    const used = p.is_root ? undefined : this.nodesUsedBy([...teams.values()]);
    for (const n of this.d.nodes.list()) {
      if (n.status !== "offline" || (used && !used.has(n.id))) continue;
      items.push({
        kind: "node_offline",
        node_id: n.id,
        name: n.name,
        last_error: n.last_error,
        last_ok_at: n.last_ok_at,
      });
    }
    return items;
  }

  private nodesUsedBy(teams: { spec: { members: readonly { agent?: { node_id?: string } }[] } }[]) {
    return new Set(teams.flatMap((t) => t.spec.members.map((m) => m.agent?.node_id ?? "main")));
  }

  /** Starts telling `fn` about possible changes; returns the function that stops it. */
  watch(fn: () => void): () => void {
    this.on("changed", fn);
    if (this.watchers++ === 0) {
      this.d.services.runs.events.on("appended", this.onRunEvent);
      this.d.bus.on("event", this.onAgentEvent);
      this.timer = setInterval(() => this.emit("changed"), this.d.pollMs);
      this.timer.unref();
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.off("changed", fn);
      if (--this.watchers > 0) return;
      this.d.services.runs.events.off("appended", this.onRunEvent);
      this.d.bus.off("event", this.onAgentEvent);
      clearInterval(this.timer);
      clearTimeout(this.settle);
      this.timer = undefined;
      this.settle = undefined;
    };
  }

  /** Read after the announcing tick (its transaction has committed by then), once per burst. */
  private hint(): void {
    if (this.settle) return;
    this.settle = setTimeout(() => {
      this.settle = undefined;
      this.emit("changed");
    }, SETTLE_MS);
    this.settle.unref();
  }
}
