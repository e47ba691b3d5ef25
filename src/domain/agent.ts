/**
 * The vocabulary of agents as the hub stores them: what an agent runs (its spec), the states it is in,
 * and its permission requests' states and options. The store's CHECK constraints hold the same lists.
 */

/**
 * An MCP server (stdio) an agent's ACP session gets in `session/new`: the agent starts `command` with
 * `args` and `env` itself. `env` values are write-only in the API like an agent's own env.
 */
export interface McpServerSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A config option's value: a select option's value id, or a boolean option's state. */
export type ConfigOptionValue = string | boolean;

/**
 * How an agent's ACP session is set up after `session/new`: the mode, the model and config options
 * (checked against what the agent offers), and the MCP servers given in `session/new`.
 */
export interface SessionSettings {
  mode?: string | undefined;
  model?: string | undefined;
  config_options?: Record<string, ConfigOptionValue> | undefined;
  mcp_servers?: McpServerSpec[] | undefined;
}

/** What an agent runs and where; stored as the agent's spec. */
export interface AgentSpec extends SessionSettings {
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
