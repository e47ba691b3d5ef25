import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { NodeClient } from "../../src/contracts/node-client.js";
import type { TeamSpec } from "../../src/domain/team-spec.js";
import { AgentEventBus } from "../../src/hub/agent-event-bus.js";
import { NodeRegistry } from "../../src/hub/node-registry.js";
import { Notifications } from "../../src/hub/notifications.js";
import { RunEventLog } from "../../src/hub/run-service.js";
import { openDatabase } from "../../src/store/database.js";
import { TeamsRepo } from "../../src/store/teams-repo.js";
import { systemClock } from "../../src/util/clock.js";
import { createLogger } from "../../src/util/logger.js";
import { fakeNodeClient } from "../helpers/fake-node-client.js";
import { tempDir } from "../helpers/temp-dir.js";
import { type Receiver, startReceiver, verified } from "../helpers/webhook-receiver.js";

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A node that answers probes while `reachable.ok`; its event stream stays quiet. */
function fakeNode(reachable: { ok: boolean }): NodeClient {
  const healthy = fakeNodeClient();
  return fakeNodeClient({
    info: async () => {
      if (!reachable.ok) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: 14 });
      return healthy.info();
    },
  });
}

function spec(nodeId: string): TeamSpec {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [{ member_id: "lead", role: "leader", description: "", skills: [], agent: { node_id: nodeId } }],
    permissions: { route: "to_leader" },
  };
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanups.push(() => r.close());
  return r;
}

type Payload = { type: string; data: { node: Record<string, unknown> } };

describe("node status notifications", () => {
  it("a node going offline and coming back is node.offline then node.online, to global webhooks and teams using it", async () => {
    const dir = tempDir("agenthub-node-hooks-");
    cleanups.push(dir.cleanup);
    const db = openDatabase(join(dir.path, "hub.db"));
    cleanups.push(() => {
      db.close();
    });
    db.prepare(
      "INSERT INTO users (id, username, password_hash, is_root, created_at) VALUES ('u1', 'root', 'x', 1, 0)",
    ).run();
    const teams = new TeamsRepo(db);
    for (const [id, node] of [
      ["team_n1", "n1"],
      ["team_main", "main"],
    ] as const) {
      teams.create({
        id,
        owner_id: "u1",
        name: id,
        spec: spec(node),
        version: 1,
        created_at: 0,
        updated_at: 0,
      });
    }
    const logger = createLogger({ level: "silent", format: "json", destination: new PassThrough() });
    const notifications = new Notifications(db, systemClock, teams, new RunEventLog(db), {
      logger,
      publicUrl: () => "https://hub.example.test",
      allowPrivateTargets: false,
      retentionMs: 86_400_000,
    });
    notifications.start();
    cleanups.push(() => notifications.stop());
    const root = { user_id: "u1", username: "root", is_root: true };
    const [globalRx, n1Rx, mainRx] = [await receiver(), await receiver(), await receiver()];
    const globalHook = await notifications.webhooks.create(root, { url: globalRx.url });
    const n1Hook = await notifications.webhooks.create(root, { url: n1Rx.url, teamId: "team_n1" });
    const mainHook = await notifications.webhooks.create(root, { url: mainRx.url, teamId: "team_main" });

    const reachable = { ok: true };
    const registry = new NodeRegistry({
      db,
      clock: systemClock,
      logger,
      bus: new AgentEventBus(),
      mainClient: fakeNode({ ok: true }),
      connect: () => fakeNode(reachable),
      probeIntervalMs: 3_600_000,
      offlineGraceMs: 0,
      onEvents: () => {},
      onStatusChange: (c) => notifications.onNodeStatus(c),
    });
    registry.start();
    cleanups.push(() => registry.stop());
    await registry.register({ id: "n1", name: "builder", grpc_target: "127.0.0.1:1" });

    reachable.ok = false;
    expect((await registry.probe("n1")).node.status).toBe("offline");
    // Still offline: no second notification.
    await registry.probe("n1");
    await Promise.all([globalRx.next(1), n1Rx.next(1)]);
    reachable.ok = true;
    expect((await registry.probe("n1")).node.status).toBe("online");

    const got = await globalRx.next(2);
    const payloads = got.map((r) => verified(globalHook.secret, r) as Payload);
    expect(payloads.map((p) => p.type)).toEqual(["node.offline", "node.online"]);
    expect(payloads[0]!.data.node).toEqual({
      id: "n1",
      name: "builder",
      status: "offline",
      previous_status: "online",
      last_error: expect.stringContaining("ECONNREFUSED"),
      url: "https://hub.example.test/nodes/n1",
    });
    expect(payloads[1]!.data.node).toMatchObject({
      status: "online",
      previous_status: "offline",
      last_error: null,
    });
    const teamGot = await n1Rx.next(2);
    expect(teamGot.map((r) => (verified(n1Hook.secret, r) as Payload).type)).toEqual([
      "node.offline",
      "node.online",
    ]);
    // The team on `main` does not hear of n1.
    expect(notifications.webhooks.deliveries(root, mainHook.webhook.id, {}).deliveries).toEqual([]);
    expect(mainRx.got).toEqual([]);
  });
});
