import type {
  ActorCredentials,
  AgentLaunch,
  EventWatch,
  NodeClient,
  NodeEvent,
  NodeInfo,
  PermissionOutcome,
  WorktreeRemoval,
} from "../contracts/node-client.js";
import type { NodeRuntime } from "../node/node-runtime.js";

/** The built-in `main` node: the same NodeRuntime a remote node serves, called in-process. */
export class LocalNodeClient implements NodeClient {
  constructor(private readonly runtime: NodeRuntime) {}

  async info(): Promise<NodeInfo> {
    return this.runtime.info();
  }

  async validateLaunch(launch: AgentLaunch): Promise<void> {
    await this.runtime.validate(launch);
  }

  startAgent(launch: AgentLaunch): Promise<{ workdir: string }> {
    return this.runtime.startAgent(launch);
  }

  stopAgent(agentId: string): Promise<void> {
    return this.runtime.stopAgent(agentId);
  }

  async sendInput(agentId: string, text: string, turnId: string): Promise<void> {
    this.runtime.sendInput(agentId, text, turnId);
  }

  cancelTurn(agentId: string, turnId?: string): Promise<void> {
    return this.runtime.cancelTurn(agentId, turnId);
  }

  async respondPermission(agentId: string, requestId: string, outcome: PermissionOutcome): Promise<void> {
    this.runtime.respondPermission(agentId, requestId, outcome);
  }

  watchEvents(
    fromSeq: number,
    handlers: { onEvent: (e: NodeEvent) => void; onError: (err: Error) => void; onEnd: () => void },
  ): EventWatch {
    const unsubscribe = this.runtime.watch(fromSeq, handlers.onEvent);
    return { cancel: unsubscribe };
  }

  removeWorktrees(agentId: string, force: boolean): Promise<WorktreeRemoval[]> {
    return this.runtime.removeWorktrees(agentId, force);
  }

  async ackEvents(upToSeq: number): Promise<void> {
    this.runtime.ack(upToSeq);
  }

  async renewActorCredentials(agentId: string, credentials: ActorCredentials): Promise<void> {
    this.runtime.renewActorCredentials(agentId, credentials);
  }

  close(): void {}
}
