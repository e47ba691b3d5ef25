import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { api } from "../helpers/hub-harness.js";
import {
  agentEvents,
  getRun,
  leaderAgent,
  ProcessSet,
  type RuntimeView,
  startTeamCluster,
  waitRunEnd,
  worktreeAgent,
} from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let procs = new ProcessSet();
afterEach(async () => {
  const exits = await procs.stopAll();
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = new ProcessSet();
  expect(exits).toEqual(exits.map((e) => ({ name: e.name, code: 0 })));
});

const BIG_REPLY = 17_825_792; // 17 MiB: over the 16 MiB gRPC message limit
const BIG_STDERR = 100 * 1024 * 1024;

/** Peak resident memory of a process, in bytes (VmHWM). */
function peakRss(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0) * 1024;
}

describe("size caps: no single event wedges a node's stream", () => {
  it("a 17 MB reply and a 100 MB stderr line on a node: stored truncated with marker and size, a later step on the node completes, the hub stays small and healthy", async () => {
    const d = tempDir("agenthub-caps-");
    dirs.push(d);
    const c = await startTeamCluster(d.path, ["node-a"], procs);
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          description: "leads",
          skills: [],
          agent: leaderAgent(c.leadDir),
        },
        {
          member_id: "big",
          role: "worker",
          description: "prints a lot",
          skills: [],
          agent: worktreeAgent("node-a", c.repo),
        },
      ],
      entrypoint: { member_id: "lead", prompt: "go" },
      steps: [
        {
          step_key: "flood",
          member_id: "big",
          prompt: `stderr-bytes ${BIG_STDERR}\nemit-bytes ${BIG_REPLY}`,
        },
        { step_key: "after", member_id: "big", prompt: "reply: still streaming", depends_on: ["flood"] },
      ],
    };
    const team = await api<{ id: string }>(c.hub.url, "POST", "/api/teams", {
      token: c.token,
      body: { name: "caps", spec },
    });
    expect(team.status).toBe(201);
    const started = await api<RuntimeView>(c.hub.url, "POST", `/api/teams/${team.body.id}/runtime/start`, {
      token: c.token,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const agentId = started.body.members.find((m) => m.member_id === "big")!.agent_id!;
    const run = await api<{ id: string }>(c.hub.url, "POST", `/api/teams/${team.body.id}/runs`, {
      token: c.token,
      body: { input: {} },
    });
    expect(run.status).toBe(201);

    // /health answers promptly while the node reads, caps and streams the flood.
    let slowest = 0;
    let ended = false;
    const end = waitRunEnd(c, run.body.id, 60_000).finally(() => {
      ended = true;
    });
    while (!ended) {
      const t0 = performance.now();
      const h = await fetch(`${c.hub.url}/health`);
      expect(h.status).toBe(200);
      await h.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - t0);
      await Promise.race([end, new Promise((r) => setTimeout(r, 50))]);
    }
    const done = await end;
    expect(done.status, JSON.stringify(done.steps)).toBe("completed");
    const steps = Object.fromEntries(done.steps.map((s) => [s.step_key, s]));
    expect(steps.after!.status).toBe("completed");
    expect(steps.after!.output).toContain("still streaming");
    // The big step's output is its reply, cut to 1 MiB with the marker naming its size.
    expect(steps.flood!.status).toBe("completed");
    expect(steps.flood!.output!.endsWith(`…[truncated: ${BIG_REPLY} bytes]`)).toBe(true);
    expect(Buffer.byteLength(steps.flood!.output!)).toBeLessThanOrEqual(1024 * 1024);

    const events = await agentEvents(c, agentId);
    const chunk = events.find(
      (e) =>
        e.kind === "session_update" &&
        ((e.data.update as { content?: { text?: string } }).content?.text ?? "").startsWith("ooo"),
    );
    expect(chunk?.data.truncated).toEqual([{ path: "update.content.text", bytes: BIG_REPLY }]);
    const ended1 = events.find((e) => e.kind === "turn_ended" && e.data.truncated !== undefined);
    expect(ended1?.data.truncated).toEqual([{ path: "reply", bytes: BIG_REPLY }]);
    const stderr = events.filter((e) => e.kind === "stderr").map((e) => String(e.data.line));
    const long = stderr.find((l) => l.startsWith("eee"));
    expect(long?.endsWith(`…[truncated: ${BIG_STDERR} bytes]`)).toBe(true);
    expect(Buffer.byteLength(long!)).toBeLessThanOrEqual(64 * 1024);

    const nodes = await api<{ nodes: { id: string; status: string }[] }>(
      c.hub.url,
      "GET",
      "/api/admin/agent-nodes",
      { token: c.token },
    );
    expect(nodes.body.nodes.find((n) => n.id === "node-a")?.status).toBe("online");
    expect((await getRun(c, run.body.id)).status).toBe("completed");
    expect(slowest).toBeLessThan(2_000);
    // The hub never holds the flood: far below the 1.8 GB the uncapped stream cost.
    expect(peakRss(c.hub.proc.child.pid!)).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);
});
