import { isLiveAgentState } from "../contracts/agent-states.js";
import type { ActorCredentials } from "../contracts/node-client.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import type { AgentService } from "./agent-service.js";
import type { HubServices } from "./hub-services.js";
import type { NodeRegistry } from "./node-registry.js";

/** Mints a member's actor credentials (the same claims its agent started with). */
export type ActorCredentialSource = (
  teamId: string,
  memberId: string,
  role: "leader" | "worker",
) => Promise<ActorCredentials>;

export interface ActorTokenRenewalDeps {
  services: HubServices;
  agents: AgentService;
  nodes: NodeRegistry;
  credentials: ActorCredentialSource;
  /** Lifetime of the actor tokens (`[internal_grpc.auth] token_ttl_seconds`). */
  tokenTtlMs: number;
  clock: Clock;
  logger: Logger;
}

/** A started team's member agent whose credentials are due. */
interface DueMember {
  agent_id: string;
  node_id: string;
  team_id: string;
  member_id: string;
  role: "leader" | "worker";
}

/** A token's `exp` is whole seconds after its whole-second `iat`: it may live up to a second less. */
const EXP_ROUNDING_MS = 1_000;
const SWEEP_MIN_MS = 100;
const SWEEP_MAX_MS = 60_000;

/**
 * Keeps long-lived member agents' actor tokens valid without restarting them: every member agent of a
 * started team gets fresh credentials (pushed to its node, which rewrites the agent's token file) once
 * its current ones are half their lifetime old, so always before 2/3 of it. An agent whose credentials'
 * age is unknown (it outlived a hub restart on a remote node) is renewed at the first sweep. A renewal
 * that fails (node unreachable) is logged and tried again at the next sweep.
 */
export class ActorTokenRenewal {
  /** When each member agent's current credentials were minted (hub clock). */
  private readonly issuedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly d: ActorTokenRenewalDeps) {}

  /** Renew at this age: half the lifetime, less the rounding of `exp`. */
  get renewAfterMs(): number {
    return Math.max(0, this.d.tokenTtlMs / 2 - EXP_ROUNDING_MS);
  }

  /** How often member agents are looked at: a sixth of the lifetime, so renewals land before 2/3. */
  get sweepMs(): number {
    return Math.min(SWEEP_MAX_MS, Math.max(SWEEP_MIN_MS, this.d.tokenTtlMs / 6));
  }

  /** A member agent just started with freshly minted credentials. */
  issued(agentId: string): void {
    this.issuedAt.set(agentId, this.d.clock.now());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Renews every member agent whose credentials are due; returns the ids renewed. */
  async sweep(): Promise<string[]> {
    if (this.sweeping) return [];
    this.sweeping = true;
    try {
      const due = this.dueMembers();
      const renewed = await Promise.all(due.map((m) => this.renew(m)));
      return due.filter((_, i) => renewed[i]).map((m) => m.agent_id);
    } finally {
      this.sweeping = false;
    }
  }

  private dueMembers(): DueMember[] {
    const now = this.d.clock.now();
    const live = new Set<string>();
    const due: DueMember[] = [];
    for (const team of this.d.services.teams.repo.withRuntimeStarted()) {
      for (const agent of this.d.agents.repo.byTeam(team.id)) {
        const member = team.spec.members.find((m) => m.member_id === agent.member_id);
        if (!member || !agent.member_id || !isLiveAgentState(agent.status)) continue;
        live.add(agent.id);
        // Still starting: its credentials are being minted and written right now.
        if (agent.status === "starting") continue;
        const issued = this.issuedAt.get(agent.id);
        if (issued !== undefined && now - issued < this.renewAfterMs) continue;
        due.push({
          agent_id: agent.id,
          node_id: agent.node_id,
          team_id: team.id,
          member_id: agent.member_id,
          role: member.role,
        });
      }
    }
    for (const id of this.issuedAt.keys()) if (!live.has(id)) this.issuedAt.delete(id);
    return due;
  }

  private async renew(m: DueMember): Promise<boolean> {
    const minted = this.d.clock.now();
    const { role, ...ids } = m;
    try {
      const credentials = await this.d.credentials(m.team_id, m.member_id, role);
      await this.d.nodes.client(m.node_id).renewActorCredentials(m.agent_id, credentials);
      this.issuedAt.set(m.agent_id, minted);
      this.d.logger.debug(ids, "actor token renewed");
      return true;
    } catch (err) {
      this.d.logger.warn(
        { ...ids, err: (err as Error).message },
        "could not renew a member's actor token; trying again at the next sweep",
      );
      return false;
    }
  }
}
