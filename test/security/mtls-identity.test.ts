import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NodeService } from "../../src/gen/agenthub/internal/v1/node_pb.js";
import { clientCredentials } from "../../src/grpc/credentials.js";
import { makeClient } from "../../src/grpc/typed-client.js";
import { describeCert } from "../../src/grpc/x509-issue.js";
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
import { singleSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * mTLS: certificates carry identity. The hub's client certificate opens a node; an agent's per-actor
 * certificate opens the hub's AuthorityService but not a node; no agent receives a daemon key.
 */

let dirs: ReturnType<typeof tempDir>[] = [];
let procs: (HubProc | NodeProc)[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  for (const p of procs.reverse()) await p.proc.kill("SIGTERM");
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = [];
});

function scratch(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

describe("mTLS identities", () => {
  it("nodes accept the hub's certificate only; agents get a per-actor certificate, never the hub's key", async () => {
    const home = scratch();
    const mtls = { AGENTHUB_INTERNAL_GRPC_SECURITY_MODE: "mtls" };
    const hub = await startHubProc({ ...hubEnv(home, [join(home, "projects")]), ...mtls });
    procs.push(hub);
    const root = await joinRoot(hub);
    const hubCerts = join(home, ".agenthub", "internal-grpc");
    const certs = join(scratch(), "node-certs");
    await issueNodeCerts(hub.env, certs);
    const nodeHome = scratch();
    const node = await startNodeProc({ ...nodeEnv(nodeHome, "n-m", certs, [nodeHome]), ...mtls });
    procs.push(node);
    // The hub dials with its own client certificate: accepted.
    const reg = await api(hub.url, "POST", "/api/admin/agent-nodes", {
      token: root,
      body: { id: "n-m", name: "n-m", grpc_target: `127.0.0.1:${node.port}` },
    });
    expect(reg.status).toBe(201);

    const team = await api<{ id: string }>(hub.url, "POST", "/api/teams", {
      token: root,
      body: { name: "t", spec: singleSpec() },
    });
    const run = await api<{ id: string }>(hub.url, "POST", `/api/teams/${team.body.id}/runs`, {
      token: root,
      body: {},
    });
    const minted = await api<{ env: Record<string, string> }>(
      hub.url,
      "POST",
      `/api/runs/${run.body.id}/actor-tokens`,
      {
        token: root,
        body: { member_id: "w1" },
      },
    );
    expect(minted.status).toBe(201);
    const env = minted.body.env;
    const hubClientKey = readFileSync(join(hubCerts, "client.key"), "utf8");
    expect(JSON.stringify(env)).not.toContain(hubClientKey.split("\n")[1]);
    const cert = env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM!;
    const key = env.AGENTHUB_INTERNAL_GRPC_CLIENT_KEY_PEM!;
    expect(describeCert(cert).commonName).toBe(`actor:${team.body.id}/w1`);
    // Short-lived: two days at most for the default one-day token.
    expect(describeCert(cert).notAfter.getTime() - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);

    // The per-actor certificate works where it is meant to: the actor CLI reaches the AuthorityService.
    const cli = spawnCli(["actor", "inbox", "--json"], { PATH: process.env.PATH, HOME: nodeHome, ...env });
    expect(await cli.exit).toBe(0);

    // ...and nowhere else: a node refuses it, whatever token comes with it.
    const sec = clientCredentials({
      mode: "mtls",
      caCert: Buffer.from(env.AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM!),
      clientCert: Buffer.from(cert),
      clientKey: Buffer.from(key),
    });
    const asAgent = makeClient(NodeService, `127.0.0.1:${node.port}`, sec.credentials, {
      channelOptions: sec.options,
      token: env.AGENTHUB_INTERNAL_GRPC_TOKEN!,
    });
    closers.push(() => asAgent.close());
    const err = await asAgent.getInfo({}).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).toBe("UNTRUSTED_PEER");
    // The hub still reaches the node (its health probe uses the hub's identity).
    const health = await api<{ status: string }>(hub.url, "GET", "/api/admin/agent-nodes/n-m/health", {
      token: root,
    });
    expect(health.body.status).toBe("online");
  });
});
