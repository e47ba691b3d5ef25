import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { killGroup } from "../../src/node/agent-process.js";
import { AgentSupervisor } from "../../src/node/agent-supervisor.js";
import { EventLog, type NodeEvent } from "../../src/node/event-log.js";
import { AGENT_MARKER_ENV, Pidfiles } from "../../src/node/pidfiles.js";
import { WorkspaceError } from "../../src/node/workspace-error.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt, SCRIPTED_AGENT } from "./helpers/build-once.js";
import { EventWaiter } from "./helpers/event-waiter.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(ensureBuilt, 120_000);

function setup(extraEnv: Record<string, string> = {}) {
  const t = tempDir("agenthub-sup-");
  cleanups.push(t.cleanup);
  const safe = join(t.path, "safe");
  const work = join(safe, "work");
  mkdirSync(work, { recursive: true });
  const dataDir = join(t.path, "data");
  const events = new EventLog({ dir: dataDir });
  const seen = new EventWaiter<NodeEvent>();
  events.subscribe(1, seen.push);
  const sup = new AgentSupervisor({
    dataDir,
    events,
    safePaths: [safe],
    worktreeRoot: join(t.path, "worktrees"),
    stopGraceMs: 1000,
    env: { ...process.env, ...extraEnv },
  });
  cleanups.push(() => events.close());
  cleanups.push(() => sup.shutdown());
  const scripted = (agent_id: string, more: object = {}) => ({
    agent_id,
    command: process.execPath,
    args: [SCRIPTED_AGENT],
    worktree_mode: "use_existing" as const,
    workdir: work,
    ...more,
  });
  const kindsOf = (agentId: string) =>
    seen.events
      .filter((e) => e.agent_id === agentId)
      .map((e) => (e.kind === "status" ? `status:${(e.data as { state: string }).state}` : e.kind));
  const turnEnded = (turnId: string) =>
    seen.waitFor((e) => e.kind === "turn_ended" && (e.data as { turn_id: string }).turn_id === turnId);
  return { root: t.path, safe, work, dataDir, events, seen, sup, scripted, kindsOf, turnEnded };
}

describe("AgentSupervisor", () => {
  it("starts an agent and runs queued turns one at a time, recording events", async () => {
    const { sup, scripted, seen, kindsOf, turnEnded } = setup();
    const info = await sup.startAgent(scripted("a1"));
    expect(info.state).toBe("idle");
    expect(info.pid).toBeGreaterThan(0);
    expect(() => sup.getAgent("nope")).toThrow(AppError);
    await expect(sup.startAgent(scripted("a1"))).rejects.toMatchObject({ code: "AGENT_ALREADY_RUNNING" });

    sup.sendInput("a1", "reply: one\nsleep 50", "t1");
    sup.sendInput("a1", "reply: two", "t2");
    expect(sup.sendInput("a1", "reply: two", "t2")).toEqual({ turn_id: "t2", duplicate: true });
    const ended2 = await turnEnded("t2");
    expect(ended2.data).toMatchObject({ stop_reason: "end_turn", reply: "two" });
    expect((await turnEnded("t1")).data).toMatchObject({ reply: "one" });
    const order = seen.events
      .filter((e) => e.kind === "turn_started" || e.kind === "turn_ended")
      .map((e) => `${e.kind}:${(e.data as { turn_id: string }).turn_id}`);
    expect(order).toEqual(["turn_started:t1", "turn_ended:t1", "turn_started:t2", "turn_ended:t2"]);
    // What the agent offers is recorded after initialize and again once the session is set up (how
    // it started in between), before the agent counts as running.
    expect(kindsOf("a1").slice(0, 6)).toEqual([
      "status:starting",
      "session_config",
      "session_started",
      "session_config",
      "status:running",
      "status:idle",
    ]);
    expect(kindsOf("a1")).toContain("session_update");
    const agentSeqs = seen.events.filter((e) => e.agent_id === "a1").map((e) => e.agent_seq);
    expect(agentSeqs).toEqual(agentSeqs.map((_, i) => i + 1));
  });

  it("records a permission request and its answer", async () => {
    const { sup, scripted, seen, work, turnEnded } = setup();
    await sup.startAgent(scripted("p1"));
    sup.sendInput("p1", "ask-permission write granted.txt: ok", "t1");
    const req = await seen.waitFor((e) => e.kind === "permission_request");
    const { request_id } = req.data as { request_id: string; turn_id: string };
    expect((req.data as { turn_id: string }).turn_id).toBe("t1");
    expect(sup.pendingPermissions("p1").map((p) => p.request_id)).toEqual([request_id]);
    expect(() => sup.respondPermission("p1", "perm_nope", { option_id: "allow_once" })).toThrow(
      "permission request not found",
    );
    sup.respondPermission("p1", request_id, { option_id: "allow_once" }, { decided_by: "lead" });
    expect((await turnEnded("t1")).data).toMatchObject({ reply: "permission granted: wrote granted.txt" });
    const resolved = await seen.waitFor((e) => e.kind === "permission_resolved");
    expect(resolved.data).toMatchObject({
      request_id,
      outcome: { option_id: "allow_once" },
      decided_by: "lead",
    });
    expect(readFileSync(join(work, "granted.txt"), "utf8")).toBe("ok");
  });

  it("cancels the running turn and a queued one", async () => {
    const { sup, scripted, seen, turnEnded } = setup();
    await sup.startAgent(scripted("c1"));
    sup.sendInput("c1", "reply: zz\nsleep 30000", "t1");
    sup.sendInput("c1", "reply: never", "t2");
    await seen.waitFor((e) => e.kind === "session_update" && e.agent_id === "c1");
    expect(await sup.cancelTurn("c1", "t2")).toBe(true);
    expect(await sup.cancelTurn("c1")).toBe(true);
    expect((await turnEnded("t1")).data).toMatchObject({ stop_reason: "cancelled" });
    expect((await turnEnded("t2")).data).toMatchObject({ stop_reason: "cancelled" });
    expect(sup.getAgent("c1").state).toBe("idle");
  });

  it("runs an agent in a created worktree", async () => {
    const { sup, scripted, safe, root, turnEnded } = setup();
    const repo = join(safe, "repo");
    mkdirSync(repo);
    const git = (...a: string[]) =>
      execFileSync("git", ["-c", "user.email=t@e", "-c", "user.name=t", ...a], { cwd: repo });
    git("init", "-q");
    git("commit", "-q", "--allow-empty", "-m", "init");
    const info = await sup.startAgent(
      scripted("w1", {
        name: "Impl",
        worktree_mode: "create_worktree",
        workdir: undefined,
        worktree_repo: repo,
      }),
    );
    expect(info.worktree?.branch).toMatch(/^agenthub\/impl-/);
    expect(info.workdir?.startsWith(join(root, "worktrees"))).toBe(true);
    sup.sendInput("w1", "write out.txt: from worktree", "t1");
    await turnEnded("t1");
    expect(readFileSync(join(info.workdir!, "out.txt"), "utf8")).toBe("from worktree");

    await expect(
      sup.startAgent(
        scripted("w2", {
          worktree_mode: "create_worktree",
          workdir: undefined,
          worktree_repo: repo,
          worktree_ref: "bad-ref",
        }),
      ),
    ).rejects.toBeInstanceOf(WorkspaceError);
    await expect(
      sup.startAgent(scripted("w3", { worktree_mode: "create_worktree", workdir: undefined })),
    ).rejects.toMatchObject({
      code: "WORKDIR_REQUIRED",
    });
    expect(sup.getAgent("w2").state).toBe("failed");
  });

  it("refuses an unsafe workdir and records the failure", async () => {
    const { sup, scripted, root, seen } = setup();
    await expect(sup.startAgent(scripted("u1", { workdir: join(root, "safe", "..") }))).rejects.toMatchObject(
      {
        code: "WORKDIR_NOT_SAFE",
      },
    );
    const failed = await seen.waitFor(
      (e) => e.agent_id === "u1" && (e.data as { state?: string }).state === "failed",
    );
    expect(failed.data).toMatchObject({ error: { code: "WORKDIR_NOT_SAFE" } });
  });

  it("a missing binary fails clearly, naming the provider and the command, before anything is spawned", async () => {
    const { sup, scripted, seen } = setup();
    const err = await sup
      .startAgent(
        scripted("m1", {
          command: "agenthub-missing-binary",
          args: [],
          provider: "claude",
          install_hint: "install it",
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: "AGENT_COMMAND_NOT_FOUND",
      status: 424,
      message: 'agent "claude" cannot start: command "agenthub-missing-binary" not found; install it',
    });
    const failed = await seen.waitFor(
      (e) => e.agent_id === "m1" && (e.data as { state?: string }).state === "failed",
    );
    expect(failed.data).toMatchObject({ error: { code: "AGENT_COMMAND_NOT_FOUND" } });
    expect(seen.events.some((e) => e.agent_id === "m1" && e.kind === "agent_exited")).toBe(false);
    expect(sup.getAgent("m1").state).toBe("failed");
  });

  it("an agent exiting after 1 s is marked failed with its stderr tail", async () => {
    const { sup, scripted, seen, turnEnded } = setup({ SCRIPTED_EXIT_AFTER_MS: "1000" });
    await sup.startAgent(scripted("e1"));
    sup.sendInput("e1", "sleep 20000", "t1");
    const exited = await seen.waitFor((e) => e.agent_id === "e1" && e.kind === "agent_exited");
    expect(exited.data).toMatchObject({ code: 1, during: "run" });
    expect((exited.data as { stderr_tail: string[] }).stderr_tail.join("\n")).toContain(
      "exiting after 1000 ms",
    );
    expect((await turnEnded("t1")).data).toMatchObject({ stop_reason: "agent_exited" });
    expect(sup.getAgent("e1").state).toBe("failed");
    expect(() => sup.sendInput("e1", "x", "t2")).toThrow("agent is not running");
  });

  it("stop kills the whole process group and removes the pidfile", async () => {
    const { sup, scripted, seen, dataDir } = setup();
    const info = await sup.startAgent(scripted("s1"));
    const pgid = info.pid!;
    expect(existsSync(join(dataDir, "agents", "s1.pid"))).toBe(true);
    sup.sendInput("s1", `run: sh -c "trap '' TERM; sleep 60"`, "t1");
    await seen.waitFor((e) => e.kind === "session_update" && e.agent_id === "s1");
    const stopped = await sup.stopAgent("s1", 300);
    expect(stopped.state).toBe("stopped");
    expect(() => process.kill(-pgid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(existsSync(join(dataDir, "agents", "s1.pid"))).toBe(false);
    expect((await seen.waitFor((e) => e.kind === "turn_ended" && e.agent_id === "s1")).data).toMatchObject({
      turn_id: "t1",
    });
  });

  it("reaps process groups left by a previous run", async () => {
    const { sup, dataDir, seen } = setup();
    const leftover = spawn("sleep", ["60"], {
      detached: true,
      stdio: "ignore",
      env: { ...process.env, [AGENT_MARKER_ENV]: "old" },
    });
    const exit = once(leftover, "exit");
    cleanups.push(() => killGroup(leftover.pid!, "SIGKILL"));
    new Pidfiles(dataDir).write({
      agent_id: "old",
      pid: leftover.pid!,
      pgid: leftover.pid!,
      command: "sleep",
      started_at: "",
    });
    writeFileSync(
      join(dataDir, "agents", "gone.pid"),
      JSON.stringify({ agent_id: "gone", pid: 2 ** 22 + 7, pgid: 2 ** 22 + 7 }),
    );
    const reaped = await sup.reapLeftovers();
    expect(reaped).toEqual(
      expect.arrayContaining([
        { agent_id: "old", pgid: leftover.pid, killed: true },
        { agent_id: "gone", pgid: 2 ** 22 + 7, killed: false },
      ]),
    );
    expect((await exit)[1]).toBe("SIGTERM");
    expect(killGroup(leftover.pid!, 0)).toBe(false);
    expect(new Pidfiles(dataDir).list()).toEqual([]);
    const ev = await seen.waitFor((e) => e.agent_id === "old" && e.kind === "status");
    expect(ev.data).toMatchObject({ state: "stopped" });
  });

  it("shutdown stops every agent", async () => {
    const { sup, scripted } = setup();
    const a = await sup.startAgent(scripted("x1"));
    const b = await sup.startAgent(scripted("x2"));
    await sup.shutdown(500);
    expect(sup.listAgents().map((i) => i.state)).toEqual(["stopped", "stopped"]);
    expect(killGroup(a.pid!, 0)).toBe(false);
    expect(killGroup(b.pid!, 0)).toBe(false);
  });
});
