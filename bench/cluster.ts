import { createPrivateKey, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HEAP_PROBE_MARKER } from "./heap-probe.js";
import { api, apiOk, openSse, type SseConnection } from "./http-client.js";
import { AGENTHUB_BIN, childNodeArgs, type Proc, spawnNode, tempDir } from "./procs.js";
import { now } from "./stats.js";

/** A real hub process (REST + TLS internal gRPC on 127.0.0.1, port 0) with its own HOME. */
export interface Hub {
  proc: Proc;
  url: string;
  home: string;
  env: NodeJS.ProcessEnv;
  /** The hub's internal gRPC cert dir (CA, client cert, token_signing.key). */
  certDir: string;
  root: string;
}

export interface NodeProc {
  proc: Proc;
  id: string;
  port: number;
  home: string;
  certDir: string;
  /** A directory inside the node's safe paths for agents' workdirs. */
  workdir: string;
}

export interface StartHubOptions {
  /**
   * Start the hub with `--expose-gc --import dist/bench/heap-probe.js` (bench-only preload, no
   * production code) so that `hubHeapAfterGc` can force a full GC and read the live V8 heap.
   */
  heapProbe?: boolean;
}

/** Node flags (and env) for a hub with the heap probe preload. */
function heapProbeArgs(env: NodeJS.ProcessEnv, nodeArgs: string[]): void {
  env.AGENTHUB_BENCH_HEAP_PROBE = "1";
  const leak = process.env.BENCH_HEAP_PROBE_LEAK_KIB_PER_S;
  if (leak) env.BENCH_HEAP_PROBE_LEAK_KIB_PER_S = leak;
  nodeArgs.push("--expose-gc", "--import", pathToFileURL(join(import.meta.dirname, "heap-probe.js")).href);
}

/**
 * Stops `prev` and starts `agenthub serve` again on its data dir (a restart: no bootstrap, the root
 * session still valid), optionally with the heap probe or extra env (e.g. a bench preload's).
 */
export async function restartHub(
  prev: Hub,
  opts: StartHubOptions & { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<Hub> {
  await prev.proc.stop();
  const env: NodeJS.ProcessEnv = { ...prev.env, ...opts.env };
  const nodeArgs = [...childNodeArgs(), ...(opts.nodeArgs ?? [])];
  if (opts.heapProbe) heapProbeArgs(env, nodeArgs);
  const proc = spawnNode(AGENTHUB_BIN, ["serve"], env, nodeArgs);
  const url = (await proc.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
  return { ...prev, proc, url, env };
}

export async function startHub(label = "hub", opts: StartHubOptions = {}): Promise<Hub> {
  const dir = tempDir(`agenthub-bench-${label}-`).path;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AGENTHUB_HOME: join(dir, ".agenthub"),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    AGENTHUB_SAFE_PATHS: join(dir, "projects"),
  };
  const nodeArgs = childNodeArgs();
  if (opts.heapProbe) heapProbeArgs(env, nodeArgs);
  const proc = spawnNode(AGENTHUB_BIN, ["serve"], env, nodeArgs);
  const url = (await proc.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
  await proc.waitFor(/pin:\s+\d{6}/);
  const out = proc.output();
  const join_token = /join_token: (\S+)/.exec(out)?.[1];
  const pin = /pin:\s+(\d{6})/.exec(out)?.[1];
  if (!join_token || !pin) throw new Error(`no bootstrap challenge in hub output: ${out.slice(-2000)}`);
  const joined = await apiOk<{ token: string }>(url, "POST", "/api/join", {
    body: { join_token, pin, username: "root", password: "long enough pw" },
  });
  return { proc, url, home: dir, env, certDir: join(dir, ".agenthub", "internal-grpc"), root: joined.token };
}

export interface HeapSample {
  /** V8 heap in use after forced full GCs, bytes. */
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  rss: number;
  /** Memory the V8 young generation holds (empty after the GCs, still committed), bytes. */
  newSpace: number;
}

const heapProbeSeq = new WeakMap<Hub, number>();

/** Forces full GCs in a hub started with `heapProbe` (SIGUSR2) and returns its memory figures. */
export async function hubHeapAfterGc(hub: Hub, timeoutMs = 15_000): Promise<HeapSample> {
  const seq = (heapProbeSeq.get(hub) ?? 0) + 1;
  heapProbeSeq.set(hub, seq);
  const wait = hub.proc.waitFor(new RegExp(`${HEAP_PROBE_MARKER} (\\{"seq":${seq},[^\\n]*\\})`), timeoutMs);
  hub.proc.child.kill("SIGUSR2");
  const m = await wait;
  const s = JSON.parse(m[1]!) as HeapSample & { error?: string };
  if (s.error) throw new Error(`heap probe: ${s.error}`);
  return s;
}

/** `agenthub certs issue-node` on the hub, then a node daemon (`agenthub --node-mode`) using them. */
export async function startNode(hub: Hub, id: string): Promise<NodeProc> {
  const dir = tempDir(`agenthub-bench-${id}-`).path;
  const certDir = join(dir, "certs");
  const issue = spawnNode(
    AGENTHUB_BIN,
    ["certs", "issue-node", "--name", "localhost", "--ip", "127.0.0.1", "--out", certDir],
    hub.env,
  );
  if ((await issue.exit) !== 0) throw new Error(`issue-node failed: ${issue.output()}`);
  const projects = join(dir, "projects");
  const workdir = join(projects, "ws");
  mkdirSync(workdir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AGENTHUB_HOME: join(dir, ".agenthub"),
    AGENTHUB_NODE_ID: id,
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_SECURITY_CERT_DIR: certDir,
    AGENTHUB_SAFE_PATHS: projects,
    AGENTHUB_WORKTREE_DEFAULT_ROOT: join(dir, "worktrees"),
  };
  const proc = spawnNode(AGENTHUB_BIN, ["--node-mode"], env, childNodeArgs());
  await proc.waitFor(/"msg":"node listening"/);
  const port = Number(/"port":(\d+)/.exec(proc.output())?.[1]);
  return { proc, id, port, home: dir, certDir, workdir };
}

export async function registerNode(hub: Hub, node: NodeProc): Promise<void> {
  await apiOk(hub.url, "POST", "/api/admin/agent-nodes", {
    token: hub.root,
    body: { id: node.id, name: node.id, grpc_target: `127.0.0.1:${node.port}` },
  });
}

/** The hub's private token-signing key (for minting hub tokens the way the hub does). */
export function hubSigningKey(hub: Hub): KeyObject {
  return createPrivateKey(readFileSync(join(hub.certDir, "token_signing.key"), "utf8"));
}

interface Waiter {
  t0: number;
  resolve: (ms: number) => void;
}

/**
 * Scripted agents on a node, each with an SSE connection to the hub's `GET /api/agents/:id/events`.
 * `dispatch` posts `POST /api/agents/:id/input` with a client-chosen turn id and resolves with the
 * milliseconds until that turn's `turn_ended` event arrives over SSE (i.e. after the hub stored it).
 */
export class AgentFleet {
  readonly ids: string[] = [];
  private readonly sse: SseConnection[] = [];
  private readonly waiters = new Map<string, Waiter>();
  private turnSeq = 0;
  /** Called for every SSE event of every agent (S4 uses it). */
  onEvent:
    | ((agentId: string, e: { seq: number; kind: string; data: Record<string, unknown>; at: string }) => void)
    | undefined;

  constructor(private readonly hub: Hub) {}

  async add(
    node: NodeProc | { id: "main"; workdir: string },
    count: number,
    startConcurrency = 4,
  ): Promise<void> {
    const created: string[] = [];
    for (let i = 0; i < count; i++) {
      const a = await apiOk<{ id: string }>(this.hub.url, "POST", "/api/agents", {
        token: this.hub.root,
        body: {
          name: `bench-${node.id}-${this.ids.length + i}`,
          node_id: node.id,
          provider: "scripted",
          workdir: node.workdir,
        },
      });
      created.push(a.id);
    }
    let next = 0;
    const starter = async () => {
      while (next < created.length) {
        const id = created[next++]!;
        await apiOk(this.hub.url, "POST", `/api/agents/${id}/start`, { token: this.hub.root });
      }
    };
    await Promise.all(Array.from({ length: startConcurrency }, starter));
    for (const id of created) {
      const conn = openSse(`${this.hub.url}/api/agents/${id}/events?token=${this.hub.root}`, (e) => {
        const ev = JSON.parse(e.data) as {
          seq: number;
          kind: string;
          data: Record<string, unknown>;
          at: string;
        };
        this.onEvent?.(id, ev);
        if (ev.kind === "turn_ended") {
          const tid = ev.data.turn_id as string;
          const w = this.waiters.get(tid);
          if (w) {
            this.waiters.delete(tid);
            w.resolve(now() - w.t0);
          }
        }
      });
      await conn.ready;
      this.sse.push(conn);
      this.ids.push(id);
    }
  }

  /** Sends one turn; resolves with its dispatch-to-stored latency in ms. */
  dispatch(agentId: string, text = "reply: x"): Promise<number> {
    const turnId = `turn_bench_${process.pid}_${++this.turnSeq}`;
    return new Promise<number>((resolve, reject) => {
      this.waiters.set(turnId, { t0: now(), resolve });
      api(this.hub.url, "POST", `/api/agents/${agentId}/input`, {
        token: this.hub.root,
        body: { text, turn_id: turnId },
      }).then((r) => {
        if (r.status !== 202) {
          this.waiters.delete(turnId);
          reject(new Error(`input -> ${r.status}: ${JSON.stringify(r.body)}`));
        }
      }, reject);
    });
  }

  get pending(): number {
    return this.waiters.size;
  }

  async stopAll(): Promise<void> {
    for (const c of this.sse) c.close();
    this.sse.length = 0;
    const ids = this.ids.splice(0);
    const stopper = async () => {
      for (let id = ids.pop(); id !== undefined; id = ids.pop()) {
        await api(this.hub.url, "POST", `/api/agents/${id}/stop`, { token: this.hub.root }).catch(
          () => undefined,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, stopper));
  }
}
