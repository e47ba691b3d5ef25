import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { NodeClient, NodeEvent } from "../../src/contracts/node-client.js";
import { AgentEventBus } from "../../src/hub/agent-event-bus.js";
import { NodeRegistry } from "../../src/hub/node-registry.js";
import { openDatabase } from "../../src/store/database.js";
import { systemClock } from "../../src/util/clock.js";
import { createLogger } from "../../src/util/logger.js";
import { fakeNodeClient } from "../helpers/fake-node-client.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const WEDGE = "8 RESOURCE_EXHAUSTED: Received message larger than max (17826000 vs 16777216)";

/** A node whose event stream fails at once (`wedged`) or delivers one event and stays open. */
function fakeNode(mode: { wedged: boolean }): NodeClient {
  return fakeNodeClient({
    watchEvents(from, h) {
      let live = true;
      setImmediate(() => {
        if (!live) return;
        if (mode.wedged) h.onError(new Error(WEDGE));
        else {
          const e: NodeEvent = {
            seq: from + 1,
            agent_id: "gone",
            agent_seq: 1,
            kind: "status",
            at_ms: 1,
            data: {},
          };
          h.onEvent(e);
        }
      });
      return { cancel: () => (live = false) };
    },
  });
}

/** Resolves with the first log line matching `re`. */
function logLine(out: PassThrough, re: RegExp): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let buf = "";
    const onData = (c: Buffer) => {
      buf += c.toString();
      for (const line of buf.split("\n")) {
        if (re.test(line)) {
          out.off("data", onData);
          resolve(JSON.parse(line) as Record<string, unknown>);
          return;
        }
      }
    };
    out.on("data", onData);
  });
}

describe("a node whose event stream keeps failing", () => {
  it("is shown degraded with the cause (warn), stays degraded while probes pass, and is online once the stream works", async () => {
    const dir = tempDir("agenthub-degraded-");
    cleanups.push(dir.cleanup);
    const db = openDatabase(join(dir.path, "hub.db"));
    cleanups.push(() => db.close());
    const out = new PassThrough();
    const mode = { wedged: true };
    const registry = new NodeRegistry({
      db,
      clock: systemClock,
      logger: createLogger({ level: "debug", format: "json", destination: out }),
      bus: new AgentEventBus(),
      mainClient: fakeNode({ wedged: false }),
      connect: () => fakeNode(mode),
      probeIntervalMs: 3_600_000,
      offlineGraceMs: 3_600_000,
      onEvents: () => {},
    });
    registry.start();
    cleanups.push(() => registry.stop());
    const warned = logLine(out, /agent node degraded/);
    await registry.register({ id: "n1", grpc_target: "127.0.0.1:1" });
    const warn = await warned;
    expect(warn).toMatchObject({ level: 40, node_id: "n1", cause: WEDGE, failures: 3 });
    expect(registry.get("n1")).toMatchObject({
      status: "degraded",
      last_error: `event stream failing: ${WEDGE}`,
    });
    expect(registry.get("main").status).toBe("online");

    // Probes still answer: the node stays degraded (not flipped back to online by a probe).
    expect((await registry.probe("n1")).node.status).toBe("degraded");

    mode.wedged = false;
    const recovered = logLine(out, /online again/);
    await registry.probe("n1"); // reconnects now instead of after the backoff
    await recovered;
    expect(registry.get("n1")).toMatchObject({ status: "online", last_error: null });
    expect((await registry.probe("n1")).node.status).toBe("online");
  });
});
