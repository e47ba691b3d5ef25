import type { McpServerSpec, SessionSettings } from "../domain/agent.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";

/**
 * What the hub needs from an agent node. The built-in `main` node implements it in-process and remote
 * nodes over TLS gRPC, so local and remote agents behave identically.
 */
export interface AgentLaunch extends SessionSettings {
  agent_id: string;
  name: string;
  /** A provider configured on the node (`[agents.providers.NAME]`, or the built-in `scripted`)... */
  provider?: string | undefined;
  /** ...or an explicit command. */
  command?: string | undefined;
  args?: readonly string[] | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  worktree_mode: "use_existing" | "create_worktree";
  workdir?: string | undefined;
  worktree_repo?: string | undefined;
  worktree_ref?: string | undefined;
  worktree_root?: string | undefined;
  /**
   * The agent's ACP session of its previous process, to restore with `session/load` when the agent
   * supports it (a fresh session otherwise, reported as context lost).
   */
  resume_session_id?: string | undefined;
}

/**
 * A member agent's actor credentials: its token and, in mTLS mode, its per-actor client certificate.
 * The hub renews them before they expire; the node rewrites the agent's credential files.
 */
export interface ActorCredentials {
  token: string;
  client_cert_pem?: string | undefined;
  client_key_pem?: string | undefined;
}

export type { AgentSessionInfo, McpServerSpec };

/** A started agent: where it runs and what its session offers (a node older than this field: none). */
export interface AgentStarted {
  workdir: string;
  session?: AgentSessionInfo | undefined;
}

export interface NodeInfo {
  node_id: string;
  version: string;
  hostname: string;
  running_agents: number;
  safe_paths: string[];
  worktree_root: string;
  /** The sandbox in force for this node's agents: bubblewrap, or none (agents see what the daemon sees). */
  isolation: AgentIsolation;
  /** The node's clock (ms since the epoch) when it answered; undefined from an older node. */
  now_ms?: number | undefined;
  /** What its worktree root holds; undefined from an older node. */
  worktrees?: WorktreeUsage | undefined;
}

/** A node's worktree root: worktrees in it, and their files' apparent size (measured at most a minute ago). */
export interface WorktreeUsage {
  count: number;
  bytes: number;
}

/** What became of one worktree a node was asked to remove (and of the branch agenthub created for it). */
export interface WorktreeRemoval {
  path: string;
  branch: string;
  /** The worktree is gone (removed now, or found gone). */
  removed: boolean;
  /** Why it was kept (when not removed): uncommitted changes, …; forcing removes it anyway. */
  kept_reason?: string | undefined;
  /** The branch was deleted: it had no commits beyond its base that another branch or tag lacks. */
  branch_deleted: boolean;
  /** Why the branch was kept (it holds commits), when it exists and was not deleted. */
  branch_kept_reason?: string | undefined;
}

export type AgentIsolation = "bwrap" | "none";

/** One event as the node recorded it: node-global `seq`, per-agent `agent_seq`. */
export interface NodeEvent {
  seq: number;
  agent_id: string;
  agent_seq: number;
  kind: string;
  at_ms: number;
  data: Record<string, unknown>;
}

export type PermissionOutcome = { option_id: string } | { cancelled: true };

export interface EventWatch {
  cancel(): void;
}

export interface NodeClient {
  info(deadlineMs?: number): Promise<NodeInfo>;
  /** Checks provider and workdir policy on the node without starting anything. */
  validateLaunch(launch: AgentLaunch): Promise<void>;
  startAgent(launch: AgentLaunch): Promise<AgentStarted>;
  stopAgent(agentId: string): Promise<void>;
  /** Queues one prompt turn; `turnId` makes a retried dispatch a no-op. */
  sendInput(agentId: string, text: string, turnId: string): Promise<void>;
  /**
   * Cancels `turnId` (queued or running), or whichever turn is running when omitted (then an agent with
   * no running turn is NO_RUNNING_TURN).
   */
  cancelTurn(agentId: string, turnId?: string): Promise<void>;
  respondPermission(agentId: string, requestId: string, outcome: PermissionOutcome): Promise<void>;
  /** Replays events after `fromSeq`, then streams live ones until canceled or the stream fails. */
  watchEvents(
    fromSeq: number,
    handlers: { onEvent: (e: NodeEvent) => void; onError: (err: Error) => void; onEnd: () => void },
  ): EventWatch;
  /**
   * Removes the worktrees the node created for `agentId` (stopped first); one holding unsaved work is
   * kept unless `force`. An older node that cannot answers UNIMPLEMENTED.
   */
  removeWorktrees(agentId: string, force: boolean): Promise<WorktreeRemoval[]>;
  /** The hub stored everything up to `seq`; the node may drop it. */
  ackEvents(upToSeq: number): Promise<void>;
  /** Replaces a running agent's actor credentials (its token file) without restarting it. */
  renewActorCredentials(agentId: string, credentials: ActorCredentials): Promise<void>;
  close(): void;
}
