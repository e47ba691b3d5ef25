import { isLiveAgentState } from "../../contracts/agent-states.js";
import { readySteps } from "../../domain/dag.js";
import { isTerminal } from "../../domain/run-state.js";
import { stepTurnId } from "../../domain/turn-id.js";
import { actorToolsOf, buildStepPrompt, type PromptMessage } from "../../domain/turn-prompt.js";
import type { Agent } from "../../store/agents-repo.js";
import type { Run, Step } from "../../store/runs-repo.js";
import type { Team } from "../../store/teams-repo.js";
import type { Clock } from "../../util/clock.js";
import type { Logger } from "../../util/logger.js";
import type { HubServices } from "../hub-services.js";
import { classifyNodeError } from "../node-failure.js";
import type { NodeRegistry } from "../node-registry.js";
import type { TeamRuntime } from "../team-runtime.js";
import { failStep } from "./fail-step.js";
import type { MailDelivery } from "./mail-delivery.js";
import type { TurnTracker } from "./turn-tracker.js";

export interface DispatcherDeps {
  services: HubServices;
  runtime: Pick<TeamRuntime, "memberAgent" | "restartMember">;
  nodes: Pick<NodeRegistry, "client" | "row">;
  turns: TurnTracker;
  mail: Pick<MailDelivery, "pending">;
  clock: Clock;
  logger: Logger;
}

interface Claimed {
  step: Step;
  agent: Agent;
  text: string;
  turnId: string;
  messages: string[];
}

/**
 * Turns ready steps into prompt turns: every step the DAG makes ready (`submitted`, its dependencies
 * completed) becomes one turn to its member's agent, with the run input, its dependencies' outputs and
 * the member's pending mail. Independent steps go out together; each agent runs its turns in order.
 * A step whose member cannot take it (agent cannot start, node offline, send refused) fails with the
 * code of what went wrong.
 */
export class Dispatcher {
  constructor(private readonly d: DispatcherDeps) {}

  private get runs() {
    return this.d.services.runs;
  }

  /**
   * Dispatches the run's ready steps: claims them all in one transaction (so no other pump dispatches
   * them and one commit covers them), sends each as a prompt turn, then records the dispatches in one more.
   * `all` is the run's steps if the caller just read them (a claim checks each step again).
   */
  async dispatchReady(run: Run, team: Team, all: Step[] = this.runs.runs.steps(run.id)): Promise<void> {
    const ready = readySteps(all);
    if (ready.length === 0) return;
    const usable: { step: Step; agent: Agent }[] = [];
    const byMember = new Map<string, Agent | undefined>();
    for (const step of ready) {
      if (!byMember.has(step.member_id)) byMember.set(step.member_id, await this.agentFor(run, team, step));
      // A step that could not get an agent failed its run: nothing more goes out (the pump stops the rest).
      if (this.runEnded(run.id)) return;
      const agent = byMember.get(step.member_id);
      if (agent) usable.push({ step, agent });
    }
    const claimed = this.claim(run, team, usable, all);
    const sent = await Promise.all(claimed.map((c) => this.send(run, c)));
    this.d.services.db.transaction(() => {
      for (const c of sent) {
        if (!c) continue;
        if (c.messages.length > 0) this.d.services.mailbox.markDelivered(run, c.step.member_id, c.messages);
        this.runs.appendEvent(run.id, "step.dispatched", c.step.step_key, {
          member_id: c.step.member_id,
          agent_id: c.agent.id,
          node_id: c.agent.node_id,
          turn_id: c.turnId,
        });
      }
    })();
  }

  /** Starts the steps still `submitted` at the attempt read (one transaction) and builds their prompts. */
  private claim(run: Run, team: Team, usable: { step: Step; agent: Agent }[], all: Step[]): Claimed[] {
    return this.d.services.db.transaction(() => {
      const out: Claimed[] = [];
      const gotMail = new Set<string>();
      for (const { step, agent } of usable) {
        if (this.runEnded(run.id)) break;
        const current = this.runs.runs.step(run.id, step.step_key);
        if (current?.status !== "submitted" || current.attempt !== step.attempt) continue;
        this.runs.transitionStep({ kind: "system" }, run.id, step.step_key, { action: "start" });
        // A member's new messages go into its first step turn of this batch.
        const messages = gotMail.has(step.member_id) ? [] : this.d.mail.pending(run, step.member_id);
        gotMail.add(step.member_id);
        out.push({
          step,
          agent,
          text: this.stepPrompt(run, team, step, all, messages, agent),
          turnId: stepTurnId(run.id, step.step_key, step.attempt),
          messages: messages.map((m) => m.message_id),
        });
      }
      return out;
    })();
  }

  private runEnded(runId: string): boolean {
    const status = this.runs.runs.run(runId)?.status;
    return status === undefined || isTerminal(status);
  }

  private async send(run: Run, c: Claimed): Promise<Claimed | undefined> {
    const now = this.d.clock.now();
    this.d.turns.trackStep(run.id, c.step, c.turnId, c.agent, now, now);
    try {
      await this.d.nodes.client(c.agent.node_id).sendInput(c.agent.id, c.text, c.turnId);
      return c;
    } catch (err) {
      this.d.turns.untrack(c.turnId);
      const f = classifyNodeError(err);
      failStep(
        this.runs,
        run.id,
        c.step.step_key,
        f.code,
        `dispatch to member "${c.step.member_id}" failed: ${f.message}`,
      );
      return undefined;
    }
  }

  /**
   * Sends a working step's turn again after a hub restart (the hub may have died between claiming the
   * step and sending it; a node that has the turn ignores the same turn id).
   */
  resend(run: Run, team: Team, step: Step, all: Step[], agent: Agent): void {
    const text = this.stepPrompt(run, team, step, all, [], agent);
    const turnId = stepTurnId(run.id, step.step_key, step.attempt);
    this.d.nodes
      .client(agent.node_id)
      .sendInput(agent.id, text, turnId)
      .catch((err: unknown) => {
        this.d.logger.warn(
          { component: "executor", run_id: run.id, step_key: step.step_key, err: (err as Error).message },
          "could not re-send a step's turn after restart; node probes decide what happens to it",
        );
      });
  }

  /**
   * The member's running agent, starting it again if it died (its ACP session restored when the agent
   * can load sessions); undefined (step failed) if impossible.
   */
  private async agentFor(run: Run, team: Team, step: Step): Promise<Agent | undefined> {
    let agent = this.d.runtime.memberAgent(team.id, step.member_id);
    try {
      if (!agent || !isLiveAgentState(agent.status)) {
        // The member's agent crashed in an earlier step (or the hub restarted): a new process takes the step.
        agent = await this.d.runtime.restartMember(team, step.member_id);
      }
    } catch (err) {
      const f = classifyNodeError(err);
      failStep(
        this.runs,
        run.id,
        step.step_key,
        f.code,
        `member "${step.member_id}" could not start: ${f.message}`,
      );
      return undefined;
    }
    const node = this.d.nodes.row(agent.node_id);
    if (node.status === "offline") {
      failStep(
        this.runs,
        run.id,
        step.step_key,
        "NODE_UNREACHABLE",
        `node "${node.id}" is unreachable: ${node.last_error ?? "offline"}`,
      );
      return undefined;
    }
    return agent;
  }

  private stepPrompt(
    run: Run,
    team: Team,
    step: Step,
    all: Step[],
    messages: PromptMessage[],
    agent: Agent,
  ): string {
    return buildStepPrompt({
      runId: run.id,
      teamName: team.name,
      memberId: step.member_id,
      role: run.spec.members.find((m) => m.member_id === step.member_id)?.role ?? "worker",
      stepKey: step.step_key,
      attempt: step.attempt,
      runInput: step.input === undefined ? run.input : step.input,
      dependencies: step.depends_on.map((dk) => ({
        step_key: dk,
        output: all.find((x) => x.step_key === dk)?.output ?? null,
      })),
      messages,
      prompt: step.prompt,
      actorTools: actorToolsOf(agent.session),
    });
  }
}
