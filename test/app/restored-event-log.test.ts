import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, type Harness, startHub, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

// A database restored without the built-in node's event log (a Litestream replica on a fresh machine)
// has seen event seqs the new log would hand out again: the hub must number new events after them.

let work: ReturnType<typeof tempDir>;
let first: Awaited<ReturnType<typeof startHubWithRoot>>;
let second: Harness | undefined;

beforeEach(async () => {
  work = tempDir();
  mkdirSync(join(work.path, "app"), { recursive: true });
  first = await startHubWithRoot({ safe_paths: [work.path] });
});
afterEach(async () => {
  await second?.close();
  second = undefined;
  await first.close();
  work.cleanup();
});

type Agent = { id: string; status: string };

async function waitStatus(url: string, token: string, id: string, status: string): Promise<void> {
  await waitUntil(`agent ${id} ${status}`, async () => {
    const r = await api<Agent>(url, "GET", `/api/agents/${id}`, { token });
    return r.body.status === status;
  });
}

describe("a hub whose main event log is behind its database", () => {
  it("numbers main's new events after the database's, so its agents work", async () => {
    const call = (method: string, path: string, body?: unknown) =>
      api<Agent>(first.url, method, path, { token: first.rootToken, body });
    const agent = (
      await call("POST", "/api/agents", { name: "a", provider: "scripted", workdir: join(work.path, "app") })
    ).body;
    expect((await call("POST", `/api/agents/${agent.id}/start`)).status).toBe(200);
    await waitStatus(first.url, first.rootToken, agent.id, "idle");
    await call("POST", `/api/agents/${agent.id}/stop`);
    await first.hub.stop();

    // The restored data dir has the database but not main's event log.
    rmSync(join(first.home, "node-main", "events"), { recursive: true, force: true });
    second = await startHub({ safe_paths: [work.path] }, first.home);
    expect(second.logs()).toContain("event log was behind the database");
    const login = await api<{ token: string }>(second.url, "POST", "/api/login", {
      body: { username: "root", password: first.rootPassword },
    });
    const token = login.body.token;
    expect((await api(second.url, "POST", `/api/agents/${agent.id}/start`, { token })).status).toBe(200);
    await waitStatus(second.url, token, agent.id, "idle");
  });
});
