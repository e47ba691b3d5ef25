import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRepo } from "../helpers/cluster.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type RuntimeView, type TeamHub } from "./helpers.js";

type Kept = {
  member_id: string;
  agent_id: string;
  node_id: string;
  path: string;
  branch: string;
  reason: string;
};
type Outcome = {
  member_id: string;
  node_id: string;
  path: string;
  branch: string;
  removed: boolean;
  kept_reason: string | null;
  branch_deleted: boolean;
  branch_kept_reason: string | null;
};
type Health = { worktrees: { count: number; bytes: number } | null };

let t: TeamHub;
let repo: string;

beforeEach(async () => {
  t = await openTeamHub();
  repo = makeRepo(join(t.safe, "repo"));
});
afterEach(async () => {
  await t.close();
});

const worktreeMember = () => ({
  provider: "scripted",
  node_id: "main",
  worktree_mode: "create_worktree",
  worktree_repo: repo,
  worktree_ref: "main",
  // No workdir: the node creates a worktree (t.member gives every member a plain one by default).
  workdir: undefined,
});

const branches = () =>
  execFileSync("git", ["branch", "--format=%(refname:short)"], { cwd: repo, encoding: "utf8" })
    .trim()
    .split("\n")
    .sort();

/** A started team: a leader in a plain workdir and one worker per id, each in a fresh worktree. */
async function startedTeam(name: string, workers: string[]) {
  const teamId = await t.createTeam(
    {
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), ...workers.map((w) => t.member(w, "worker", worktreeMember()))],
    },
    name,
  );
  const rt = await t.startRuntime(teamId);
  const dir = (id: string) => rt.members.find((m) => m.member_id === id)!.workdir!;
  const branchOf = (id: string) =>
    execFileSync("git", ["rev-parse", "--abbrev-ref", "HEAD"], { cwd: dir(id), encoding: "utf8" }).trim();
  return { teamId, dir, branchOf };
}

async function health(): Promise<Health> {
  return (await t.call<Health>("GET", "/api/admin/agent-nodes/main/health")).body;
}

describe("member worktrees on the built-in node", () => {
  it("a spec edit removes a removed member's worktree and keeps a dirty one, shown in the runtime until forced", async () => {
    const team = await startedTeam("edit", ["clean", "dirty"]);
    const [cleanDir, dirtyDir] = [team.dir("clean"), team.dir("dirty")];
    const [cleanBranch, dirtyBranch] = [team.branchOf("clean"), team.branchOf("dirty")];
    expect(cleanBranch).toMatch(/^agenthub\//);
    writeFileSync(join(dirtyDir, "wip.txt"), "unsaved\n");
    const before = await waitUntil("main's health to count both worktrees", async () => {
      const h = await health();
      return h.worktrees && h.worktrees.count === 2 && h.worktrees.bytes > 0 ? h.worktrees : undefined;
    });
    expect(before.count).toBe(2);

    const current = (await t.call<{ version: number }>("GET", `/api/teams/${team.teamId}`)).body;
    const put = await t.call("PUT", `/api/teams/${team.teamId}`, {
      expected_version: current.version,
      spec: { spec_version: 1, leader_member_id: "lead", members: [t.member("lead", "leader")] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const rt = await waitUntil("the removed members' worktrees handled", async () => {
      const r = (await t.runtime(team.teamId)) as RuntimeView & { kept_worktrees: Kept[] };
      // The clean worktree's directory goes first, then its branch (git worktree remove, then update-ref -d).
      const cleanGone = !existsSync(cleanDir) && !branches().includes(cleanBranch!);
      return r.members.length === 1 && r.kept_worktrees.length === 1 && cleanGone ? r : undefined;
    });
    expect(rt.kept_worktrees[0]).toMatchObject({
      member_id: "dirty",
      node_id: "main",
      path: dirtyDir,
      branch: dirtyBranch,
      reason: "uncommitted changes in 1 path (wip.txt)",
    });
    expect(existsSync(join(dirtyDir, "wip.txt"))).toBe(true);
    // The clean member's branch had no commits beyond its base: deleted; the dirty one's stays with it.
    expect(branches()).toEqual([dirtyBranch, "main"].sort());
    expect(t.h.logs()).toContain('"msg":"member worktree kept"');
    expect((await health()).worktrees?.count).toBe(1);

    // Asked again without force: still kept, and still listed.
    const again = await t.call<{ worktrees: Outcome[] }>(
      "POST",
      `/api/teams/${team.teamId}/runtime/worktrees/remove`,
      {},
    );
    expect(again.status).toBe(200);
    expect(again.body.worktrees).toEqual([
      expect.objectContaining({
        path: dirtyDir,
        removed: false,
        kept_reason: "uncommitted changes in 1 path (wip.txt)",
      }),
    ]);
    expect(
      ((await t.runtime(team.teamId)) as unknown as { kept_worktrees: Kept[] }).kept_worktrees,
    ).toHaveLength(1);

    const forced = await t.call<{ worktrees: Outcome[] }>(
      "POST",
      `/api/teams/${team.teamId}/runtime/worktrees/remove`,
      { force: true },
    );
    expect(forced.body.worktrees).toEqual([
      {
        member_id: "dirty",
        agent_id: expect.any(String),
        node_id: "main",
        path: dirtyDir,
        branch: dirtyBranch,
        removed: true,
        kept_reason: null,
        branch_deleted: true,
        branch_kept_reason: null,
      },
    ]);
    expect(existsSync(dirtyDir)).toBe(false);
    expect(branches()).toEqual(["main"]);
    expect(((await t.runtime(team.teamId)) as unknown as { kept_worktrees: Kept[] }).kept_worktrees).toEqual(
      [],
    );
    expect(await waitUntil("no worktree counted", async () => (await health()).worktrees?.count === 0)).toBe(
      true,
    );
  });

  it("deleting a team removes its members' clean worktrees and answers which it kept; remove_worktrees=force removes them all", async () => {
    const a = await startedTeam("a", ["clean", "dirty"]);
    const [cleanDir, dirtyDir] = [a.dir("clean"), a.dir("dirty")];
    const dirtyBranch = a.branchOf("dirty");
    writeFileSync(join(dirtyDir, "README.md"), "edited\n");

    const bogus = await t.call("DELETE", `/api/teams/${a.teamId}?remove_worktrees=maybe`);
    expect(bogus.status).toBe(400);

    const del = await t.call<{ id: string; deleted: boolean; worktrees: Outcome[] }>(
      "DELETE",
      `/api/teams/${a.teamId}`,
    );
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    const byMember = Object.fromEntries(del.body.worktrees.map((w) => [w.member_id, w]));
    expect(byMember.clean).toMatchObject({
      path: cleanDir,
      removed: true,
      branch_deleted: true,
      kept_reason: null,
    });
    expect(byMember.dirty).toMatchObject({
      path: dirtyDir,
      branch: dirtyBranch,
      removed: false,
      kept_reason: "uncommitted changes in 1 path (README.md)",
      branch_deleted: false,
    });
    expect(existsSync(cleanDir)).toBe(false);
    expect(existsSync(dirtyDir)).toBe(true);
    expect((await t.call("GET", `/api/teams/${a.teamId}`)).status).toBe(404);

    const b = await startedTeam("b", ["dirty"]);
    const bDir = b.dir("dirty");
    writeFileSync(join(bDir, "wip.txt"), "unsaved\n");
    const forced = await t.call<{ worktrees: Outcome[] }>(
      "DELETE",
      `/api/teams/${b.teamId}?remove_worktrees=force`,
    );
    expect(forced.body.worktrees).toEqual([
      expect.objectContaining({ member_id: "dirty", path: bDir, removed: true, branch_deleted: true }),
    ]);
    expect(existsSync(bDir)).toBe(false);
    // Team a's kept worktree is all that is left.
    expect(branches()).toEqual([dirtyBranch, "main"].sort());
  });
});
