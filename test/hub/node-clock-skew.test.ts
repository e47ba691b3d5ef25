import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { NodeClient } from "../../src/contracts/node-client.js";
import { AgentEventBus } from "../../src/hub/agent-event-bus.js";
import { NodeRegistry } from "../../src/hub/node-registry.js";
import { openDatabase } from "../../src/store/database.js";
import { createLogger } from "../../src/util/logger.js";
import { fakeNodeClient } from "../helpers/fake-node-client.js";
import { FakeClock } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A node answering probes with its clock at `nodeNow()` (undefined: an older node without one). */
function fakeNode(nodeNow: () => number | undefined, fail = { now: false }): NodeClient {
  const healthy = fakeNodeClient();
  return fakeNodeClient({
    info: async () => {
      if (fail.now) throw new Error("14 UNAVAILABLE: connect ECONNREFUSED");
      return { ...(await healthy.info()), now_ms: nodeNow() };
    },
  });
}

describe("a node's clock skew", () => {
  it("is the node's clock minus the hub's at each successful probe, and unknown when it cannot be asked", async () => {
    const dir = tempDir("agenthub-skew-");
    cleanups.push(dir.cleanup);
    const db = openDatabase(join(dir.path, "hub.db"));
    cleanups.push(() => db.close());
    const clock = new FakeClock();
    const fail = { now: false };
    let ahead: number | undefined = 45_000;
    const registry = new NodeRegistry({
      db,
      clock,
      logger: createLogger({ level: "silent", format: "json" }),
      bus: new AgentEventBus(),
      mainClient: fakeNode(() => clock.now()),
      connect: () => fakeNode(() => (ahead === undefined ? undefined : clock.now() + ahead), fail),
      probeIntervalMs: 3_600_000,
      offlineGraceMs: 0,
      onEvents: () => {},
    });
    registry.start();
    cleanups.push(() => registry.stop());
    await registry.register({ id: "n1", grpc_target: "127.0.0.1:1" });

    expect((await registry.probe("main")).clock_skew_ms).toBe(0);
    expect((await registry.probe("n1")).clock_skew_ms).toBe(45_000);
    ahead = -2_500;
    expect((await registry.probe("n1")).clock_skew_ms).toBe(-2_500);
    fail.now = true;
    expect(await registry.probe("n1")).toMatchObject({ clock_skew_ms: null, node: { status: "offline" } });
    fail.now = false;
    ahead = undefined;
    expect(await registry.probe("n1")).toMatchObject({ clock_skew_ms: null, node: { status: "online" } });
  });
});
