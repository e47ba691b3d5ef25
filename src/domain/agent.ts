/**
 * The vocabulary of agents as the hub stores them: what an agent runs (its spec), the states it is in,
 * and its permission requests' states and options. The store's CHECK constraints hold the same lists.
 */

/** What an agent runs and where; stored as the agent's spec. */
export interface AgentSpec {
  provider?: string | undefined;
  command?: string | undefined;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  worktree_mode: "use_existing" | "create_worktree";
  workdir?: string | undefined;
  worktree_repo?: string | undefined;
  worktree_ref?: string | undefined;
}

/** The states an agent is in. */
export const AGENT_STATUSES = [
  "created",
  "starting",
  "running",
  "idle",
  "busy",
  "exited",
  "failed",
  "stopped",
] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

const AGENT_STATUS_SET: ReadonlySet<string> = new Set(AGENT_STATUSES);

export function isAgentStatus(s: string): s is AgentStatus {
  return AGENT_STATUS_SET.has(s);
}

/** The states of a permission request. */
export const PERMISSION_STATUSES = ["pending", "resolved"] as const;
export type PermissionStatus = (typeof PERMISSION_STATUSES)[number];

/** A choice an agent offered with a permission request (ACP's options, in snake_case). */
export interface PermissionOption {
  option_id: string;
  name: string;
  kind: string;
}
