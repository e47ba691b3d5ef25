import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import {
  leaderAgent,
  ProcessSet,
  type RuntimeView,
  startTeamCluster,
  type TeamCluster,
  worktreeAgent,
} from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let procs = new ProcessSet();
afterEach(async () => {
  const exits = await procs.stopAll();
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = new ProcessSet();
  expect(exits).toEqual(exits.map((e) => ({ name: e.name, code: 0 })));
});

type Outcome = { member_id: string; path: string; removed: boolean; kept_reason: string | null };
type Kept = { member_id: string; path: string; node_id: string; reason: string };
type Health = { worktrees: { count: number; bytes: number } | null };

const member = (id: string, role: "leader" | "worker", agent: unknown) => ({
  member_id: id,
  role,
  description: id,
  skills: [],
  agent,
});

describe("worktrees on a remote node process", () => {
  it("are removed with their member or team, kept while dirty until forced, swept at node start, and counted in node health", async () => {
    const d = tempDir("agenthub-wt-life-");
    dirs.push(d);
    const c: TeamCluster = await startTeamCluster(d.path, ["node-01"], procs);
    const call = <T>(method: string, path: string, body?: unknown) =>
      api<T>(c.hub.url, method, path, { token: c.token, body });
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
        cwd,
        encoding: "utf8",
      }).trim();
    const branches = () => git(c.repo, "branch", "--format=%(refname:short)").split("\n").sort();
    const health = async () => (await call<Health>("GET", "/api/admin/agent-nodes/node-01/health")).body;
    const lead = member("lead", "leader", leaderAgent(c.leadDir));
    const worker = (id: string) => member(id, "worker", worktreeAgent("node-01", c.repo));

    const created = await call<{ id: string; version: number }>("POST", "/api/teams", {
      name: "wt",
      spec: {
        spec_version: 1,
        leader_member_id: "lead",
        members: [lead, worker("a"), worker("b"), worker("c")],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const teamId = created.body.id;
    const started = await call<RuntimeView>("POST", `/api/teams/${teamId}/runtime/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const dir = (id: string) => started.body.members.find((m) => m.member_id === id)!.workdir!;
    const [aDir, bDir, cDir] = [dir("a"), dir("b"), dir("c")];
    expect(aDir.startsWith(c.worktreeRoots["node-01"]!)).toBe(true);
    const cBranch = git(cDir, "rev-parse", "--abbrev-ref", "HEAD");
    writeFileSync(join(bDir, "wip.txt"), "unsaved\n");
    writeFileSync(join(cDir, "wip.txt"), "unsaved\n");

    // The node's health answer (GetInfo over TLS gRPC) carries its worktree count and bytes.
    const usage = await waitUntil("node-01's health to count three worktrees", async () => {
      const h = await health();
      return h.worktrees && h.worktrees.count === 3 && h.worktrees.bytes > 0 ? h.worktrees : undefined;
    });
    expect(usage.count).toBe(3);

    // A spec edit on the started team removes a and b: a's worktree goes, b's (dirty) is kept and shown.
    const edit = await call("PUT", `/api/teams/${teamId}`, {
      expected_version: created.body.version,
      spec: { spec_version: 1, leader_member_id: "lead", members: [lead, worker("c")] },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    // (Each removed member's agent is stopped over gRPC first: allow for a loaded machine.)
    const rt = await waitUntil(
      "a removed and b kept",
      async () => {
        const r = (
          await call<RuntimeView & { kept_worktrees: Kept[] }>("GET", `/api/teams/${teamId}/runtime`)
        ).body;
        return r.kept_worktrees.length === 1 && !existsSync(aDir) ? r : undefined;
      },
      30_000,
    );
    expect(rt.kept_worktrees[0]).toMatchObject({
      member_id: "b",
      node_id: "node-01",
      path: bDir,
      reason: "uncommitted changes in 1 path (wip.txt)",
    });
    expect(existsSync(bDir)).toBe(true);

    // Forced: b's worktree goes, uncommitted file and all.
    const forced = await call<{ worktrees: Outcome[] }>(
      "POST",
      `/api/teams/${teamId}/runtime/worktrees/remove`,
      {
        force: true,
      },
    );
    expect(forced.body.worktrees).toEqual([
      expect.objectContaining({ member_id: "b", path: bDir, removed: true }),
    ]);
    expect(existsSync(bDir)).toBe(false);

    // Deleting the team: c is dirty, so it is kept and the answer says why.
    const del = await call<{ worktrees: Outcome[] }>("DELETE", `/api/teams/${teamId}`);
    expect(del.status).toBe(200);
    expect(del.body.worktrees).toEqual([
      expect.objectContaining({
        member_id: "c",
        path: cDir,
        removed: false,
        kept_reason: "uncommitted changes in 1 path (wip.txt)",
      }),
    ]);
    expect(existsSync(cDir)).toBe(true);
    expect((await health()).worktrees?.count).toBe(1);

    // Someone commits c's work; the node restarts with a zero retention and its start sweep removes the
    // (now clean, stopped) worktree, keeping the branch that holds the commit.
    git(cDir, "add", "wip.txt");
    git(cDir, "commit", "-q", "-m", "saved");
    const old = c.nodes["node-01"]!;
    expect((await procs.kill(old, "SIGTERM")).code).toBe(0);
    const restarted = procs.add(
      "node-01",
      await startNodeProc({
        ...old.env,
        AGENTHUB_INTERNAL_GRPC_LISTEN: `127.0.0.1:${old.port}`,
        AGENTHUB_WORKTREE_RETENTION_DAYS: "0",
      }),
    );
    expect(existsSync(cDir)).toBe(false);
    expect(restarted.proc.stdout()).toMatch(/"msg":"worktree removed"/);
    expect(branches()).toEqual([cBranch, "main"].sort());
    expect(git(c.repo, "log", "-1", "--format=%s", cBranch)).toBe("saved");
    // Probed now, over the hub's channel that reconnects to the restarted node.
    const after = await waitUntil(
      "node-01's health after the sweep",
      async () => (await health()).worktrees ?? undefined,
      30_000,
    );
    expect(after).toEqual({ count: 0, bytes: 0 });
  }, 90_000);
});
