import { isTerminal } from "../../domain/run-state.js";
import { stepTurnId } from "../../domain/turn-id.js";
import type { Clock } from "../../util/clock.js";
import type { HubServices } from "../hub-services.js";
import { lostAgentCause } from "../node-failure.js";
import { MAIN_NODE_ID } from "../node-registry.js";
import type { TeamRuntime } from "../team-runtime.js";
import type { Dispatcher } from "./dispatcher.js";
import { failStep } from "./fail-step.js";
import type { RunPump } from "./run-pump.js";
import type { TurnTracker } from "./turn-tracker.js";

export interface RecoveryDeps {
  services: HubServices;
  runtime: Pick<TeamRuntime, "memberAgent">;
  turns: TurnTracker;
  dispatcher: Pick<Dispatcher, "resend">;
  pump: Pick<RunPump, "kick">;
  clock: Clock;
}

/**
 * After a hub restart, every run that is active or still has a running step (a finished run can hold
 * one: the events replayed at start may have failed the run before the engine listened): steps whose
 * turn ran on `main` before `bootedAt` died with the previous hub and fail, saying so; turns on other
 * nodes are followed again (and re-sent in an active run: the hub may have died between claiming the
 * step and sending it; a node that has the turn ignores it). Then each run is kicked, which also stops
 * the leftover steps of a failed or canceled run.
 */
export function recoverRuns(d: RecoveryDeps, bootedAt: number): void {
  const runs = d.services.runs;
  for (const run of runs.runs.runsToRecover()) {
    const team = d.services.teams.repo.get(run.team_id);
    const steps = runs.runs.steps(run.id);
    for (const st of steps) {
      if (st.status !== "working" && st.status !== "awaiting_review") continue;
      const agent = d.runtime.memberAgent(run.team_id, st.member_id);
      // A team whose runtime is stopped never dispatched this step: a person (or the REST step
      // actions) moves it, and a restart leaves it as it was.
      if (!agent && team?.runtime_status !== "started") continue;
      if (!agent) {
        failStep(
          runs,
          run.id,
          st.step_key,
          "AGENT_EXITED",
          `the hub restarted and member "${st.member_id}" has no agent any more; its turn for this step was lost — resume the run to retry`,
        );
        continue;
      }
      if (agent.node_id === MAIN_NODE_ID && (st.started_at ?? 0) < bootedAt) {
        failStep(
          runs,
          run.id,
          st.step_key,
          "AGENT_EXITED",
          `${lostAgentCause(MAIN_NODE_ID)}; its turn for this step was lost — resume the run to retry`,
        );
        continue;
      }
      const turnId = stepTurnId(run.id, st.step_key, st.attempt);
      d.turns.trackStep(run.id, st, turnId, agent, st.started_at ?? d.clock.now());
      if (team && st.status === "working" && agent.node_id !== MAIN_NODE_ID && !isTerminal(run.status))
        d.dispatcher.resend(run, team, st, steps, agent);
    }
    d.pump.kick(run.id);
  }
}
