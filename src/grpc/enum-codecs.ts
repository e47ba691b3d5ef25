import type { NodeAgentState } from "../contracts/agent-states.js";
import type { AgentLaunch } from "../contracts/node-client.js";
import type { Route as RouteName } from "../domain/mailbox-routing.js";
import type { TaskStatus as TaskState } from "../domain/task-state.js";
import type { MemberSpec } from "../domain/team-spec.js";
import { DeliveryStatus, MemberRole, Route, TaskStatus } from "../gen/agenthub/internal/v1/authority_pb.js";
import { AgentState, WorktreeMode } from "../gen/agenthub/internal/v1/node_pb.js";
import type { DeliveryStatus as DeliveryName } from "../store/mailbox-repo.js";

/**
 * One proto enum and the names the rest of the code uses for its values. `encode` is total over the
 * names; `decode` answers undefined for `*_UNSPECIFIED` and for values this build does not know (a
 * newer peer), so each caller decides what a missing value means.
 */
export interface EnumCodec<N extends string, E extends number> {
  /** Every name, in the enum's order. */
  readonly names: readonly N[];
  /** Whether `name` is one of the names (for text read from storage or a flag). */
  has(name: string): name is N;
  encode(name: N): E;
  decode(value: E | number): N | undefined;
}

function enumCodec<N extends string, E extends number>(byName: Readonly<Record<N, E>>): EnumCodec<N, E> {
  const names = Object.keys(byName) as N[];
  const byValue = new Map<number, N>(names.map((n) => [byName[n], n]));
  if (byValue.size !== names.length) throw new Error("an enum codec maps two names to one value");
  return {
    names,
    has: (name): name is N => Object.hasOwn(byName, name),
    encode: (name) => byName[name],
    decode: (value) => byValue.get(value),
  };
}

/** Mailbox routes (`agenthub actor send`). */
export const routeCodec = enumCodec<RouteName, Route>({
  broadcast: Route.BROADCAST,
  to_leader: Route.TO_LEADER,
  to_member: Route.TO_MEMBER,
});

/** Team task statuses. */
export const taskStatusCodec = enumCodec<TaskState, TaskStatus>({
  open: TaskStatus.OPEN,
  in_progress: TaskStatus.IN_PROGRESS,
  in_review: TaskStatus.IN_REVIEW,
  completed: TaskStatus.COMPLETED,
  canceled: TaskStatus.CANCELED,
});

/** A mailbox message's delivery to one recipient. */
export const deliveryStatusCodec = enumCodec<DeliveryName, DeliveryStatus>({
  pending: DeliveryStatus.PENDING,
  delivered: DeliveryStatus.DELIVERED,
  acked: DeliveryStatus.ACKED,
});

/** A member's role in its team. */
export const memberRoleCodec = enumCodec<MemberSpec["role"], MemberRole>({
  leader: MemberRole.LEADER,
  worker: MemberRole.WORKER,
});

/** How a node chooses an agent's working directory. */
export const worktreeModeCodec = enumCodec<AgentLaunch["worktree_mode"], WorktreeMode>({
  use_existing: WorktreeMode.USE_EXISTING,
  create_worktree: WorktreeMode.CREATE_WORKTREE,
});

/** The state of an agent a node runs. */
export const agentStateCodec = enumCodec<NodeAgentState, AgentState>({
  starting: AgentState.STARTING,
  running: AgentState.RUNNING,
  idle: AgentState.IDLE,
  busy: AgentState.BUSY,
  exited: AgentState.EXITED,
  failed: AgentState.FAILED,
  stopped: AgentState.STOPPED,
});
