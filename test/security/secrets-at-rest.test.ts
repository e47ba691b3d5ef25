import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  hubEnv,
  issueNodeCerts,
  joinRoot,
  makeRepo,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api, type Harness, parseBanner, startHub } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt } from "../node/helpers/build-once.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(ensureBuilt, 120_000);

const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);

/** Every file and folder below `root` (not following symlinks), except what `skip` names. */
function tree(
  root: string,
  skip: (p: string) => boolean = () => false,
): { path: string; mode: string; dir: boolean }[] {
  const out: { path: string; mode: string; dir: boolean }[] = [];
  const walk = (p: string) => {
    if (skip(p)) return;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    out.push({ path: p, mode: (st.mode & 0o777).toString(8), dir: st.isDirectory() });
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(root);
  return out;
}

/** Folders 0700, files 0600: a list of offenders (empty when all is private). */
function notPrivate(entries: { path: string; mode: string; dir: boolean }[]): string[] {
  return entries.filter((e) => e.mode !== (e.dir ? "700" : "600")).map((e) => `${e.path} ${e.mode}`);
}

/** The modes a file and a folder made by a process of this user get (what an agent's files must keep). */
function normalModes(dir: string): { file: string; dir: string } {
  const f = join(dir, "umask-probe");
  writeFileSync(f, "x");
  const d = join(dir, "umask-probe-dir");
  mkdirSync(d);
  return { file: modeOf(f), dir: modeOf(d) };
}

async function hub(safe: string, home?: string): Promise<Harness> {
  const h = await startHub({ safe_paths: [safe] }, home);
  cleanups.push(() => h.close());
  return h;
}

async function joinAsRoot(h: Harness): Promise<string> {
  const { join_token, pin } = parseBanner(h.banner);
  const r = await api<{ token: string }>(h.url, "POST", "/api/join", {
    body: { join_token, pin, username: "root", password: "correct horse battery" },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.token;
}

function workspace() {
  const dir = tempDir("agenthub-modes-");
  cleanups.push(dir.cleanup);
  const safe = join(dir.path, "safe");
  mkdirSync(join(safe, "app"), { recursive: true });
  return { dir: dir.path, safe };
}

/** Starts an agent and waits until it is idle (its process and pidfile exist). */
async function startAgent(url: string, token: string, body: Record<string, unknown>): Promise<string> {
  const created = await api<{ id: string }>(url, "POST", "/api/agents", { token, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id;
  const sse = await openSse(`${url}/api/agents/${id}/events?token=${token}`);
  try {
    const started = await api(url, "POST", `/api/agents/${id}/start`, { token });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await sse.next((e) => e.data.kind === "status" && e.data.data.state === "idle");
  } finally {
    await sse.close();
  }
  return id;
}

describe("the hub's data dir is private", () => {
  it("database, -wal, -shm, cert dir and node-main are 0600 files in 0700 folders; bootstrap-join.txt goes when root joins", async () => {
    const { safe } = workspace();
    const h = await hub(safe);
    const bootstrap = join(h.home, "bootstrap-join.txt");
    expect(modeOf(bootstrap)).toBe("600");

    const rootToken = await joinAsRoot(h);
    // Deleted by the join itself, not at the next start.
    expect(existsSync(bootstrap)).toBe(false);

    // An agent on `main`, so node-main has a pidfile and events besides the folders made at start.
    await startAgent(h.url, rootToken, { name: "a", provider: "scripted", workdir: join(safe, "app") });

    expect(modeOf(h.home)).toBe("700");
    for (const f of ["agenthub.db", "agenthub.db-wal", "agenthub.db-shm"])
      expect(modeOf(join(h.home, f))).toBe("600");
    const certDir = join(h.home, "internal-grpc");
    expect(readdirSync(certDir).length).toBeGreaterThan(0);
    const pidfiles = readdirSync(join(h.home, "node-main", "agents"));
    expect(pidfiles).toHaveLength(1);
    expect(existsSync(join(h.home, "node-main", "events", "events.jsonl"))).toBe(true);
    // Everything: config.toml (written by the test harness with default modes) too.
    expect(notPrivate(tree(h.home))).toEqual([]);
  });

  it("a data dir left readable (older version, or by hand) is made private at start; agents' worktrees keep their modes", async () => {
    const { dir, safe } = workspace();
    const repo = makeRepo(join(safe, "repo"));
    const first = await hub(safe);
    const rootToken = await joinAsRoot(first);
    // A worktree agent: the worktree root is ours, the worktree inside it holds the user's files.
    const id = await startAgent(first.url, rootToken, {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
    });
    const agent = await api<{ workdir: string }>(first.url, "GET", `/api/agents/${id}`, { token: rootToken });
    const worktree = agent.body.workdir;
    const worktreeRoot = join(first.home, "worktrees");
    expect(worktree.startsWith(`${worktreeRoot}/`), worktree).toBe(true);
    expect(modeOf(worktreeRoot)).toBe("700");
    const normal = normalModes(dir);
    expect(modeOf(join(worktree, "README.md"))).toBe(normal.file);
    await first.hub.stop();

    // Loosen everything the way an older agenthub (umask 022, no explicit modes) left it.
    const home = first.home;
    const loose = tree(home, (p) => p === worktreeRoot);
    for (const e of loose) chmodSync(e.path, e.dir ? 0o755 : 0o644);
    chmodSync(worktreeRoot, 0o755);
    writeFileSync(join(home, "notes.txt"), "left here by hand", { mode: 0o644 });
    expect(notPrivate(tree(home, (p) => p === worktreeRoot)).length).toBeGreaterThan(5);

    await hub(safe, home);
    expect(notPrivate(tree(home, (p) => p === worktreeRoot))).toEqual([]);
    expect(modeOf(join(home, "notes.txt"))).toBe("600");
    expect(modeOf(worktreeRoot)).toBe("700");
    // The user's work is not touched: files in the worktree keep the modes git gave them.
    expect(modeOf(join(worktree, "README.md"))).toBe(normal.file);
    expect(modeOf(worktree)).toBe(normal.dir);
  });

  it("files an agent writes in its workdir keep normal modes (no umask forced on agents)", async () => {
    const { dir, safe } = workspace();
    const h = await hub(safe);
    const rootToken = await joinAsRoot(h);
    const id = await startAgent(h.url, rootToken, {
      name: "w",
      provider: "scripted",
      workdir: join(safe, "app"),
    });
    const sse = await openSse(`${h.url}/api/agents/${id}/events?token=${rootToken}`);
    try {
      const input = await api(h.url, "POST", `/api/agents/${id}/input`, {
        token: rootToken,
        body: { text: "write out/made-by-agent.txt: hello" },
      });
      expect(input.status, JSON.stringify(input.body)).toBe(202);
      await sse.next((e) => e.data.kind === "turn_ended");
    } finally {
      await sse.close();
    }
    const written = join(safe, "app", "out", "made-by-agent.txt");
    expect(existsSync(written)).toBe(true);
    expect(modeOf(written)).toBe(normalModes(dir).file);
  });
});

describe("a node daemon's data dir is private", () => {
  it("node home, node-data (events, pidfiles) and its cert dir are 0600 files in 0700 folders, also when left readable", async () => {
    const hubDir = tempDir();
    const nodeDir = tempDir();
    cleanups.push(hubDir.cleanup, nodeDir.cleanup);
    const projects = join(nodeDir.path, "projects");
    mkdirSync(join(projects, "app"), { recursive: true });
    const hubProc = await startHubProc(hubEnv(hubDir.path, [join(hubDir.path, "projects")]));
    cleanups.push(async () => expect(await hubProc.proc.kill("SIGTERM")).toBe(0));
    const root = await joinRoot(hubProc);
    const certDir = join(nodeDir.path, "certs");
    await issueNodeCerts(hubProc.env, certDir);

    // A node home an older version (or an admin) left readable, with a readable cert dir.
    const env = nodeEnv(nodeDir.path, "node-01", certDir, [projects]);
    const nodeHome = env.AGENTHUB_HOME!;
    mkdirSync(join(nodeHome, "node-data", "events"), { recursive: true, mode: 0o755 });
    chmodSync(nodeHome, 0o755);
    for (const e of tree(certDir)) chmodSync(e.path, e.dir ? 0o755 : 0o644);

    const node = await startNodeProc(env);
    cleanups.push(async () => expect(await node.proc.kill("SIGTERM")).toBe(0));
    const reg = await api(hubProc.url, "POST", "/api/admin/agent-nodes", {
      token: root,
      body: { id: "node-01", name: "builder", grpc_target: `127.0.0.1:${node.port}` },
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    await startAgent(hubProc.url, root, {
      name: "remote",
      provider: "scripted",
      node_id: "node-01",
      workdir: join(projects, "app"),
    });

    expect(readdirSync(join(nodeHome, "node-data", "agents"))).toHaveLength(1);
    expect(existsSync(join(nodeHome, "node-data", "events", "events.jsonl"))).toBe(true);
    expect(notPrivate(tree(nodeHome))).toEqual([]);
    expect(notPrivate(tree(certDir))).toEqual([]);
    // And the hub process's own data dir.
    expect(notPrivate(tree(hubEnv(hubDir.path, []).AGENTHUB_HOME!))).toEqual([]);
  });
});
