import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { api, type Harness, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { alive, type RuntimeView } from "./helpers.js";

let hub: Harness | undefined;
let work: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await hub?.close();
  work?.cleanup();
  hub = undefined;
  work = undefined;
});

type AgentEvents = { events: { kind: string; data: Record<string, unknown> }[] };

async function pidsOf(url: string, token: string, agentId: string): Promise<number[]> {
  const r = await api<AgentEvents>(url, "GET", `/api/agents/${agentId}/events?limit=1000`, { token });
  return r.body.events.flatMap((e) =>
    e.kind === "status" && e.data.state === "running" && typeof e.data.pid === "number" ? [e.data.pid] : [],
  );
}

describe("team runtime across a hub restart", () => {
  it("starts a started team's agents on the built-in node again, and new runs execute", async () => {
    work = tempDir("agenthub-restart-");
    const safe = join(work.path, "safe");
    mkdirSync(join(safe, "lead"), { recursive: true });
    const first = await startHubWithRoot({ safe_paths: [safe] });
    hub = first;
    const token = first.rootToken;
    const call = <T>(url: string, method: string, path: string, body?: unknown) =>
      api<T>(url, method, path, { token, body });
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
      steps: [{ step_key: "only", member_id: "lead", prompt: "reply: after restart" }],
    };
    const team = (await call<{ id: string }>(first.url, "POST", "/api/teams", { name: "t", spec })).body;
    const started = await call<RuntimeView>(first.url, "POST", `/api/teams/${team.id}/runtime/start`);
    expect(started.status).toBe(200);
    const agentId = started.body.members[0]!.agent_id!;
    await waitUntil(
      "the member's agent running",
      async () => (await pidsOf(first.url, token, agentId)).length === 1,
    );
    const [oldPid] = await pidsOf(first.url, token, agentId);

    const second = await first.restart();
    hub = second;
    // The previous hub's built-in node took its agent down with it...
    expect(alive(oldPid!)).toBe(false);
    // ...and the new hub starts the member again, because the team's runtime is still `started`.
    await waitUntil("the member's agent started again by the new hub", async () => {
      const pids = await pidsOf(second.url, token, agentId);
      return pids.length === 2 && alive(pids[1]!);
    });
    const rt = (await call<RuntimeView>(second.url, "GET", `/api/teams/${team.id}/runtime`)).body;
    expect(rt.status).toBe("started");
    const run = (await call<{ id: string }>(second.url, "POST", `/api/teams/${team.id}/runs`, { input: 1 }))
      .body;
    await waitUntil(
      "the run completed",
      async () =>
        (await call<{ status: string }>(second.url, "GET", `/api/runs/${run.id}`)).body.status ===
        "completed",
    );
    const done = (await call<{ steps: { output: string }[] }>(second.url, "GET", `/api/runs/${run.id}`)).body;
    expect(done.steps[0]!.output).toBe("after restart");
    const stopped = await call<RuntimeView>(second.url, "POST", `/api/teams/${team.id}/runtime/stop`);
    expect(stopped.body.members[0]!.status).toBe("stopped");
    const pids = await pidsOf(second.url, token, agentId);
    expect(alive(pids[1]!)).toBe(false);
  });
});
