import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runBwrapProbe } from "../../src/node/sandbox.js";
import { hubEnv, joinRoot, makeRepo, startHubProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt } from "../node/helpers/build-once.js";

/**
 * Ways out of the sandbox through what the daemon later runs unsandboxed (review of issue 10): a
 * program planted on the daemon's PATH, this installation's own code, the user's runtime dir
 * (systemd --user, D-Bus), and repository config the daemon's `git worktree add` would run. Real
 * bwrap, a real hub process, the scripted agent running shell commands. Whether bwrap works here is
 * probed, not assumed: without it agents run unisolated (the daemon says so) and only the daemon-side
 * git guarantee is asserted.
 */
const sandboxed = (await runBwrapProbe()).works;
const INSTALL_ROOT = join(import.meta.dirname, "..", "..");
const READ_ONLY = /^command failed .*Read-only file system/s;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(ensureBuilt, 120_000);

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
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const started = await api<{ workdir: string }>(t.url, "POST", `/api/agents/${created.body.id}/start`, {
    token: t.token,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  cleanups.push(() => api(t.url, "POST", `/api/agents/${created.body.id}/stop`, { token: t.token }));
  return { id: created.body.id, workdir: started.body.workdir };
}

/**
 * The daemon's runtime dir with something in it: /run/user/<uid> when it exists or can be made (as
 * root), otherwise a directory in the agent's workdir (visible and writable there but for the tmpfs).
 */
function runtimeDir(fallback: string): string {
  const uid = process.getuid?.() ?? 0;
  let dir = `/run/user/${uid}`;
  try {
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (created) cleanups.push(() => rmSync(created, { recursive: true, force: true }));
    const marker = join(dir, `agenthub-test-${randomBytes(4).toString("hex")}`);
    writeFileSync(marker, "");
    cleanups.push(() => rmSync(marker, { force: true }));
  } catch {
    dir = fallback;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "bus"), "");
  }
  return dir;
}

/** A hub process whose PATH starts with `pathFirst`, then a dir in the agent's workdir. */
async function hub(opts: { pathFirst: string; safe: string; home: string; runtime?: string }) {
  const env = {
    ...hubEnv(opts.home, [opts.safe]),
    PATH: `${opts.pathFirst}:${join(opts.safe, "team-a", "bin")}:${process.env.PATH ?? ""}`,
    ...(opts.runtime ? { XDG_RUNTIME_DIR: opts.runtime } : {}),
  };
  const h = await startHubProc(env);
  cleanups.push(() => h.proc.kill("SIGTERM"));
  const token = await joinRoot(h);
  return { h, target: { url: h.url, token } };
}

function layout() {
  const t = tempDir("agenthub-escape-");
  cleanups.push(t.cleanup);
  const safe = join(t.path, "safe");
  const mine = join(safe, "team-a");
  const pathFirst = join(t.path, "path-first");
  const home = join(t.path, "home");
  for (const d of [join(mine, "bin"), pathFirst, join(home, ".cache")]) mkdirSync(d, { recursive: true });
  return { root: t.path, safe, mine, pathFirst, home };
}

describe("nothing an agent writes is run by the daemon outside the sandbox", () => {
  it(
    sandboxed
      ? "an agent cannot write the daemon's PATH dirs, this installation or node, sees /run/user/<uid> empty, and still writes its workdir, /tmp and HOME caches"
      : "without a working bwrap the daemon says agents are not isolated",
    async () => {
      const l = layout();
      const runtime = runtimeDir(join(l.mine, "run"));
      const { h, target } = await hub({ ...l, runtime });
      if (!sandboxed) {
        expect(h.proc.stdout() + h.proc.stderr()).toMatch(/agents are NOT isolated/);
        return;
      }
      const agent = await startAgent(target, { name: "a", provider: "scripted", workdir: l.mine });
      const plant = (path: string) => runIn(target, agent.id, `sh -c "echo planted > ${path}"`);

      // (a) A `git` planted first on the daemon's PATH: a dir the agent would not even see (under /tmp)
      // and a dir inside its own writable workdir are both read-only.
      expect(await runIn(target, agent.id, `ls -A ${l.pathFirst}`)).toBe("(no output)");
      expect(await plant(join(l.pathFirst, "git"))).toMatch(READ_ONLY);
      expect(await plant(join(l.mine, "bin", "git"))).toMatch(READ_ONLY);
      expect(existsSync(join(l.pathFirst, "git"))).toBe(false);
      expect(existsSync(join(l.mine, "bin", "git"))).toBe(false);

      // (b) This installation (dist/, bin/, node_modules) and node are read-only.
      const planted = `planted-${randomBytes(4).toString("hex")}.js`;
      const targets = [
        join(INSTALL_ROOT, "dist", planted),
        join(INSTALL_ROOT, "bin", planted),
        join(INSTALL_ROOT, "node_modules", planted),
        join(dirname(process.execPath), planted),
      ];
      for (const p of targets) cleanups.push(() => rmSync(p, { force: true }));
      for (const p of targets) {
        expect(await plant(p), p).toMatch(READ_ONLY);
        expect(existsSync(p), p).toBe(false);
      }

      // (c) The runtime dir (systemd --user, the session bus) is an empty tmpfs.
      expect(readdirSync(runtime).length).toBeGreaterThan(0);
      expect(await runIn(target, agent.id, `ls -A ${runtime}`)).toBe("(no output)");

      // What agents need still works: the workdir, a private /tmp, HOME caches. Nothing else in HOME
      // reaches the host.
      const tmpName = `/tmp/agenthub-private-${randomBytes(4).toString("hex")}`;
      cleanups.push(() => rmSync(tmpName, { force: true }));
      const wrote = await runIn(
        target,
        agent.id,
        `sh -c "echo w > own.txt && echo t > ${tmpName} && cat ${tmpName} && echo c > ${l.home}/.cache/agent.txt && echo p >> ${l.home}/.profile; echo done"`,
      );
      expect(wrote).toBe("t\ndone");
      expect(readFileSync(join(l.mine, "own.txt"), "utf8")).toBe("w\n");
      expect(readFileSync(join(l.home, ".cache", "agent.txt"), "utf8")).toBe("c\n");
      expect(existsSync(tmpName)).toBe(false);
      expect(existsSync(join(l.home, ".profile"))).toBe(false);
    },
  );

  it("the daemon creates a worktree of a repository with a smudge filter, hooks and fsmonitor without running any of them", async () => {
    const l = layout();
    const markers = join(l.root, "markers");
    mkdirSync(markers);
    const repo = makeRepo(join(l.safe, "evil"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
    writeFileSync(join(repo, ".gitattributes"), "* filter=evil\n");
    writeFileSync(join(repo, "data.txt"), "raw\n");
    git("add", ".");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "attributes");
    // What an agent with this repository's git dir could plant, each leaving a marker if it runs.
    const script = (name: string) => {
      const p = join(l.root, `${name}.sh`);
      writeFileSync(p, `#!/bin/sh\ntouch '${join(markers, name)}'\ncat\n`);
      chmodSync(p, 0o755);
      return p;
    };
    const hooks = join(l.root, "hooks");
    mkdirSync(hooks);
    for (const hook of ["post-checkout", "reference-transaction"]) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\ntouch '${join(markers, hook)}'\n`);
      chmodSync(join(hooks, hook), 0o755);
    }
    writeFileSync(join(repo, ".git", "info", "attributes"), "*.txt filter=evil2\n");
    git("config", "filter.evil.smudge", script("smudge"));
    git("config", "filter.evil.required", "true");
    git("config", "filter.evil2.process", script("process"));
    git("config", "core.fsmonitor", script("fsmonitor"));
    git("config", "core.hooksPath", hooks);

    const { target } = await hub({ ...l });
    const agent = await startAgent(target, {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
    });
    expect(readdirSync(markers)).toEqual([]);
    // The worktree is there, at the commit, with the blobs as committed (no smudging).
    expect(readFileSync(join(agent.workdir, "data.txt"), "utf8")).toBe("raw\n");
    expect(readFileSync(join(agent.workdir, "README.md"), "utf8")).toBe("repo\n");
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const branch = execFileSync("git", ["-C", agent.workdir, "symbolic-ref", "--short", "HEAD"], {
      encoding: "utf8",
    }).trim();
    expect(branch).toMatch(/^agenthub\/wt-[0-9a-f]{8}$/);
    expect(execFileSync("git", ["rev-parse", branch], { cwd: repo, encoding: "utf8" }).trim()).toBe(head);

    // The agent still writes its worktree, its /tmp and its HOME cache.
    const wrote = await runIn(
      target,
      agent.id,
      `sh -c "echo w > mine.txt && echo t > /tmp/t.txt && cat /tmp/t.txt && echo c > ${l.home}/.cache/wt.txt"`,
    );
    expect(wrote).toBe("t");
    expect(readFileSync(join(agent.workdir, "mine.txt"), "utf8")).toBe("w\n");
    expect(readFileSync(join(l.home, ".cache", "wt.txt"), "utf8")).toBe("c\n");
    expect(readdirSync(markers)).toEqual([]);
  });
});
