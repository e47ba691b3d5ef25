import type { NodeClient, NodeInfo } from "../../src/contracts/node-client.js";

/**
 * A NodeClient for hub tests that only probe a node or watch its stream: `info` answers a healthy empty
 * node (override it, or any other method); the agent methods reject, since those tests never call them.
 */
export function fakeNodeClient(overrides: Partial<NodeClient> = {}): NodeClient {
  const unused = () => Promise.reject(new Error("not used by this fake node"));
  const info: NodeInfo = {
    node_id: "n1",
    version: "1",
    hostname: "h",
    running_agents: 0,
    safe_paths: [],
    worktree_root: "",
    isolation: "none",
  };
  return {
    info: async () => info,
    validateLaunch: unused,
    startAgent: unused,
    stopAgent: unused,
    sendInput: unused,
    cancelTurn: unused,
    respondPermission: unused,
    renewActorCredentials: unused,
    removeWorktrees: async () => [],
    watchEvents: () => ({ cancel: () => {} }),
    ackEvents: async () => {},
    close: () => {},
    ...overrides,
  };
}
