/**
 * The one vocabulary of agent states shared by hub, node and grpc. The full list is the stored one
 * (`src/domain/agent.ts`, held by the store's CHECK constraint); a node reports every state but `created`.
 */
import { AGENT_STATUSES, type AgentStatus, isAgentStatus } from "../domain/agent.js";

export { AGENT_STATUSES, type AgentStatus, isAgentStatus };

/** The states a node reports for an agent it runs (`created` exists only in the hub's record). */
export type NodeAgentState = Exclude<AgentStatus, "created">;

/** States of an agent whose process is live (started and not ended). */
export const LIVE_AGENT_STATES = [
  "starting",
  "running",
  "idle",
  "busy",
] as const satisfies readonly AgentStatus[];
export type LiveAgentState = (typeof LIVE_AGENT_STATES)[number];

/** States of an agent whose process has ended. */
export const FINISHED_AGENT_STATES = [
  "exited",
  "failed",
  "stopped",
] as const satisfies readonly AgentStatus[];
export type FinishedAgentState = (typeof FINISHED_AGENT_STATES)[number];

const LIVE_SET: ReadonlySet<string> = new Set(LIVE_AGENT_STATES);
const FINISHED_SET: ReadonlySet<string> = new Set(FINISHED_AGENT_STATES);

export function isLiveAgentState(state: string): state is LiveAgentState {
  return LIVE_SET.has(state);
}

export function isFinishedAgentState(state: string): state is FinishedAgentState {
  return FINISHED_SET.has(state);
}
