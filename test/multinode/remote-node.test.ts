import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  joinRoot,
  makeRepo,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { addUser, api } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let procs: { proc: { kill: (s?: NodeJS.Signals) => Promise<number | null> } }[] = [];
afterEach(async () => {
  // SIGTERM: the node stops its agents' process groups and the hub drains; both exit 0.
  for (const p of procs.reverse()) expect(await p.proc.kill("SIGTERM")).toBe(0);
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = [];
});

async function cluster() {
  const hubDir = tempDir();
  const nodeDir = tempDir();
  dirs.push(hubDir, nodeDir);
  const nodeProjects = join(nodeDir.path, "projects");
  const repo = makeRepo(join(nodeProjects, "repo"));
  const hub = await startHubProc(hubEnv(hubDir.path, [join(hubDir.path, "projects")]));
  procs.push(hub);
  const root = await joinRoot(hub);
  const certDir = join(nodeDir.path, "certs");
  await issueNodeCerts(hub.env, certDir);
  const node = await startNodeProc(nodeEnv(nodeDir.path, "node-01", certDir, [nodeProjects]));
  procs.push(node);
  return { hub, node, root, repo, nodeDir: nodeDir.path, certDir };
}

const register = (hub: HubProc, root: string, body: Record<string, unknown>) =>
  api<Record<string, unknown> & { error: string; code: string; details: { cause: string } }>(
    hub.url,
    "POST",
    "/api/admin/agent-nodes",
    { token: root, body },
  );

describe("a real node daemon over TLS", () => {
  it("registers, runs a scripted agent in a created worktree, streams events, answers a permission, stops", async () => {
    const { hub, node, root, repo } = await cluster();
    const ok = await register(hub, root, {
      id: "node-01",
      name: "builder",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ id: "node-01", status: "online" });

    const dup = await register(hub, root, {
      id: "node-02",
      name: "builder",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    expect([dup.status, dup.body.error]).toEqual([409, "agent node id or name already exists"]);
    const main = await register(hub, root, { id: "main", name: "x", grpc_target: `127.0.0.1:${node.port}` });
    expect(main.status).toBe(409);
    const list = await api<{ nodes: { id: string; status: string; running_agents: number }[] }>(
      hub.url,
      "GET",
      "/api/admin/agent-nodes",
      { token: root },
    );
    expect(list.body.nodes.map((n) => n.id)).toEqual(["main", "node-01"]);
    const health = await api(hub.url, "GET", "/api/admin/agent-nodes/node-01/health", { token: root });
    expect(health.body).toMatchObject({ status: "online" });
    expect(typeof health.body.probe_latency_ms).toBe("number");
    // Both processes run on this machine's clock: the node's answer puts it within the round trip.
    expect(Math.abs(health.body.clock_skew_ms as number)).toBeLessThan(1000);

    const created = await api<{ id: string; error?: string }>(hub.url, "POST", "/api/agents", {
      token: root,
      body: {
        name: "impl",
        node_id: "node-01",
        provider: "scripted",
        worktree_mode: "create_worktree",
        worktree_repo: repo,
        worktree_ref: "main",
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const started = await api<{ workdir: string }>(hub.url, "POST", `/api/agents/${id}/start`, {
      token: root,
    });
    expect(started.status).toBe(200);
    expect(started.body.workdir).toContain("worktrees");
    expect(existsSync(join(started.body.workdir, "README.md"))).toBe(true);

    const sse = await openSse(`${hub.url}/api/agents/${id}/events?token=${root}`);
    await api(hub.url, "POST", `/api/agents/${id}/input`, {
      token: root,
      body: { text: "reply: from afar" },
    });
    const ended = await sse.next((e) => e.data.kind === "turn_ended");
    expect(JSON.stringify(ended.data.data)).toContain("from afar");

    await api(hub.url, "POST", `/api/agents/${id}/input`, {
      token: root,
      body: { text: "ask-permission write notes.txt: remote write" },
    });
    await sse.next((e) => e.data.kind === "permission_request");
    const pending = await api<{ permissions: { id: string }[] }>(
      hub.url,
      "GET",
      `/api/agents/${id}/permissions?status=pending`,
      {
        token: root,
      },
    );
    const perm = pending.body.permissions[0]!;
    const r = await api(hub.url, "POST", `/api/agents/${id}/permissions/${perm.id}/respond`, {
      token: root,
      body: { option_id: "allow_once" },
    });
    expect(r.status).toBe(200);
    await sse.next(
      (e) => e.data.kind === "turn_ended" && JSON.stringify(e.data.data).includes("permission granted"),
    );
    expect(readFileSync(join(started.body.workdir, "notes.txt"), "utf8")).toBe("remote write");
    await sse.close();

    const busy = await api(hub.url, "DELETE", "/api/admin/agent-nodes/node-01", { token: root });
    expect(busy.status).toBe(409);
    expect(String(busy.body.error)).toContain(id);

    const stopped = await api(hub.url, "POST", `/api/agents/${id}/stop`, { token: root });
    expect(stopped.status).toBe(200);
    expect((await api(hub.url, "DELETE", "/api/admin/agent-nodes/node-01", { token: root })).status).toBe(
      204,
    );
    const gone = await api(hub.url, "GET", "/api/admin/agent-nodes/node-01", { token: root });
    expect([gone.status, gone.body.error]).toEqual([404, "agent node not found"]);
  });

  it("refuses registration with the cause: refused, TLS name mismatch, non-root", async () => {
    const { hub, node, root } = await cluster();
    const refused = await register(hub, root, { id: "n2", name: "n2", grpc_target: "127.0.0.1:1" });
    expect([refused.status, refused.body.error]).toEqual([502, "failed to connect to remote node"]);
    expect(refused.body.details.cause).toBeTruthy();
    const badName = await register(hub, root, {
      id: "n3",
      name: "n3",
      grpc_target: `127.0.0.1:${node.port}`,
      tls_server_name: "not-the-node.example",
    });
    expect([badName.status, badName.body.error]).toEqual([502, "failed to connect to remote node"]);
    // Hub tokens are bound to one node id: the daemon (whose [node] id is node-01) refuses a token for n5.
    const wrongId = await register(hub, root, {
      id: "n5",
      name: "n5",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    expect([wrongId.status, wrongId.body.code]).toEqual([502, "NODE_CONNECT_FAILED"]);
    expect(wrongId.body.details.cause).toContain("audience mismatch");
    const ok = await register(hub, root, {
      id: "node-01",
      name: "n5",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    expect(ok.status).toBe(201);
    const renamed = await api(hub.url, "PUT", "/api/admin/agent-nodes/node-01", {
      token: root,
      body: { name: "renamed" },
    });
    expect([renamed.status, renamed.body.name]).toEqual([200, "renamed"]);
    const moved = await api(hub.url, "PUT", "/api/admin/agent-nodes/node-01", {
      token: root,
      body: { grpc_target: "127.0.0.1:1" },
    });
    expect([moved.status, moved.body.error]).toEqual([502, "failed to connect to remote node"]);
    const kept = await api(hub.url, "GET", "/api/admin/agent-nodes/node-01", { token: root });
    expect(kept.body.grpc_target).toBe(`127.0.0.1:${node.port}`);
    const alice = await addUser(hub, root, "alice");
    const forbidden = await register(hub, alice, {
      id: "n4",
      name: "n4",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    expect([forbidden.status, forbidden.body.error]).toEqual([403, "root required"]);
  });

  it("loses no event and duplicates none when the hub is killed while a remote agent keeps working", async () => {
    const c = await cluster();
    const { node, repo } = c;
    let { hub, root } = c;
    await register(hub, root, { id: "node-01", name: "n1", grpc_target: `127.0.0.1:${node.port}` });
    const created = await api<{ id: string }>(hub.url, "POST", "/api/agents", {
      token: root,
      body: { name: "steady", node_id: "node-01", provider: "scripted", workdir: repo },
    });
    const id = created.body.id;
    await api(hub.url, "POST", `/api/agents/${id}/start`, { token: root });
    await api(hub.url, "POST", `/api/agents/${id}/input`, {
      token: root,
      body: { text: "sleep 1500\nemit 40\nreply: finished while the hub was away" },
    });
    await hub.proc.kill("SIGKILL");
    procs = procs.filter((p) => p !== hub);
    hub = await startHubProc(hub.env);
    procs.push(hub);
    const login = await api<{ token: string }>(hub.url, "POST", "/api/login", {
      body: { username: "root", password: "long enough pw" },
    });
    root = login.body.token;
    const sse = await openSse(`${hub.url}/api/agents/${id}/events?token=${root}`);
    await sse.next((e) => e.data.kind === "turn_ended");
    await sse.close();
    const page = await api<{ events: { seq: number; kind: string; data: unknown }[] }>(
      hub.url,
      "GET",
      `/api/agents/${id}/events?limit=1000`,
      { token: root },
    );
    const seqs = page.body.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const chunks = page.body.events.filter((e) => e.kind === "session_update");
    expect(chunks.length).toBeGreaterThanOrEqual(40);
    const ended = page.body.events.filter((e) => e.kind === "turn_ended");
    expect(ended).toHaveLength(1);
    expect(JSON.stringify(ended[0])).toContain("finished while the hub was away");
    // The agent's status survived the hub's death: still live (idle after its turn), not lost or stale.
    const agent = await api<{ status: string }>(hub.url, "GET", `/api/agents/${id}`, { token: root });
    expect(agent.body.status).toBe("idle");
    await api(hub.url, "POST", `/api/agents/${id}/stop`, { token: root });
  });
});

describe("node health", () => {
  it("goes offline when probes fail for the grace period and comes back online by itself", async () => {
    const { hub, node, root } = await cluster();
    await register(hub, root, { id: "node-01", name: "n1", grpc_target: `127.0.0.1:${node.port}` });
    const status = async () =>
      (await api<{ status: string }>(hub.url, "GET", "/api/admin/agent-nodes/node-01", { token: root })).body
        .status;
    node.proc.child.kill("SIGSTOP");
    try {
      await waitUntil("node offline", async () => (await status()) === "offline");
    } finally {
      node.proc.child.kill("SIGCONT");
    }
    await waitUntil("node online again", async () => (await status()) === "online");
  });
});

describe("node daemon start-up", () => {
  it("refuses to start without its certificates and names the files it looked for", async () => {
    const d = tempDir();
    dirs.push(d);
    const env = nodeEnv(d.path, "node-x", join(d.path, "no-certs"), [d.path]);
    const { spawnCli } = await import("../helpers/spawn-cli.js");
    const p = spawnCli(["--node-mode"], env);
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toContain(join(d.path, "no-certs", "server.crt"));
    expect(p.stderr()).toContain(join(d.path, "no-certs", "token_signing.pub"));
    expect(p.stderr()).toContain("agenthub certs issue-node");
  });
});
