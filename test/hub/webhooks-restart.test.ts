import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { api, parseBanner } from "../helpers/hub-harness.js";
import { type CliProcess, spawnCli } from "../helpers/spawn-cli.js";
import { diamondSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { type Receiver, startReceiver, verified } from "../helpers/webhook-receiver.js";

const procs: CliProcess[] = [];
let dir: ReturnType<typeof tempDir> | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  for (const p of procs.splice(0)) await p.kill("SIGKILL");
  await rx?.close();
  rx = undefined;
  dir?.cleanup();
  dir = undefined;
});

/** A real `agenthub serve` process on port 0 in `home`; resolves with its REST URL. */
async function serve(home: string): Promise<{ proc: CliProcess; url: string }> {
  const proc = spawnCli(["serve"], {
    PATH: process.env.PATH,
    HOME: home,
    AGENTHUB_HOME: join(home, ".agenthub"),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    // Port 0 gives each start another address: the console links must not depend on it.
    AGENTHUB_SERVER_PUBLIC_URL: "https://hub.example.test",
  });
  procs.push(proc);
  const [, url] = await proc.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
  return { proc, url: url! };
}

type Payload = { type: string; data: { run: { id: string } } };

describe("webhook deliveries across a hub crash", () => {
  it("attempts in flight when the hub is killed (-9) are made again after restart, under the same webhook-id", async () => {
    dir = tempDir();
    // The receiver takes the first attempts and never answers them: they are in flight at the kill.
    rx = await startReceiver(() => "hang");
    const first = await serve(dir.path);
    await first.proc.waitFor(/pin:\s+\d{6}/);
    const { join_token, pin } = parseBanner(first.proc.stderr());
    const joined = await api<{ token: string }>(first.url, "POST", "/api/join", {
      body: { join_token, pin, username: "root", password: "long enough pw" },
    });
    const token = joined.body.token;
    const call = <T>(url: string, method: string, path: string, body?: unknown) =>
      api<T>(url, method, path, { token, body });
    const hook = await call<{ id: string; secret: string }>(first.url, "POST", "/api/webhooks", {
      url: rx.url,
    });
    expect(hook.status).toBe(201);
    const team = await call<{ id: string }>(first.url, "POST", "/api/teams", {
      name: "t",
      spec: diamondSpec(),
    });
    const runs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await call<{ id: string }>(first.url, "POST", `/api/teams/${team.body.id}/runs`, {
        input: { i },
      });
      expect((await call(first.url, "POST", `/api/runs/${run.body.id}/cancel`)).status).toBe(200);
      runs.push(run.body.id);
    }
    const before = await rx.next(2);
    const idsBefore = before.map((r) => r.headers["webhook-id"]);

    first.proc.child.kill("SIGKILL");
    expect(await first.proc.exit).toBeNull();
    rx.answer(() => 200);
    const second = await serve(dir.path);

    const all = await rx.next(4);
    expect(new Set(all.slice(2).map((r) => r.headers["webhook-id"]))).toEqual(new Set(idsBefore));
    // One webhook-id per event, one body per webhook-id, every attempt signed.
    const idOfRun = new Map<string, Set<string>>();
    const bodyOfId = new Map<string, Set<string>>();
    for (const r of all) {
      const p = verified(hook.body.secret, r) as Payload;
      expect(p.type).toBe("run.canceled");
      const id = r.headers["webhook-id"]!;
      idOfRun.set(p.data.run.id, (idOfRun.get(p.data.run.id) ?? new Set()).add(id));
      bodyOfId.set(id, (bodyOfId.get(id) ?? new Set()).add(r.body));
    }
    expect([...idOfRun.keys()].sort()).toEqual([...runs].sort());
    for (const ids of idOfRun.values()) expect(ids.size).toBe(1);
    for (const bodies of bodyOfId.values()) expect(bodies.size).toBe(1);

    type Delivery = { id: string; status: string; attempts: number; last_error: string | null };
    const deliveries = await waitUntil("both deliveries recorded as delivered", async () => {
      const r = await call<{ deliveries: Delivery[] }>(
        second.url,
        "GET",
        `/api/webhooks/${hook.body.id}/deliveries`,
      );
      return r.body.deliveries.every((d) => d.status === "delivered") && r.body.deliveries;
    });
    expect(deliveries.map((d) => d.id).sort()).toEqual([...idsBefore].sort());
    for (const d of deliveries) expect(d).toMatchObject({ attempts: 2, last_error: null });
    expect(rx.got).toHaveLength(4);
  });
});
