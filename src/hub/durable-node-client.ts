import type { NodeClient } from "../contracts/node-client.js";

/**
 * A node client whose calls wait until the hub's writes so far are on disk (`durable`, the group
 * commit) before they go out: a node never acts on, or forgets acknowledged events because of, a
 * state a crash could still undo. The event stream (a read) starts at once.
 */
export function durableNodeClient(client: NodeClient, durable: () => Promise<void> | undefined): NodeClient {
  const after = async <T>(call: () => Promise<T>): Promise<T> => {
    const gate = durable();
    if (gate) await gate;
    return call();
  };
  return {
    info: (deadlineMs) => after(() => client.info(deadlineMs)),
    validateLaunch: (launch) => after(() => client.validateLaunch(launch)),
    startAgent: (launch) => after(() => client.startAgent(launch)),
    stopAgent: (agentId) => after(() => client.stopAgent(agentId)),
    sendInput: (agentId, text, turnId) => after(() => client.sendInput(agentId, text, turnId)),
    cancelTurn: (agentId, turnId) => after(() => client.cancelTurn(agentId, turnId)),
    respondPermission: (agentId, requestId, outcome) =>
      after(() => client.respondPermission(agentId, requestId, outcome)),
    watchEvents: (fromSeq, handlers) => client.watchEvents(fromSeq, handlers),
    ackEvents: (upToSeq) => after(() => client.ackEvents(upToSeq)),
    removeWorktrees: (agentId, force) => after(() => client.removeWorktrees(agentId, force)),
    renewActorCredentials: (agentId, credentials) =>
      after(() => client.renewActorCredentials(agentId, credentials)),
    close: () => client.close(),
  };
}
