import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { requireSafeDirectory } from "../../src/node/workdir-policy.js";
import { createWorktree } from "../../src/node/worktree.js";
import { makeRepo } from "../helpers/cluster.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt } from "../node/helpers/build-once.js";

// Refs that git would read as options: `-m` renamed the repository's branch before refs were data.
const OPTION_REFS = ["-m", "--force"];

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(ensureBuilt, 120_000);

const git = (repo: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();

/** Everything `-m`/`--force` could have changed: refs, HEAD, config, worktrees. */
function snapshot(repo: string) {
  return {
    refs: git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
    head: git(repo, "symbolic-ref", "HEAD"),
    config: readFileSync(join(repo, ".git", "config"), "utf8"),
    worktrees: git(repo, "worktree", "list", "--porcelain"),
  };
}

function workspace() {
  const dir = tempDir("agenthub-gitargs-");
  cleanups.push(dir.cleanup);
  const safe = join(dir.path, "safe");
  const repo = makeRepo(join(safe, "repo"));
  return { dir: dir.path, safe, repo, wtRoot: join(dir.path, "worktrees") };
}

async function hubFor(safe: string) {
  const h = await startHubWithRoot({ safe_paths: [safe] });
  cleanups.push(() => h.close());
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    api<T & { error: string; code: string; details?: Record<string, unknown> }>(h.url, method, path, {
      token: h.rootToken,
      body,
    });
  return call;
}

describe("worktree refs are data, on the node", () => {
  for (const ref of OPTION_REFS) {
    it(`createWorktree refuses worktree_ref ${JSON.stringify(ref)} and leaves the repository as it was`, async () => {
      const { safe, repo, wtRoot } = workspace();
      const before = snapshot(repo);
      const err = await createWorktree({
        repo,
        ref,
        root: wtRoot,
        name: "w",
        checkRepo: (p) => requireSafeDirectory(p, [safe]),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("WORKTREE_REF_INVALID");
      expect((err as AppError).status).toBe(400);
      expect((err as Error).message).toContain(`worktree_ref must be a git ref, not an option`);
      expect((err as Error).message).toContain(JSON.stringify(ref));
      expect(snapshot(repo)).toEqual(before);
      expect(git(repo, "branch", "--show-current")).toBe("main");
      expect(existsSync(wtRoot)).toBe(false);
    });
  }

  it("a normal ref (branch or sha) still makes a worktree at that commit", async () => {
    const { safe, repo, wtRoot } = workspace();
    const main = git(repo, "rev-parse", "main");
    const checkRepo = (p: string) => requireSafeDirectory(p, [safe]);
    const byBranch = await createWorktree({ repo, ref: "main", root: wtRoot, name: "a", checkRepo });
    const bySha = await createWorktree({ repo, ref: main, root: wtRoot, name: "b", checkRepo });
    for (const wt of [byBranch, bySha]) {
      expect(git(wt.path, "rev-parse", "HEAD")).toBe(main);
      expect(git(wt.path, "branch", "--show-current")).toBe(wt.branch);
      expect(readFileSync(join(wt.path, "README.md"), "utf8")).toBe("repo\n");
    }
    expect(git(repo, "branch", "--show-current")).toBe("main");
  });

  it("does not run the repository's hooks (agents can write its git dir; git runs outside the sandbox)", async () => {
    const { dir, safe, repo, wtRoot } = workspace();
    const marker = join(dir, "hook-ran");
    const hook = join(repo, ".git", "hooks", "post-checkout");
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(hook, 0o755);
    const wt = await createWorktree({
      repo,
      ref: "main",
      root: wtRoot,
      name: "h",
      checkRepo: (p) => requireSafeDirectory(p, [safe]),
    });
    expect(existsSync(join(wt.path, "README.md"))).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a repository outside the safe paths, also when reached through a symlink", async () => {
    const { dir, safe, wtRoot } = workspace();
    const outside = makeRepo(join(dir, "outside"));
    const link = join(safe, "linked");
    symlinkSync(outside, link);
    const before = snapshot(outside);
    for (const repo of [outside, link]) {
      const err = await createWorktree({
        repo,
        ref: "main",
        root: wtRoot,
        name: "o",
        checkRepo: (p) => requireSafeDirectory(p, [safe]),
      }).catch((e: unknown) => e);
      expect((err as AppError).code).toBe("WORKDIR_NOT_SAFE");
    }
    expect(snapshot(outside)).toEqual(before);
  });
});

describe("worktree refs are data, through the API", () => {
  it("agent creation refuses option-like refs with WORKTREE_REF_INVALID naming the field; nothing is saved", async () => {
    const { safe, repo } = workspace();
    const call = await hubFor(safe);
    const before = snapshot(repo);
    for (const ref of OPTION_REFS) {
      const r = await call("POST", "/api/agents", {
        name: "wt",
        provider: "scripted",
        worktree_mode: "create_worktree",
        worktree_repo: repo,
        worktree_ref: ref,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.code).toBe("WORKTREE_REF_INVALID");
      expect(r.body.error).toBe(`worktree_ref must be a git ref, not an option (starts with "-"): "${ref}"`);
      expect(r.body.details).toMatchObject({ field: "worktree_ref", worktree_ref: ref });
    }
    expect((await call<{ agents: unknown[] }>("GET", "/api/agents")).body.agents).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
  });

  it("a team spec with an option-like ref is refused, naming the member's field", async () => {
    const { safe, repo } = workspace();
    const call = await hubFor(safe);
    const before = snapshot(repo);
    for (const ref of OPTION_REFS) {
      const r = await call("POST", "/api/teams", {
        name: `t${ref}`,
        spec: {
          spec_version: 1,
          leader_member_id: "lead",
          members: [
            { member_id: "lead", agent: { provider: "scripted", workdir: safe } },
            {
              member_id: "impl",
              agent: {
                provider: "scripted",
                worktree_mode: "create_worktree",
                worktree_repo: repo,
                worktree_ref: ref,
              },
            },
          ],
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.code).toBe("WORKTREE_REF_INVALID");
      const field = "spec.members[1].agent.worktree_ref";
      expect(r.body.error).toBe(`${field} must be a git ref, not an option (starts with "-"): "${ref}"`);
      expect(r.body.details?.errors).toEqual([{ field, message: r.body.error }]);
    }
    expect((await call<{ teams: unknown[] }>("GET", "/api/teams")).body.teams).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
  });

  it("checks worktree_repo against safe_paths again at start (a symlink re-pointed after creation)", async () => {
    const { dir, safe, repo } = workspace();
    const outside = makeRepo(join(dir, "outside"));
    const link = join(safe, "project");
    symlinkSync(repo, link);
    const call = await hubFor(safe);
    const created = await call<{ id: string }>("POST", "/api/agents", {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: link,
      worktree_ref: "main",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    rmSync(link);
    symlinkSync(outside, link);
    const before = snapshot(outside);
    const start = await call("POST", `/api/agents/${created.body.id}/start`);
    expect(start.status, JSON.stringify(start.body)).toBe(400);
    expect(start.body.code).toBe("WORKDIR_NOT_SAFE");
    expect(snapshot(outside)).toEqual(before);
  });

  it("a normal ref still works: the agent starts in a worktree at that commit", async () => {
    const { safe, repo } = workspace();
    const call = await hubFor(safe);
    const main = git(repo, "rev-parse", "main");
    const created = await call<{ id: string }>("POST", "/api/agents", {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
      worktree_ref: "main",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = await call<{ workdir: string }>("POST", `/api/agents/${created.body.id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    cleanups.push(() => call("POST", `/api/agents/${created.body.id}/stop`));
    expect(git(started.body.workdir, "rev-parse", "HEAD")).toBe(main);
    expect(git(repo, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
    expect(git(repo, "rev-parse", "main")).toBe(main);
  });
});
