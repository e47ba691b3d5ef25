import { isLiveAgentState } from "../../contracts/agent-states.js";
import { isTerminal } from "../../domain/run-state.js";
import { mailTurnId } from "../../domain/turn-id.js";
import { actorToolsOf, buildMailPrompt, type PromptMessage } from "../../domain/turn-prompt.js";
import type { Run } from "../../store/runs-repo.js";
import type { Team } from "../../store/teams-repo.js";
import type { Logger } from "../../util/logger.js";
import type { HubServices } from "../hub-services.js";
import type { NodeRegistry } from "../node-registry.js";
import type { TeamRuntime } from "../team-runtime.js";
import type { TurnTracker } from "./turn-tracker.js";

/** At most this many messages go into one turn; the rest follow in the next. */
const MAIL_BATCH = 50;

export interface MailDeliveryDeps {
  services: HubServices;
  runtime: Pick<TeamRuntime, "memberAgent" | "isStarted">;
  nodes: Pick<NodeRegistry, "client">;
  turns: TurnTracker;
  logger: Logger;
}

/** A pending message as a prompt lists it, with its mailbox `seq`. */
export type PendingMessage = PromptMessage & { seq: number };

/**
 * Mailbox delivery to members: an idle member (live agent, no turn in flight) with pending messages
 * gets them as a turn of its own; a busy one gets them in its next step turn (see Dispatcher). Messages
 * are marked delivered once the node took the turn; a failed send leaves them pending.
 */
export class MailDelivery {
  private stopped = false;

  constructor(private readonly d: MailDeliveryDeps) {}

  /** The member's pending messages, oldest first. */
  pending(run: Run, memberId: string): PendingMessage[] {
    return this.d.services.mailbox.inbox(run, { actorId: memberId, limit: MAIL_BATCH }).map((m) => ({
      message_id: m.id,
      seq: m.seq,
      from_actor_id: m.from_actor_id,
      route: m.route,
      kind: m.kind,
      payload: m.payload,
    }));
  }

  /** Messages were sent in a run: each idle recipient gets them now. */
  onSent(runId: string, recipients: readonly string[]): void {
    if (this.stopped) return;
    const run = this.d.services.runs.runs.run(runId);
    if (!run || isTerminal(run.status)) return;
    const team = this.d.services.teams.repo.get(run.team_id);
    if (!team || !this.d.runtime.isStarted(team)) return;
    for (const r of recipients) this.deliver(run, team, r);
  }

  /** An idle member with pending messages gets them as a turn (a busy one in its next turn). */
  deliver(run: Run, team: Team, memberId: string): void {
    if (this.stopped || isTerminal(run.status)) return;
    const agent = this.d.runtime.memberAgent(team.id, memberId);
    if (!agent || !isLiveAgentState(agent.status) || this.d.turns.busy(agent.id)) return;
    const messages = this.pending(run, memberId);
    if (messages.length === 0) return;
    const turnId = mailTurnId(run.id, memberId, messages.at(-1)!.seq);
    if (this.d.turns.has(turnId)) return;
    const role = run.spec.members.find((m) => m.member_id === memberId)?.role ?? "worker";
    const text = buildMailPrompt({
      runId: run.id,
      teamName: team.name,
      memberId,
      role,
      messages,
      actorTools: actorToolsOf(agent.session),
    });
    this.d.turns.trackMail(turnId, run.id, agent);
    this.d.nodes
      .client(agent.node_id)
      .sendInput(agent.id, text, turnId)
      .then(
        () => {
          this.d.services.mailbox.markDelivered(
            run,
            memberId,
            messages.map((m) => m.message_id),
          );
        },
        (err: unknown) => {
          this.d.turns.untrack(turnId);
          this.d.logger.warn(
            { component: "executor", run_id: run.id, member_id: memberId, err: (err as Error).message },
            "mailbox delivery failed; messages stay pending",
          );
        },
      );
  }

  stop(): void {
    this.stopped = true;
  }
}
