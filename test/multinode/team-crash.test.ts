import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type HubProc,
  hubEnv,
  issueNodeCerts,
  joinRoot,
  type NodeProc,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";

let dirs: ReturnType<typeof tempDir>[] = [];
let hubs: (HubProc | NodeProc)[] = [];
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
  it("fails the lost step clearly after restart (no step stuck working), leaves no orphan, and the run resumes", async () => {
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
    // The agent (own process group) either exits on its closed stdin or is reaped by the new hub's
    // built-in node; either way the step it was running must fail, saying why.
    hub = await startHubProc(env);
    hubs.push(hub);
    const failed = await waitUntil("the lost step failed", async () => {
      const r = (await call<Run>("GET", `/api/runs/${run.id}`)).body;
      return r.status === "failed" ? r : undefined;
    });
    expect(alive(pid)).toBe(false);
    const step = failed.steps[0]!;
    expect(step.status).toBe("failed");
    expect(step.error?.code).toBe("AGENT_EXITED");
    expect(step.error?.message).toContain("the hub restarted");
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

  it("a remote step survives the hub's crash: it completes once, its re-sent turn ignored by the node", async () => {
    const hubHome = tempDir();
    const nodeHome = tempDir();
    dirs.push(hubHome, nodeHome);
    const work = join(nodeHome.path, "projects", "w");
    mkdirSync(work, { recursive: true });
    const env = hubEnv(hubHome.path, [join(hubHome.path, "projects")]);
    let hub = await startHubProc(env);
    hubs.push(hub);
    const token = await joinRoot(hub);
    const certs = join(nodeHome.path, "certs");
    await issueNodeCerts(env, certs);
    const node = await startNodeProc(nodeEnv(nodeHome.path, "n1", certs, [join(nodeHome.path, "projects")]));
    hubs.push(node);
    const call = <T>(method: string, path: string, body?: unknown) =>
      api<T>(hub.url, method, path, { token, body });
    await call("POST", "/api/admin/agent-nodes", {
      id: "n1",
      name: "n1",
      grpc_target: `127.0.0.1:${node.port}`,
    });
    const spec = {
      spec_version: 1,
      leader_member_id: "w",
      members: [
        {
          member_id: "w",
          role: "leader",
          agent: { provider: "scripted", node_id: "n1", worktree_mode: "use_existing", workdir: work },
        },
      ],
      steps: [{ step_key: "s", member_id: "w", prompt: "sleep 1500\nreply: ran once" }],
    };
    const team = (await call<{ id: string }>("POST", "/api/teams", { name: "r", spec })).body;
    const rt = await call<{ members: { agent_id: string }[] }>("POST", `/api/teams/${team.id}/runtime/start`);
    const agentId = rt.body.members[0]!.agent_id;
    const run = (await call<Run>("POST", `/api/teams/${team.id}/runs`, { input: null })).body;
    const events = async () =>
      (await call<AgentEvents>("GET", `/api/agents/${agentId}/events?limit=1000`)).body.events;
    await waitUntil("the step's turn started on the node", async () =>
      (await events()).some((e) => e.kind === "turn_started"),
    );
    await hub.proc.kill("SIGKILL");
    hubs = hubs.filter((h) => h !== hub);
    hub = await startHubProc(env);
    hubs.push(hub);
    const done = await waitUntil("the run completed", async () => {
      const r = (await call<Run & { steps: { output: string | null }[] }>("GET", `/api/runs/${run.id}`)).body;
      return r.status === "completed" ? r : undefined;
    });
    expect(done.steps[0]!.output).toBe("ran once");
    const all = await events();
    expect(all.filter((e) => e.kind === "turn_started")).toHaveLength(1);
    expect(all.filter((e) => e.kind === "turn_ended")).toHaveLength(1);
    expect((await call("POST", `/api/teams/${team.id}/runtime/stop`)).status).toBe(200);
  });
});
