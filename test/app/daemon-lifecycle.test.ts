import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { DaemonLifecycle } from "../../src/app/daemon-lifecycle.js";
import { compileHubOptions } from "../../src/app/hub-options.js";
import { compileNodeOptions } from "../../src/app/node-options.js";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/util/logger.js";
import { FakeClock } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";

function captured() {
  const sink = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  sink.on("data", (c: Buffer) => {
    for (const l of c.toString("utf8").split("\n")) if (l) lines.push(JSON.parse(l));
  });
  const logger = createLogger({ level: "debug", format: "json", destination: sink });
  return { logger: logger.child({ component: "hub" }), lines };
}

describe("daemon lifecycle", () => {
  it("logs every transition with where it came from, and stamps it with the clock", async () => {
    const { logger, lines } = captured();
    const clock = new FakeClock();
    const l = new DaemonLifecycle("hub", logger, clock);
    expect(l.state).toEqual({ status: "created" });
    l.set({ status: "starting" });
    clock.advance(250);
    l.set({ status: "running", address: "http://127.0.0.1:1" }, { url: "http://127.0.0.1:1" });
    expect(l.state).toEqual({ status: "running", since: clock.now(), address: "http://127.0.0.1:1" });
    l.set({ status: "stopping" });
    l.set({ status: "stopped" });
    await new Promise((r) => setImmediate(r));
    expect(lines.map((x) => [x.component, x.from, x.state, x.msg])).toEqual([
      ["hub", "created", "starting", "hub starting"],
      ["hub", "starting", "running", "hub listening"],
      ["hub", "running", "stopping", "hub stopping"],
      ["hub", "stopping", "stopped", "hub stopped"],
    ]);
    expect(lines[1]).toMatchObject({ level: 30, url: "http://127.0.0.1:1" });
  });

  it("refuses an illegal transition and logs a failed start at error with its cause", async () => {
    const { logger, lines } = captured();
    const l = new DaemonLifecycle("node", logger, new FakeClock());
    expect(() => l.set({ status: "running", address: "x" })).toThrow(
      "node cannot go from created to running",
    );
    l.set({ status: "starting" });
    l.set({ status: "failed", error: "address already in use" });
    expect(() => l.set({ status: "starting" })).toThrow("node cannot go from failed to starting");
    l.set({ status: "stopping" });
    l.set({ status: "stopped" });
    expect(() => l.set({ status: "stopping" })).toThrow("node cannot go from stopped to stopping");
    await new Promise((r) => setImmediate(r));
    expect(lines[1]).toMatchObject({ level: 50, state: "failed", error: "address already in use" });
  });
});

describe("compiled options", () => {
  it("hub and node options carry durations in ms, compiled once and frozen", () => {
    const dir = tempDir();
    try {
      const config = loadConfig({
        env: {
          AGENTHUB_HOME: dir.path,
          HOME: dir.path,
          AGENTHUB_SERVER_LISTEN: "[::1]:8081",
          AGENTHUB_PERMISSIONS_REVIEW_TIMEOUT_SECONDS: "7",
        },
      });
      const hub = compileHubOptions(config);
      expect(hub.server).toMatchObject({ host: "::1", port: 8081, sessionTtlMs: 12 * 3_600_000 });
      expect(hub.reviewTimeoutMs).toBe(7_000);
      expect(hub.nodes).toEqual({ probeIntervalMs: 5_000, offlineGraceMs: 15_000 });
      expect(hub.history.retentionMs).toBe(5 * 86_400_000);
      expect(hub.mainNode.worktreeRetentionMs).toBe(7 * 86_400_000);
      expect(hub.internalGrpc).toMatchObject({ tokenTtlMs: 86_400_000, clockSkewMs: 30_000 });
      expect(Object.isFrozen(hub) && Object.isFrozen(hub.server) && Object.isFrozen(hub.internalGrpc)).toBe(
        true,
      );
      const node = compileNodeOptions(config);
      expect(node).toMatchObject({ nodeId: "node-01", audience: "agenthub-internal/node/node-01" });
      expect(node.clockSkewMs).toBe(30_000);
      expect(node.runtime.worktreeRetentionMs).toBe(7 * 86_400_000);
      expect(Object.isFrozen(node.runtime)).toBe(true);
    } finally {
      dir.cleanup();
    }
  });
});
