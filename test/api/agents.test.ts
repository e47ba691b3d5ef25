import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRepo } from "../helpers/cluster.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let safe: string;

beforeEach(async () => {
  work = tempDir();
  safe = join(work.path, "projects");
  mkdirSync(join(safe, "app"), { recursive: true });
  h = await startHubWithRoot({ safe_paths: [safe] });
});
afterEach(async () => {
  await h.close();
  work.cleanup();
});

type Agent = { id: string; status: string; workdir: string | null; last_error: string | null };
const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T & { error: string; code: string }>(h.url, method, path, { token: h.rootToken, body });

async function waitStatus(id: string, pred: (s: string) => boolean): Promise<Agent> {
  const sse = await openSse(`${h.url}/api/agents/${id}/events?token=${h.rootToken}`);
  try {
    await sse.next((e) => e.data.kind === "status" && pred(String(e.data.data.state)));
  } finally {
    await sse.close();
  }
  return (await call<Agent>("GET", `/api/agents/${id}`)).body;
}

describe("agents on the built-in main node", () => {
  it("enforces the workdir policy with the contract's messages", async () => {
    const none = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      worktree_mode: "use_existing",
    });
    expect([none.status, none.body.error]).toEqual([400, "workdir is required"]);
    const outside = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: work.path,
    });
    expect([outside.status, outside.body.error]).toEqual([
      400,
      "workdir path must be within allowed safe paths",
    ]);
    const dotdot = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: `${safe}/app/../..`,
    });
    expect(dotdot.body.error).toBe("workdir path must be within allowed safe paths");
    symlinkSync(work.path, join(safe, "escape"));
    const viaLink = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: join(safe, "escape"),
    });
    expect(viaLink.body.error).toBe("workdir path must be within allowed safe paths");
    const missing = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: join(safe, "nope"),
    });
    expect(missing.status).toBe(400);
    const badNode = await call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: safe,
      node_id: "x",
    });
    expect([badNode.status, badNode.body.error]).toEqual([404, "agent node not found"]);
    const list = await call<{ agents: unknown[] }>("GET", "/api/agents");
    expect(list.body.agents).toEqual([]);
  });

  it("runs a scripted agent: input, live SSE events, permission answer, stop", async () => {
    const created = await call<Agent>("POST", "/api/agents", {
      name: "writer",
      provider: "scripted",
      workdir: join(safe, "app"),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const started = await call<Agent>("POST", `/api/agents/${id}/start`);
    expect(started.status).toBe(200);
    const again = await call("POST", `/api/agents/${id}/start`);
    expect([again.status, again.body.error]).toEqual([409, "agent is already running"]);

    const sse = await openSse(`${h.url}/api/agents/${id}/events`, { authorization: `Bearer ${h.rootToken}` });
    await call("POST", `/api/agents/${id}/input`, { text: "reply: hello there" });
    const ended = await sse.next((e) => e.data.kind === "turn_ended");
    expect(JSON.stringify(ended.data.data)).toContain("hello there");

    await call("POST", `/api/agents/${id}/input`, { text: "ask-permission write out.txt: approved content" });
    await sse.next((e) => e.data.kind === "permission_request");
    const pending = await call<{ permissions: { id: string; options: { option_id: string }[] }[] }>(
      "GET",
      `/api/agents/${id}/permissions?status=pending`,
    );
    expect(pending.body.permissions).toHaveLength(1);
    const perm = pending.body.permissions[0]!;
    const bad = await call("POST", `/api/agents/${id}/permissions/${perm.id}/respond`, { option_id: "nope" });
    expect(bad.status).toBe(400);
    const allow = perm.options.find((o) => o.option_id.startsWith("allow"))!;
    const answered = await call("POST", `/api/agents/${id}/permissions/${perm.id}/respond`, {
      option_id: allow.option_id,
    });
    expect(answered.status).toBe(200);
    await sse.next(
      (e) => e.data.kind === "turn_ended" && JSON.stringify(e.data.data).includes("permission granted"),
    );
    expect(readFileSync(join(safe, "app", "out.txt"), "utf8")).toBe("approved content");
    const seqs = sse.events.map((e) => Number(e.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    await sse.close();

    const stopped = await call<Agent>("POST", `/api/agents/${id}/stop`);
    expect(stopped.status).toBe(200);
    const page = await call<{ events: { seq: number; kind: string }[] }>(
      "GET",
      `/api/agents/${id}/events?limit=1000`,
    );
    expect(page.body.events.map((e) => e.seq)).toEqual(page.body.events.map((_, i) => i + 1));
    // Resuming with Last-Event-ID replays only what came after.
    const resumed = await openSse(`${h.url}/api/agents/${id}/events`, {
      authorization: `Bearer ${h.rootToken}`,
      "last-event-id": String(page.body.events.at(-3)!.seq),
    });
    const first = await resumed.next(() => true);
    expect(Number(first.id)).toBe(page.body.events.at(-2)!.seq);
    await resumed.close();
  });

  it("an agent whose command does not exist fails with a clear event", async () => {
    const created = await call<Agent>("POST", "/api/agents", {
      name: "ghost",
      command: "definitely-not-a-real-binary-xyz",
      workdir: safe,
    });
    const start = await call("POST", `/api/agents/${created.body.id}/start`);
    expect([start.status, start.body.code]).toEqual([424, "AGENT_COMMAND_NOT_FOUND"]);
    expect(start.body.error).toBe(
      'agent "definitely-not-a-real-binary-xyz" cannot start: command "definitely-not-a-real-binary-xyz" not found; check the agent\'s command',
    );
    const agent = await waitStatus(created.body.id, (s) => s === "failed");
    expect(agent.status).toBe("failed");
    const events = await call<{ events: { kind: string; data: { message?: string } }[] }>(
      "GET",
      `/api/agents/${created.body.id}/events`,
    );
    expect(JSON.stringify(events.body.events)).toContain(
      'command \\"definitely-not-a-real-binary-xyz\\" not found',
    );
  });

  it("an agent that exits after 1 s is marked failed with its stderr tail", async () => {
    const created = await call<Agent>("POST", "/api/agents", {
      name: "quitter",
      provider: "scripted",
      workdir: safe,
      env: { SCRIPTED_EXIT_AFTER_MS: "1000", SCRIPTED_EXIT_CODE: "3" },
    });
    await call("POST", `/api/agents/${created.body.id}/start`);
    const agent = await waitStatus(created.body.id, (s) => s === "failed" || s === "exited");
    const events = await call<{ events: { kind: string; data: Record<string, unknown> }[] }>(
      "GET",
      `/api/agents/${created.body.id}/events`,
    );
    const exit = events.body.events.find((e) => e.kind === "agent_exited")!;
    expect(exit.data.code).toBe(3);
    expect(String(exit.data.message)).toMatch(/exit/i);
    expect(["failed", "exited"]).toContain(agent.status);
  });

  it("shows git's own error as a WORKSPACE_ERROR when a worktree cannot be created", async () => {
    const repo = makeRepo(join(safe, "repo"));
    const created = await call<Agent>("POST", "/api/agents", {
      name: "wt",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
      worktree_ref: "no-such-branch",
    });
    expect(created.status).toBe(201);
    const start = await call<{ details: { git: string } }>("POST", `/api/agents/${created.body.id}/start`);
    expect([start.status, start.body.code]).toEqual([400, "WORKSPACE_ERROR"]);
    expect(start.body.error).toContain("no-such-branch");
    expect((await call<Agent>("GET", `/api/agents/${created.body.id}`)).body.status).toBe("failed");
    const ok = await call<Agent>("POST", "/api/agents", {
      name: "wt2",
      provider: "scripted",
      worktree_mode: "create_worktree",
      worktree_repo: repo,
    });
    const started = await call<Agent>("POST", `/api/agents/${ok.body.id}/start`);
    expect(started.status).toBe(200);
    expect(existsSync(join(started.body.workdir!, "README.md"))).toBe(true);
    await call("POST", `/api/agents/${ok.body.id}/stop`);
  });

  it("unknown ids answer agent not found", async () => {
    for (const [m, p] of [
      ["GET", "/api/agents/agt_nope"],
      ["POST", "/api/agents/agt_nope/start"],
      ["POST", "/api/agents/agt_nope/stop"],
      ["DELETE", "/api/agents/agt_nope"],
    ] as const) {
      const r = await call(m, p);
      expect([r.status, r.body.error]).toEqual([404, "agent not found"]);
    }
    expect(existsSync(safe)).toBe(true);
  });
});
