import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { requireSafeDirectory } from "../../src/node/workdir-policy.js";
import { WorkspaceError } from "../../src/node/workspace-error.js";
import { createWorktree, slugify } from "../../src/node/worktree.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function gitRepo() {
  const t = tempDir("agenthub-wt-");
  cleanups.push(t.cleanup);
  const repo = join(t.path, "safe", "repo");
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo });
  git("init", "-q");
  writeFileSync(join(repo, "README.md"), "hello\n");
  git("add", "README.md");
  git("commit", "-q", "-m", "init");
  return { root: t.path, repo, safe: join(t.path, "safe"), git };
}

describe("slugify", () => {
  it("makes safe slugs", () => {
    expect(slugify("Impl Worker #1")).toBe("impl-worker-1");
    expect(slugify("../../etc")).toBe("etc");
    expect(slugify("***")).toBe("agent");
  });
});

describe("createWorktree", () => {
  it("creates a worktree on a new branch with a unique path", async () => {
    const { root, repo, safe, git } = gitRepo();
    const wtRoot = join(root, "worktrees");
    const checkRepo = (p: string) => requireSafeDirectory(p, [safe]);
    const a = await createWorktree({ repo, ref: "HEAD", root: wtRoot, name: "Impl Worker", checkRepo });
    const b = await createWorktree({ repo, root: wtRoot, name: "Impl Worker", checkRepo });
    expect(a.path).not.toBe(b.path);
    expect(a.path.startsWith(join(wtRoot, "impl-worker-"))).toBe(true);
    expect(a.branch).toMatch(/^agenthub\/impl-worker-[0-9a-f]{8}$/);
    expect(existsSync(join(a.path, "README.md"))).toBe(true);
    expect(git("branch", "--list", a.branch).toString()).toContain(a.branch);
  });

  it("names the ref and shows git's error text for a bad ref", async () => {
    const { root, repo, safe } = gitRepo();
    const err = await createWorktree({
      repo,
      ref: "no-such-ref",
      root: join(root, "wt"),
      name: "x",
      checkRepo: (p) => requireSafeDirectory(p, [safe]),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as WorkspaceError).code).toBe("WORKSPACE_ERROR");
    expect((err as WorkspaceError).gitText).toMatch(/^fatal: /);
    expect((err as Error).message).toMatch(/^worktree_ref "no-such-ref" is not a commit in .*: fatal: /);
  });

  it("shows git's error text when the repo is not a repository", async () => {
    const { root, safe } = gitRepo();
    const plain = join(safe, "plain");
    mkdirSync(plain);
    const err = await createWorktree({
      repo: plain,
      root: join(root, "wt"),
      name: "x",
      checkRepo: (p) => requireSafeDirectory(p, [safe]),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as WorkspaceError).gitText).toMatch(/not a git repository/);
  });

  it("checks out a sha256 repository too, with an index git finds clean", async () => {
    const t = tempDir("agenthub-wt-");
    cleanups.push(t.cleanup);
    const repo = join(t.path, "safe", "repo");
    mkdirSync(repo, { recursive: true });
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd,
        encoding: "utf8",
      });
    git(repo, "init", "-q", "--object-format=sha256");
    writeFileSync(join(repo, "README.md"), "hello\n");
    git(repo, "add", "README.md");
    git(repo, "commit", "-q", "-m", "init");
    const wt = await createWorktree({
      repo,
      root: join(t.path, "wt"),
      name: "s",
      checkRepo: (p) => requireSafeDirectory(p, [join(t.path, "safe")]),
    });
    expect(readFileSync(join(wt.path, "README.md"), "utf8")).toBe("hello\n");
    expect(git(wt.path, "status", "--porcelain")).toBe("");
    expect(git(wt.path, "rev-parse", "HEAD")).toBe(git(repo, "rev-parse", "HEAD"));
  });

  it("a checkout that fails leaves no worktree and no branch behind, and says why", async () => {
    const { root, repo, safe, git } = gitRepo();
    // The commit is there, the README's blob is not: `worktree add --no-checkout` works, the checkout fails.
    const blob = git("rev-parse", "HEAD:README.md").toString().trim();
    rmSync(join(repo, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const wtRoot = join(root, "wt");
    const err = await createWorktree({
      repo,
      root: wtRoot,
      name: "x",
      checkRepo: (p) => requireSafeDirectory(p, [safe]),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceError);
    expect((err as Error).message).toMatch(/^checking out [0-9a-f]{40} in .* failed: /);
    expect(readdirSync(wtRoot)).toEqual([]);
    expect(git("branch", "--list", "agenthub/*").toString()).toBe("");
    expect(git("worktree", "list", "--porcelain").toString()).not.toContain(wtRoot);
  });

  it("refuses a repo outside the safe paths via the checker", async () => {
    const { root, repo } = gitRepo();
    const other = join(root, "other");
    mkdirSync(other);
    const err = await createWorktree({
      repo,
      root: join(root, "wt"),
      name: "x",
      checkRepo: (p) => requireSafeDirectory(p, [other]),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("WORKDIR_NOT_SAFE");
  });
});
