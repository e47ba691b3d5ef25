import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { requireSafeDirectory } from "../../src/node/workdir-policy.js";
import { createWorktree, type Worktree } from "../../src/node/worktree.js";
import { WorktreeJanitor } from "../../src/node/worktree-janitor.js";
import { WorktreeRecords } from "../../src/node/worktree-records.js";
import { FakeClock } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

const DAY = 86_400_000;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A repository with one commit on `main`, a worktree root and a janitor over them (7-day retention). */
function world(inUse: Set<string> = new Set()) {
  const t = tempDir("agenthub-janitor-");
  cleanups.push(t.cleanup);
  const safe = join(t.path, "safe");
  const repo = join(safe, "repo");
  mkdirSync(repo, { recursive: true });
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd,
      encoding: "utf8",
    });
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "hello\n");
  git(repo, "add", "README.md");
  git(repo, "commit", "-q", "-m", "init");
  const root = join(t.path, "worktrees");
  const dataDir = join(t.path, "data");
  const clock = new FakeClock();
  const janitor = new WorktreeJanitor({ root, dataDir, retentionMs: 7 * DAY, clock, inUse: () => inUse });
  cleanups.push(() => janitor.stop());
  const make = async (agentId: string): Promise<Worktree> => {
    const wt = await createWorktree({
      repo,
      root,
      name: agentId,
      checkRepo: (p) => requireSafeDirectory(p, [safe]),
    });
    janitor.track(wt, agentId);
    return wt;
  };
  const branches = () => git(repo, "branch", "--format=%(refname:short)").trim().split("\n");
  const registered = () => git(repo, "worktree", "list", "--porcelain");
  return { t, repo, root, dataDir, clock, janitor, make, git, branches, registered };
}

describe("removing an agent's worktrees", () => {
  it("removes a clean worktree and deletes its branch (no commits beyond its base)", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    const [r] = await w.janitor.removeForAgent("agt_1", false);
    expect(r).toEqual({ path: wt.path, branch: wt.branch, removed: true, branch_deleted: true });
    expect(existsSync(wt.path)).toBe(false);
    expect(w.registered()).not.toContain(wt.path);
    expect(w.branches()).toEqual(["main"]);
    // Forgotten: asking again finds nothing.
    expect(await w.janitor.removeForAgent("agt_1", false)).toEqual([]);
  });

  it("keeps a worktree with uncommitted changes and says which paths; forced, removes it", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    writeFileSync(join(wt.path, "README.md"), "changed\n");
    writeFileSync(join(wt.path, "notes.txt"), "new\n");
    const [kept] = await w.janitor.removeForAgent("agt_1", false);
    expect(kept).toMatchObject({ path: wt.path, removed: false, branch_deleted: false });
    expect(kept!.kept_reason).toBe("uncommitted changes in 2 paths (README.md, notes.txt)");
    expect(existsSync(join(wt.path, "notes.txt"))).toBe(true);
    expect(w.branches()).toContain(wt.branch);

    const [forced] = await w.janitor.removeForAgent("agt_1", true);
    expect(forced).toMatchObject({ path: wt.path, removed: true, branch_deleted: true });
    expect(existsSync(wt.path)).toBe(false);
    expect(w.branches()).toEqual(["main"]);
  });

  it("removes a worktree whose work is committed but keeps the branch with the commits, saying so", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    writeFileSync(join(wt.path, "feature.txt"), "done\n");
    w.git(wt.path, "add", "feature.txt");
    w.git(wt.path, "commit", "-q", "-m", "feature");
    const [r] = await w.janitor.removeForAgent("agt_1", false);
    expect(r).toMatchObject({ removed: true, branch_deleted: false });
    expect(r!.branch_kept_reason).toBe(
      `it has 1 commit beyond its base ${wt.base.slice(0, 12)} that no other branch or tag holds`,
    );
    expect(existsSync(wt.path)).toBe(false);
    expect(w.git(w.repo, "log", "--format=%s", wt.branch).trim().split("\n")).toEqual(["feature", "init"]);
  });

  it("deletes the branch once its commits are merged elsewhere", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    writeFileSync(join(wt.path, "feature.txt"), "done\n");
    w.git(wt.path, "add", "feature.txt");
    w.git(wt.path, "commit", "-q", "-m", "feature");
    w.git(w.repo, "merge", "-q", "--ff-only", wt.branch);
    const [r] = await w.janitor.removeForAgent("agt_1", false);
    expect(r).toMatchObject({ removed: true, branch_deleted: true });
    expect(w.branches()).toEqual(["main"]);
  });

  it("keeps a worktree whose detached HEAD has commits on no branch", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    w.git(wt.path, "checkout", "-q", "--detach");
    writeFileSync(join(wt.path, "stray.txt"), "x\n");
    w.git(wt.path, "add", "stray.txt");
    w.git(wt.path, "commit", "-q", "-m", "stray");
    const [r] = await w.janitor.removeForAgent("agt_1", false);
    expect(r!.removed).toBe(false);
    expect(r!.kept_reason).toMatch(/^its HEAD \([0-9a-f]{12}\) has commits on no branch or tag$/);
  });

  it("never removes the worktree a live agent works in", async () => {
    const inUse = new Set<string>();
    const w = world(inUse);
    const wt = await w.make("agt_1");
    inUse.add(wt.path);
    const [r] = await w.janitor.removeForAgent("agt_1", true);
    expect(r).toMatchObject({ removed: false, kept_reason: "its agent is running" });
    expect(existsSync(wt.path)).toBe(true);
  });

  it("checks for changes without the repository's config: a clean filter an agent defined does not run", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    const marker = join(w.t.path, "filter-ran");
    // What an agent can do: define a filter driver in the shared repository config and name it for
    // every path, then make a tracked file's stat info stale so a status must compare contents.
    w.git(w.repo, "config", "filter.evil.clean", `touch ${marker}; cat`);
    writeFileSync(join(wt.path, ".gitattributes"), "* filter=evil\n");
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(wt.path, "README.md"), past, past);
    // The repository's own git would run it (the check that this test can catch a regression).
    w.git(wt.path, "status", "--porcelain");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    // That status refreshed the index: make the stat info stale again.
    const earlier = new Date(Date.now() - 7_200_000);
    utimesSync(join(wt.path, "README.md"), earlier, earlier);

    const [r] = await w.janitor.removeForAgent("agt_1", false);
    expect(r!.kept_reason).toBe("uncommitted changes in 1 path (.gitattributes)");
    expect(existsSync(marker)).toBe(false);
  });
});

describe("the retention sweep", () => {
  it("removes a worktree once its agent stopped more than the retention ago, and keeps a dirty one", async () => {
    const w = world();
    const clean = await w.make("agt_clean");
    const dirty = await w.make("agt_dirty");
    writeFileSync(join(dirty.path, "wip.txt"), "unsaved\n");
    w.janitor.release(clean.path);
    w.janitor.release(dirty.path);

    w.clock.advance(7 * DAY - 1);
    expect(await w.janitor.sweep()).toEqual({ removed: [], kept: [] });
    expect(existsSync(clean.path)).toBe(true);

    w.clock.advance(1);
    const swept = await w.janitor.sweep();
    expect(swept.removed.map((r) => r.path)).toEqual([clean.path]);
    expect(swept.kept).toEqual([
      {
        path: dirty.path,
        branch: dirty.branch,
        removed: false,
        kept_reason: "uncommitted changes in 1 path (wip.txt)",
        branch_deleted: false,
      },
    ]);
    expect(existsSync(clean.path)).toBe(false);
    expect(existsSync(join(dirty.path, "wip.txt"))).toBe(true);
    expect(w.branches().sort()).toEqual([dirty.branch, "main"].sort());
  });

  it("starts the retention of a worktree left without a recorded stop (a crash) at the first sweep", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    w.clock.advance(30 * DAY);
    expect(await w.janitor.sweep()).toEqual({ removed: [], kept: [] });
    expect(new WorktreeRecords(w.dataDir).get(wt.path)?.released_at).toBe(w.clock.now());
    w.clock.advance(7 * DAY);
    expect((await w.janitor.sweep()).removed.map((r) => r.path)).toEqual([wt.path]);
  });

  it("skips worktrees in use whatever their age", async () => {
    const inUse = new Set<string>();
    const w = world(inUse);
    const wt = await w.make("agt_1");
    inUse.add(wt.path);
    w.janitor.release(wt.path);
    w.clock.advance(100 * DAY);
    expect(await w.janitor.sweep()).toEqual({ removed: [], kept: [] });
    expect(existsSync(wt.path)).toBe(true);
  });

  it("prunes the admin dir and deletes the branch of a worktree whose directory is gone, at once", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    rmSync(wt.path, { recursive: true, force: true });
    expect(w.registered()).toContain(wt.path);
    const swept = await w.janitor.sweep();
    expect(swept.removed).toEqual([
      { path: wt.path, branch: wt.branch, removed: true, branch_deleted: true },
    ]);
    expect(w.registered()).not.toContain(wt.path);
    expect(w.branches()).toEqual(["main"]);
    expect(new WorktreeRecords(w.dataDir).list()).toEqual([]);
  });

  it("keeps a directory git no longer knows as a worktree unless forced", async () => {
    const w = world();
    const wt = await w.make("agt_1");
    w.git(w.repo, "worktree", "remove", "--force", wt.path);
    mkdirSync(wt.path);
    writeFileSync(join(wt.path, "left.txt"), "?\n");
    w.janitor.release(wt.path);
    w.clock.advance(8 * DAY);
    const swept = await w.janitor.sweep();
    expect(swept.kept[0]?.kept_reason).toBe(
      `it is no longer a worktree of ${wt.repo} (the repository or its admin dir is gone), so git cannot tell whether it holds changes`,
    );
    const [forced] = await w.janitor.removeForAgent("agt_1", true);
    expect(forced).toMatchObject({ removed: true, branch_deleted: true });
    expect(existsSync(wt.path)).toBe(false);
  });
});

describe("usage", () => {
  it("counts the worktrees under the root and measures their bytes", async () => {
    const w = world();
    expect(w.janitor.usage()).toEqual({ count: 0, bytes: 0 });
    const wt = await w.make("agt_1");
    await w.make("agt_2");
    writeFileSync(join(wt.path, "big.bin"), Buffer.alloc(100_000));
    const usage = await waitUntil("the usage measured", async () => {
      const u = w.janitor.usage();
      return u.bytes >= 100_000 ? u : undefined;
    });
    expect(usage.count).toBe(2);
    await w.janitor.removeForAgent("agt_1", true);
    const after = await waitUntil("the usage measured again", async () => {
      const u = w.janitor.usage();
      return u.bytes < 100_000 && u.bytes > 0 ? u : undefined;
    });
    expect(after.count).toBe(1);
  });
});
