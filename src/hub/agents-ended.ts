import { isLiveAgentState } from "../contracts/agent-states.js";
import type { Agent } from "../store/agents-repo.js";
import type { AgentService } from "./agent-service.js";

/**
 * The agents of `ids` that are not live `windowMs` from now, or sooner: as soon as one of them ends
 * (its `agent_exited` event stored) the answer is given, so a start that fails does not wait out the
 * window. An agent that is gone from the store counts as ended.
 */
export function agentsEndedWithin(
  agents: AgentService,
  ids: readonly string[],
  windowMs: number,
): Promise<Agent[]> {
  const ended = () =>
    ids.flatMap((id) => {
      const a = agents.repo.byId(id);
      return a && !isLiveAgentState(a.status) ? [a] : [];
    });
  if (ids.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      agents.lifecycle.off("ended", onEnded);
      resolve(ended());
    };
    const onEnded = (id: string) => {
      if (ids.includes(id)) finish();
    };
    agents.lifecycle.on("ended", onEnded);
    const timer = setTimeout(finish, windowMs);
    if (ended().length > 0) finish();
  });
}
