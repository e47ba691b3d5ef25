import type { Hub, NodeProc } from "./cluster.js";
import { apiOk, openSse, type SseConnection } from "./http-client.js";
import { now } from "./stats.js";

interface RunWaiter {
  t0: number;
  remaining: number;
  resolve: (ms: number) => void;
}

/**
 * A started team whose members are scripted agents on one node daemon; `run` creates a run through
 * `POST /api/teams/:id/runs` and resolves when all of its step turns ended — watched on the members'
 * SSE streams, which publish a turn_ended only after the hub stored it and the executor recorded
 * the step's result.
 */
export class StepTeam {
  private readonly sse: SseConnection[] = [];
  private readonly waiters = new Map<string, RunWaiter>();
  /** Step turns that ended before `run` registered its waiter. */
  private readonly early = new Map<string, number>();
  teamId = "";

  constructor(
    private readonly hub: Hub,
    readonly name: string,
    readonly members: number,
    readonly stepsPerMember: number,
  ) {}

  async start(node: NodeProc): Promise<void> {
    const ids = Array.from({ length: this.members }, (_, i) => `m${i}`);
    const steps = ids.flatMap((m) =>
      Array.from({ length: this.stepsPerMember }, (_, k) => ({
        step_key: `${m}-${k}`,
        member_id: m,
        prompt: "reply: x",
      })),
    );
    const spec = {
      spec_version: 1,
      leader_member_id: "m0",
      members: ids.map((m, i) => ({
        member_id: m,
        role: i === 0 ? "leader" : "worker",
        agent: {
          provider: "scripted",
          node_id: node.id,
          worktree_mode: "use_existing",
          workdir: node.workdir,
        },
      })),
      steps,
      permissions: { route: "to_leader" },
    };
    const team = await apiOk<{ id: string }>(this.hub.url, "POST", "/api/teams", {
      token: this.hub.root,
      body: { name: this.name, spec },
    });
    this.teamId = team.id;
    const rt = await apiOk<{ members: { agent_id: string }[] }>(
      this.hub.url,
      "POST",
      `/api/teams/${team.id}/runtime/start`,
      { token: this.hub.root },
    );
    for (const m of rt.members) {
      const conn = openSse(`${this.hub.url}/api/agents/${m.agent_id}/events?token=${this.hub.root}`, (e) => {
        const ev = JSON.parse(e.data) as { kind: string; data: Record<string, unknown> };
        if (ev.kind !== "turn_ended") return;
        const runId = String(ev.data.turn_id ?? "").split("|")[1] ?? "";
        const w = this.waiters.get(runId);
        if (!w) {
          this.early.set(runId, (this.early.get(runId) ?? 0) + 1);
          return;
        }
        if (--w.remaining === 0) {
          this.waiters.delete(runId);
          w.resolve(now() - w.t0);
        }
      });
      await conn.ready;
      this.sse.push(conn);
    }
  }

  /** One run of the team's steps; resolves with create-to-all-steps-stored milliseconds. */
  async run(): Promise<number> {
    const t0 = now();
    const run = await apiOk<{ id: string }>(this.hub.url, "POST", `/api/teams/${this.teamId}/runs`, {
      token: this.hub.root,
      body: { input: null },
    });
    const total = this.members * this.stepsPerMember;
    const done = this.early.get(run.id) ?? 0;
    this.early.delete(run.id);
    if (done >= total) return now() - t0;
    return new Promise<number>((resolve) => {
      this.waiters.set(run.id, { t0, remaining: total - done, resolve });
    });
  }

  async stop(): Promise<void> {
    for (const c of this.sse) c.close();
    this.sse.length = 0;
    await apiOk(this.hub.url, "POST", `/api/teams/${this.teamId}/runtime/stop`, { token: this.hub.root });
  }
}
