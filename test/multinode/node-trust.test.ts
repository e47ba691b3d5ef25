import { generateKeyPairSync } from "node:crypto";
import { cpSync, rmSync, writeFileSync } from "node:fs";
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
import { spawnCli } from "../helpers/spawn-cli.js";
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

  it("a node with the hub's certificates but another hub's public token key: unauthorized", async () => {
    const { hub } = await hubAt();
    const root = await joinRoot(hub);
    const certs = join(scratch(), "certs");
    await issueNodeCerts(hub.env, certs);
    const wrong = join(scratch(), "certs");
    cpSync(certs, wrong, { recursive: true });
    const foreignPub = generateKeyPairSync("ed25519").publicKey.export({ format: "pem", type: "spki" });
    writeFileSync(join(wrong, "token_signing.pub"), foreignPub, { mode: 0o600 });
    const node = await nodeWith(wrong, "wrong-key");
    const r = await register(hub, root, "wrong-key", node.port);
    expect([r.status, r.body.error]).toEqual([502, "failed to connect to remote node"]);
    expect(r.body.details.cause).toContain("signature mismatch");
    // The same node with the hub's own public key is accepted.
    const good = await nodeWith(certs, "good");
    expect((await register(hub, root, "good", good.port)).status).toBe(201);
  });

  it("a node registered under another id than its [node] id: refused, naming the audience it accepts", async () => {
    const { hub } = await hubAt();
    const root = await joinRoot(hub);
    const certs = join(scratch(), "certs");
    await issueNodeCerts(hub.env, certs);
    const node = await nodeWith(certs, "build-02");
    // A hub token for "build-03" is useless at "build-02": tokens are bound to one node.
    const r = await register(hub, root, "build-03", node.port);
    expect([r.status, r.body.code]).toEqual([502, "NODE_CONNECT_FAILED"]);
    expect(r.body.details.cause).toContain(
      'audience mismatch (this verifier accepts "agenthub-internal/node/build-02")',
    );
    expect((await register(hub, root, "build-02", node.port)).status).toBe(201);
  });

  it("a node's cert dir without the hub's public key: the node refuses to start, naming the file", async () => {
    const { hub } = await hubAt();
    const certs = join(scratch(), "certs");
    await issueNodeCerts(hub.env, certs);
    rmSync(join(certs, "token_signing.pub"));
    const d = tempDir();
    dirs.push(d);
    const p = spawnCli(["--node-mode"], nodeEnv(d.path, "n", certs, [d.path]));
    expect(await p.exit).not.toBe(0);
    expect(p.stderr() + p.stdout()).toContain(join(certs, "token_signing.pub"));
  });
});
