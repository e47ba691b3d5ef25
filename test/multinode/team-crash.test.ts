import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type HubProc, hubEnv, joinRoot, startHubProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let hubs: HubProc[] = [];
afterEach(async () => {
  for (const h of hubs.reverse()) await h.proc.kill("SIGTERM");
  for (const d of dirs) d.cleanup();
  dirs = [];
  hubs = [];
});

type Step = {
  step_key: string;
  status: string;
  attempt: number;
  error: { code: string; message: string } | null;
};
type Run = { id: string; status: string; steps: Step[] };
type AgentEvents = { events: { kind: string; data: Record<string, unknown> }[] };

/** Running, as opposed to gone or a zombie: the orphan's new parent (pid 1 here) may never reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

describe("a hub that crashes mid-step", () => {
  it("fails the lost step clearly after restart (no step stuck working), kills the orphan, and the run resumes", async () => {
    const home = tempDir();
    dirs.push(home);
    const safe = join(home.path, "projects");
    mkdirSync(join(safe, "lead"), { recursive: true });
    const env = hubEnv(home.path, [safe]);
    let hub = await startHubProc(env);
    hubs.push(hub);
    const token = await joinRoot(hub);
    const call = <T>(method: string, path: string, body?: unknown) =>
      api<T>(hub.url, method, path, { token, body });
    const spec = {
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        {
          member_id: "lead",
          role: "leader",
          agent: { provider: "scripted", worktree_mode: "use_existing", workdir: join(safe, "lead") },
        },
      ],
      steps: [{ step_key: "long", member_id: "lead", prompt: "sleep 30000\nreply: done" }],
    };
    const team = (await call<{ id: string }>("POST", "/api/teams", { name: "t", spec })).body;
    const rt = await call<{ members: { agent_id: string }[] }>("POST", `/api/teams/${team.id}/runtime/start`);
    const agentId = rt.body.members[0]!.agent_id;
    const run = (await call<Run>("POST", `/api/teams/${team.id}/runs`, { input: null })).body;
    const pid = await waitUntil("the step's turn running", async () => {
      const ev = (await call<AgentEvents>("GET", `/api/agents/${agentId}/events?limit=1000`)).body.events;
      const started = ev.some((e) => e.kind === "turn_started");
      const p = ev.find((e) => e.kind === "status" && e.data.state === "running")?.data.pid;
      return started && typeof p === "number" ? p : undefined;
    });

    await hub.proc.kill("SIGKILL");
    hubs = hubs.filter((h) => h !== hub);
    // The agent runs in its own process group, so it outlives the crashed hub...
    expect(alive(pid)).toBe(true);
    hub = await startHubProc(env);
    hubs.push(hub);
    // ...until the new hub's built-in node reaps it, and the step it was running fails with why.
    const failed = await waitUntil("the lost step failed", async () => {
      const r = (await call<Run>("GET", `/api/runs/${run.id}`)).body;
      return r.status === "failed" ? r : undefined;
    });
    expect(alive(pid)).toBe(false);
    const step = failed.steps[0]!;
    expect(step.status).toBe("failed");
    expect(step.error?.code).toBe("AGENT_EXITED");
    expect(step.error?.message).toContain("node restarted");
    expect(step.error?.message).toContain("resume the run to retry");

    // The runtime came back with a fresh agent; resuming dispatches the step again (attempt 2).
    expect((await call("POST", `/api/runs/${run.id}/resume`)).status).toBe(200);
    await waitUntil("attempt 2 working", async () => {
      const s = (await call<Run>("GET", `/api/runs/${run.id}`)).body.steps[0]!;
      return s.attempt === 2 && s.status === "working";
    });
    expect((await call("POST", `/api/runs/${run.id}/cancel`)).status).toBe(200);
    expect((await call("POST", `/api/teams/${team.id}/runtime/stop`)).status).toBe(200);
  });
});
