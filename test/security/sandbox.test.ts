import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBwrapProbe } from "../../src/node/sandbox.js";
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
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt } from "../node/helpers/build-once.js";

/**
 * Agents may be hostile: they must not read the daemon's data directory or other agents' workspaces,
 * nor see the daemon's environment. Whether bwrap works here is probed, not assumed: without it the
 * tests assert the degraded mode (warning, health field) instead of skipping.
 */
const bwrap = await runBwrapProbe();
const sandboxed = bwrap.works;
const expectedIsolation = sandboxed ? "bwrap" : "none";

const CANARIES = {
  AGENTHUB_CANARY_X: "canary-agenthub-7f3a",
  OTHER_CANARY: "canary-other-91bc",
  PASSED_CANARY: "passed-by-pass-env-55d1",
};

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(ensureBuilt, 120_000);

/** Puts the canaries in this process's environment (the in-process hub's) until the test ends. */
function plantCanaries(): void {
  const before = { ...process.env };
  Object.assign(process.env, CANARIES);
  cleanups.push(() => {
    for (const k of Object.keys(CANARIES)) {
      if (before[k] === undefined) delete process.env[k];
      else process.env[k] = before[k];
    }
  });
}

interface Target {
  url: string;
  token: string;
}

/** Runs one command line inside the agent (scripted `run:`) and returns the reply. */
async function runIn(t: Target, agentId: string, line: string): Promise<string> {
  const sse = await openSse(`${t.url}/api/agents/${agentId}/events?token=${t.token}`);
  try {
    const r = await api<{ turn_id: string }>(t.url, "POST", `/api/agents/${agentId}/input`, {
      token: t.token,
      body: { text: `run: ${line}` },
    });
    expect(r.status).toBe(202);
    const ended = await sse.next(
      (e) => e.data.kind === "turn_ended" && e.data.data.turn_id === r.body.turn_id,
    );
    return String(ended.data.data.reply);
  } finally {
    await sse.close();
  }
}

async function startAgent(
  t: Target,
  body: Record<string, unknown>,
): Promise<{ id: string; workdir: string }> {
  const created = await api<{ id: string }>(t.url, "POST", "/api/agents", { token: t.token, body });
  expect(created.status).toBe(201);
  const started = await api<{ workdir: string }>(t.url, "POST", `/api/agents/${created.body.id}/start`, {
    token: t.token,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  cleanups.push(() => api(t.url, "POST", `/api/agents/${created.body.id}/stop`, { token: t.token }));
  return { id: created.body.id, workdir: started.body.workdir };
}

function envOf(reply: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of reply.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** The daemon's variables never reach the agent; pass_env does; agenthub's own computed ones do. */
function expectAllowListedEnv(reply: string, passed: boolean): void {
  expect(reply).not.toContain(CANARIES.AGENTHUB_CANARY_X);
  expect(reply).not.toContain(CANARIES.OTHER_CANARY);
  const env = envOf(reply);
  expect(env.get("PASSED_CANARY")).toBe(passed ? CANARIES.PASSED_CANARY : undefined);
  expect(env.get("PATH")).toBeTruthy();
  expect(env.get("AGENTHUB_BIN")).toMatch(/agenthub\.js$/);
  const agenthubNames = [...env.keys()].filter((k) => k.startsWith("AGENTHUB_")).sort();
  // Only agenthub's own per-agent variables (no actor vars: these agents are not team members).
  expect(agenthubNames).toEqual(["AGENTHUB_BIN", "AGENTHUB_NODE_AGENT_ID"]);
}

function countLines(logs: string, re: RegExp): number {
  return logs.split("\n").filter((l) => re.test(l)).length;
}

const NOT_ISOLATED = /agents are NOT isolated/;

describe("agents on the built-in main node (isolation auto)", () => {
  async function hubWithWorkspaces() {
    plantCanaries();
    const t = tempDir("agenthub-sbx-");
    cleanups.push(t.cleanup);
    const safe = join(t.path, "safe");
    const mine = join(safe, "team-a");
    const theirs = join(safe, "team-b");
    mkdirSync(mine, { recursive: true });
    mkdirSync(theirs, { recursive: true });
    writeFileSync(join(theirs, "plans.txt"), "team b only\n");
    const h = await startHubWithRoot({ safe_paths: [safe], agents: { pass_env: ["PASSED_CANARY"] } });
    cleanups.push(() => h.close());
    return { h, safe, mine, theirs, target: { url: h.url, token: h.rootToken } };
  }

  it(
    sandboxed
      ? "an agent cannot read the hub's data dir, another workdir or the daemon's env, can write its own workdir and reach the network"
      : "without a working bwrap the hub says so once, reports none, and still allow-lists the env",
    async () => {
      const { h, safe, mine, theirs, target } = await hubWithWorkspaces();
      const health = await api<{ status: string; agents: { isolation: string } }>(h.url, "GET", "/health");
      expect(health.body).toMatchObject({ status: "ok", agents: { isolation: expectedIsolation } });
      expect(typeof (health.body as { version?: unknown }).version).toBe("string");
      const nodeHealth = await api(h.url, "GET", "/api/admin/agent-nodes/main/health", {
        token: h.rootToken,
      });
      expect(nodeHealth.body).toMatchObject({ status: "online", isolation: expectedIsolation });
      expect(countLines(h.logs(), NOT_ISOLATED)).toBe(sandboxed ? 0 : 1);

      const agent = await startAgent(target, { name: "a", provider: "scripted", workdir: mine });
      expectAllowListedEnv(await runIn(target, agent.id, "env"), true);

      // Its own workdir is writable and the change is real on the host.
      expect(await runIn(target, agent.id, 'sh -c "echo mine > own.txt && cat own.txt"')).toBe("mine");
      expect(readFileSync(join(mine, "own.txt"), "utf8")).toBe("mine\n");

      // Network and loopback stay: the agent reaches the hub's REST API.
      const fetched = await runIn(
        target,
        agent.id,
        `${process.execPath} -e "fetch('${h.url}/health').then((r) => r.text()).then((t) => console.log(t))"`,
      );
      expect(JSON.parse(fetched)).toMatchObject({ status: "ok" });

      const config = await runIn(target, agent.id, `cat ${join(h.home, "config.toml")}`);
      const other = await runIn(target, agent.id, `cat ${join(theirs, "plans.txt")}`);
      if (sandboxed) {
        expect(config).toMatch(/^command failed .*No such file or directory/);
        expect(await runIn(target, agent.id, `ls -A ${h.home}`)).toBe("(no output)");
        expect(other).toMatch(/^command failed .*No such file or directory/);
        // Of the safe path only its own workdir is there.
        expect(await runIn(target, agent.id, `ls -A ${safe}`)).toBe("team-a");
        // Its own pid namespace: the daemon's /proc (and environ) is not there to read.
        expect(await runIn(target, agent.id, `cat /proc/${process.pid}/environ`)).toMatch(/^command failed/);
      } else {
        // Degraded, as the warning says: the agent sees what the daemon's user sees.
        expect(config).toContain("safe_paths");
        expect(other).toBe("team b only");
      }
    },
  );

  it("a created worktree works with git inside the sandbox; the source repo's files stay hidden", async () => {
    const { safe, target } = await hubWithWorkspaces();
    const repo = makeRepo(join(safe, "repo"));
    const agent = await startAgent(target, {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
    });
    expect(await runIn(target, agent.id, "git status --porcelain")).toBe("(no output)");
    const commit = await runIn(
      target,
      agent.id,
      "git -c user.email=agent@example.com -c user.name=agent commit --allow-empty -q -m from-the-sandbox",
    );
    expect(commit).toBe("(no output)");
    const log = execFileSync("git", ["log", "--all", "--format=%s"], { cwd: repo, encoding: "utf8" });
    expect(log).toContain("from-the-sandbox");
    const readme = await runIn(target, agent.id, `cat ${join(repo, "README.md")}`);
    if (sandboxed) expect(readme).toMatch(/^command failed .*No such file or directory/);
    else expect(readme).toBe("repo");
  });
});

describe('isolation = "none"', () => {
  it("logs one warning at start, reports none, and still allow-lists the env", async () => {
    plantCanaries();
    const t = tempDir("agenthub-sbx-");
    cleanups.push(t.cleanup);
    const safe = join(t.path, "safe");
    mkdirSync(join(safe, "w"), { recursive: true });
    const h = await startHubWithRoot({ safe_paths: [safe], agents: { isolation: "none" } });
    cleanups.push(() => h.close());
    expect(countLines(h.logs(), NOT_ISOLATED)).toBe(1);
    const line = h
      .logs()
      .split("\n")
      .find((l) => NOT_ISOLATED.test(l))!;
    expect(JSON.parse(line)).toMatchObject({ level: 40, isolation: "none" });
    expect(line).toContain(h.home);
    const health = await api(h.url, "GET", "/health");
    expect(health.body).toMatchObject({ status: "ok", agents: { isolation: "none" } });
    const nodeHealth = await api(h.url, "GET", "/api/admin/agent-nodes/main/health", { token: h.rootToken });
    expect(nodeHealth.body).toMatchObject({ isolation: "none" });
    const target = { url: h.url, token: h.rootToken };
    const agent = await startAgent(target, { name: "n", provider: "scripted", workdir: join(safe, "w") });
    expectAllowListedEnv(await runIn(target, agent.id, "env"), false);
  });
});

describe('isolation = "bwrap" without a working bwrap', () => {
  it("the hub refuses to start and names the package", async () => {
    const t = tempDir("agenthub-sbx-");
    cleanups.push(t.cleanup);
    // An empty PATH directory: no bwrap to find (node itself runs by absolute path).
    const emptyBin = join(t.path, "bin");
    mkdirSync(emptyBin);
    const env = {
      ...hubEnv(t.path, [join(t.path, "safe")]),
      PATH: emptyBin,
      AGENTHUB_AGENTS_ISOLATION: "bwrap",
    };
    const p = spawnCli(["serve"], env);
    cleanups.push(() => p.kill("SIGKILL"));
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toMatch(
      /isolation = "bwrap" but bubblewrap does not work.*install the "bubblewrap" package/,
    );
  });
});

describe("agents on a remote node daemon", () => {
  it(
    sandboxed
      ? "are sandboxed too: no node data dir, cert dir or node env canary; health reports bwrap"
      : "report none and still get an allow-listed env",
    async () => {
      const hubDir = tempDir("agenthub-sbx-hub-");
      const nodeDir = tempDir("agenthub-sbx-node-");
      cleanups.push(hubDir.cleanup, nodeDir.cleanup);
      const projects = join(nodeDir.path, "projects");
      mkdirSync(join(projects, "w"), { recursive: true });
      const hub: HubProc = await startHubProc(hubEnv(hubDir.path, [join(hubDir.path, "projects")]));
      cleanups.push(() => hub.proc.kill("SIGTERM"));
      const root = await joinRoot(hub);
      const certDir = join(nodeDir.path, "certs");
      await issueNodeCerts(hub.env, certDir);
      const node = await startNodeProc({
        ...nodeEnv(nodeDir.path, "node-01", certDir, [projects]),
        ...CANARIES,
        AGENTHUB_AGENTS_PASS_ENV: "PASSED_CANARY",
      });
      cleanups.push(() => node.proc.kill("SIGTERM"));
      expect(countLines(node.proc.stdout(), NOT_ISOLATED)).toBe(sandboxed ? 0 : 1);
      const reg = await api(hub.url, "POST", "/api/admin/agent-nodes", {
        token: root,
        body: { id: "node-01", name: "builder", grpc_target: `127.0.0.1:${node.port}` },
      });
      expect(reg.status).toBe(201);
      const health = await api(hub.url, "GET", "/api/admin/agent-nodes/node-01/health", { token: root });
      expect(health.body).toMatchObject({ status: "online", isolation: expectedIsolation });

      const target = { url: hub.url, token: root };
      const agent = await startAgent(target, {
        name: "remote",
        node_id: "node-01",
        provider: "scripted",
        workdir: join(projects, "w"),
      });
      expectAllowListedEnv(await runIn(target, agent.id, "env"), true);
      const certs = await runIn(target, agent.id, `ls -A ${certDir}`);
      const data = await runIn(target, agent.id, `ls -A ${join(nodeDir.path, ".agenthub")}`);
      if (sandboxed) {
        expect(certs).toBe("(no output)");
        expect(data).toBe("(no output)");
      } else {
        expect(certs).toContain("ca.crt");
      }
    },
  );
});
