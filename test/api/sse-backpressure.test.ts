import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { type IncomingMessage, request } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredAgentEvent } from "../../src/hub/agent-event-bus.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";

const BOUND = 256 * 1024;
// Chunked-encoding framing and the heartbeat may pass the bound by a few bytes.
const SLACK = 4096;

let h: Awaited<ReturnType<typeof startHubWithRoot>> | undefined;
let work: ReturnType<typeof tempDir> | undefined;
const clients: StalledClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await h?.close();
  h = undefined;
  work?.cleanup();
  work = undefined;
});

/**
 * An SSE client on a plain HTTP/1.1 connection that stops reading once the stream is open: the
 * response is paused, so Node stops reading its socket and the hub's writes pile up.
 */
interface StalledClient {
  res: IncomingMessage;
  /** Reads what is left (what the kernel still held when the hub cut the connection) to its end. */
  readRest(): Promise<{ ids: number[]; complete: boolean }>;
  destroy(): void;
}

async function stalledClient(url: string, path: string, token: string): Promise<StalledClient> {
  const { hostname, port } = new URL(url);
  const req = request({
    host: hostname,
    port,
    path,
    agent: false,
    headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
  });
  // The hub cutting the stream surfaces as "aborted" on both; readRest reports it.
  req.on("error", () => undefined);
  req.end();
  const [res] = (await once(req, "response")) as [IncomingMessage];
  expect(res.statusCode).toBe(200);
  res.on("error", () => undefined);
  let text = "";
  res.setEncoding("utf8");
  // Wait for the connected comment, then never read again (until readRest).
  await new Promise<void>((resolve) => {
    const onData = (chunk: string) => {
      text += chunk;
      if (text.includes(": connected\n\n")) {
        res.off("data", onData);
        res.pause();
        resolve();
      }
    };
    res.on("data", onData);
  });
  const client: StalledClient = {
    res,
    readRest: async () => {
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      // The hub cut the stream: the body ends before its last chunk (aborted), or plainly.
      // A cut connection's kernel buffers may already be gone (a reset): what was read is what counts.
      const closed = res.closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => res.once("close", () => resolve()));
      res.resume();
      await closed;
      return { ids: frameIds(text), complete: res.complete };
    },
    destroy: () => {
      req.destroy();
      res.destroy();
    },
  };
  clients.push(client);
  return client;
}

/** The ids of the complete frames in a text (a frame cut by the disconnect is not counted). */
function frameIds(text: string): number[] {
  const ids: number[] = [];
  const blocks = text.split("\n\n");
  blocks.pop(); // incomplete (or empty) tail
  for (const b of blocks) {
    const m = /^id: (\d+)$/m.exec(b);
    if (m && /^data: /m.test(b)) ids.push(Number(m[1]));
  }
  return ids;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("SSE back-pressure", () => {
  it("run events: 20 clients that never read are cut at the bound; a client resumes from the database exactly once", async () => {
    h = await startHubWithRoot({ server: { sse_max_buffered_bytes: BOUND } });
    const hub = h.hub;
    const team = await api<{ id: string }>(h.url, "POST", "/api/teams", {
      token: h.rootToken,
      body: { name: "t", spec: singleSpec() },
    });
    const run = await api<{ id: string }>(h.url, "POST", `/api/teams/${team.body.id}/runs`, {
      token: h.rootToken,
      body: { input: { goal: "x" } },
    });
    expect(run.status).toBe(201);
    const runId = run.body.id;
    const log = hub.services.runs.events;
    const listenersBefore = log.listenerCount("appended");

    const stalled: StalledClient[] = [];
    for (let i = 0; i < 20; i++) {
      stalled.push(await stalledClient(h.url, `/api/runs/${runId}/events`, h.rootToken));
    }
    expect(hub.sse.stats().open).toBe(20);
    expect(log.listenerCount("appended")).toBe(listenersBefore + 20);

    // 16 KiB events, 20 per tick, until the hub has cut every stalled client (the kernel's socket
    // buffers take a few MiB each first). Each round the hub's per-client buffer stays in the bound.
    const blob = "x".repeat(16 * 1024);
    let appended = 0;
    while (hub.sse.stats().dropped < 20) {
      expect(appended).toBeLessThan(3000);
      for (let i = 0; i < 20; i++)
        log.append(runId, "mailbox.sent", null, { n: appended++, blob }, Date.now());
      await tick();
      await tick();
      const s = hub.sse.stats();
      for (const b of s.buffered) expect(b).toBeLessThanOrEqual(BOUND + SLACK);
    }
    const stats = hub.sse.stats();
    expect(stats.open).toBe(0);
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(BOUND + SLACK);
    // Nothing of the cut streams is left subscribed.
    expect(log.listenerCount("appended")).toBe(listenersBefore);

    // The client reads what reached it before the cut, then resumes with Last-Event-ID.
    const rest = await stalled[0]!.readRest();
    expect(rest.complete).toBe(false);
    expect(rest.ids.length).toBeGreaterThan(0);
    const all = log.page(runId, 0, 1_000_000).map((e) => e.seq);
    const lastSeq = all.at(-1)!;
    const resumed = await openSse(`${h.url}/api/runs/${runId}/events`, {
      authorization: `Bearer ${h.rootToken}`,
      "last-event-id": String(rest.ids.at(-1)),
    });
    await resumed.next((e) => Number(e.id) === lastSeq);
    // A live append after the replay arrives too.
    const late = log.append(runId, "mailbox.sent", null, { late: true }, Date.now());
    await resumed.next((e) => Number(e.id) === late.seq);
    await resumed.close();
    expect([...rest.ids, ...resumed.events.map((e) => Number(e.id))]).toEqual([...all, late.seq]);
    // The resumed client replayed a backlog of MiBs at its own pace without being cut.
    expect(hub.sse.stats().dropped).toBe(20);
  });

  it("agent events: stalled clients are cut while a scripted agent floods; a reader resumes exactly once", async () => {
    work = tempDir();
    const safe = join(work.path, "projects");
    mkdirSync(join(safe, "app"), { recursive: true });
    h = await startHubWithRoot({ safe_paths: [safe], server: { sse_max_buffered_bytes: BOUND } });
    const hub = h.hub;
    const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      api<T>(h!.url, method, path, { token: h!.rootToken, body });
    const created = await call<{ id: string }>("POST", "/api/agents", {
      name: "flood",
      provider: "scripted",
      workdir: join(safe, "app"),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call("POST", `/api/agents/${id}/start`)).status).toBe(200);

    const listenersBefore = hub.bus.listenerCount("event");
    const stalled: StalledClient[] = [];
    for (let i = 0; i < 6; i++)
      stalled.push(await stalledClient(h.url, `/api/agents/${id}/events`, h.rootToken));
    expect(hub.sse.stats().open).toBe(6);

    // 160 messages of 60 KB (9.6 MB): more than the kernel's socket buffers (~4 MiB) and the bound of
    // any stalled client.
    const turnEnded = new Promise<StoredAgentEvent>((resolve) => {
      const on = (e: StoredAgentEvent) => {
        if (e.agent_id === id && e.kind === "turn_ended") {
          hub.bus.off("event", on);
          resolve(e);
        }
      };
      hub.bus.on("event", on);
    });
    const input = await call("POST", `/api/agents/${id}/input`, {
      text: Array.from({ length: 160 }, () => "emit-bytes 60000").join("\n"),
    });
    expect(input.status).toBe(202);
    const ended = await turnEnded;

    const stats = hub.sse.stats();
    expect(stats.dropped).toBe(6);
    expect(stats.open).toBe(0);
    expect(hub.bus.listenerCount("event")).toBe(listenersBefore);

    const rest = await stalled[0]!.readRest();
    expect(rest.complete).toBe(false);
    const stored = () => hub.agents.repo.events(id, 0, 1_000_000).map((e) => e.seq);
    const all = stored();
    expect(all).toContain(ended.seq);
    const resumed = await openSse(`${h.url}/api/agents/${id}/events`, {
      authorization: `Bearer ${h.rootToken}`,
      "last-event-id": String(rest.ids.at(-1) ?? 0),
    });
    await resumed.next((e) => Number(e.id) === all.at(-1));
    await resumed.close();
    // Every stored event exactly once, in order (the agent may have stored one more since).
    const got = [...rest.ids, ...resumed.events.map((e) => Number(e.id))];
    expect(got.length).toBeGreaterThanOrEqual(all.length);
    expect(got).toEqual(stored().slice(0, got.length));
    expect(hub.sse.stats().dropped).toBe(6);
    // A frame larger than the bound is written only into an empty buffer (the node merges message
    // chunks into events of up to 1 MiB): what a stream held never passed the larger of the two.
    const largest = Math.max(
      ...hub.agents.repo.events(id, 0, 1_000_000).map((e) => Buffer.byteLength(JSON.stringify(e.data))),
    );
    expect(hub.sse.stats().peakBufferedBytes).toBeLessThanOrEqual(Math.max(BOUND, largest) + SLACK);
  });
});
