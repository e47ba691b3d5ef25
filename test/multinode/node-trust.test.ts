import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  joinRoot,
  type NodeProc,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let procs: (HubProc | NodeProc)[] = [];
afterEach(async () => {
  for (const p of procs.reverse()) expect(await p.proc.kill("SIGTERM")).toBe(0);
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = [];
});

/** A temp dir removed after the test. */
function scratch(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

async function hubAt(): Promise<{ hub: HubProc; dir: string }> {
  const d = tempDir();
  dirs.push(d);
  const hub = await startHubProc(hubEnv(d.path, [join(d.path, "projects")]));
  procs.push(hub);
  return { hub, dir: d.path };
}

async function nodeWith(certDir: string, id: string): Promise<NodeProc> {
  const d = tempDir();
  dirs.push(d);
  const node = await startNodeProc(nodeEnv(d.path, id, certDir, [d.path]));
  procs.push(node);
  return node;
}

const register = (hub: HubProc, root: string, id: string, port: number) =>
  api<{ error: string; code: string; details: { cause: string } }>(
    hub.url,
    "POST",
    "/api/admin/agent-nodes",
    {
      token: root,
      body: { id, name: id, grpc_target: `127.0.0.1:${port}` },
    },
  );

describe("node registration refuses nodes the hub cannot trust, naming the cause", () => {
  it("a node whose certificate another hub's CA signed: untrusted certificate", async () => {
    const { hub } = await hubAt();
    const root = await joinRoot(hub);
    const { hub: other } = await hubAt();
    const foreign = join(scratch(), "certs");
    await issueNodeCerts(other.env, foreign);
    const node = await nodeWith(foreign, "foreign");
    const r = await register(hub, root, "foreign", node.port);
    expect([r.status, r.body.error, r.body.code]).toEqual([
      502,
      "failed to connect to remote node",
      "NODE_CONNECT_FAILED",
    ]);
    expect(r.body.details.cause).toMatch(/certificate/i);
    expect((await api(hub.url, "GET", "/api/admin/agent-nodes/foreign", { token: root })).status).toBe(404);
  });

  it("a node with the hub's certificates but another shared secret: unauthorized", async () => {
    const { hub } = await hubAt();
    const root = await joinRoot(hub);
    const certs = join(scratch(), "certs");
    await issueNodeCerts(hub.env, certs);
    const wrong = join(scratch(), "certs");
    cpSync(certs, wrong, { recursive: true });
    writeFileSync(join(wrong, "auth_secret.txt"), "a-different-shared-secret-of-enough-length\n", {
      mode: 0o600,
    });
    const node = await nodeWith(wrong, "wrong-secret");
    const r = await register(hub, root, "wrong-secret", node.port);
    expect([r.status, r.body.error]).toEqual([502, "failed to connect to remote node"]);
    expect(r.body.details.cause).toMatch(/token|unauthenticated/i);
    // The same node with the hub's own secret is accepted.
    const good = await nodeWith(certs, "good");
    expect((await register(hub, root, "good", good.port)).status).toBe(201);
  });
});
