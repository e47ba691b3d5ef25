import { realpathSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTeamHub, type RunView, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

type Usage = {
  turns: number;
  input_tokens: number;
  output_tokens: number;
  cached_read_tokens: number;
  cached_write_tokens: number;
  thought_tokens: number;
  total_tokens: number;
  cost: { amount: number; currency: string }[];
};
type UsageRun = Omit<RunView, "steps"> & {
  usage: Usage;
  member_usage: { member_id: string; usage: Usage }[];
  steps: (RunView["steps"][number] & { usage: Usage })[];
};

const usage = (u: Partial<Usage>): Usage => ({
  turns: 1,
  input_tokens: 0,
  output_tokens: 0,
  cached_read_tokens: 0,
  cached_write_tokens: 0,
  thought_tokens: 0,
  total_tokens: 0,
  cost: [],
  ...u,
});

async function startedTeam(steps: Record<string, unknown>[]) {
  const teamId = await t.createTeam({
    leader_member_id: "lead",
    members: [t.member("lead", "leader"), t.member("w1", "worker"), t.member("idle", "worker")],
    steps,
  });
  await t.startRuntime(teamId);
  return teamId;
}

describe("usage and cost through REST", () => {
  it("records each turn's tokens and cost per step, member, run and agent", async () => {
    const teamId = await startedTeam([
      {
        step_key: "plan",
        member_id: "lead",
        prompt: "usage: input=100 output=20 cached-read=10 cached-write=4 cost=0.02\nreply: planned",
      },
      {
        step_key: "build",
        member_id: "w1",
        prompt: "usage: input=50 output=5 thought=3 total=58 cost=0.01\nreply: built",
        depends_on: ["plan"],
      },
      // Gemini-like: tokens only in _meta.quota, no cost.
      {
        step_key: "check",
        member_id: "w1",
        prompt: "usage-quota: input=7 output=2\nreply: ok",
        depends_on: ["build"],
      },
    ]);
    const run = await t.newRun(teamId);
    const done = (await t.waitRun(run.id, "completed")) as unknown as UsageRun;
    const plan = usage({
      input_tokens: 100,
      output_tokens: 20,
      cached_read_tokens: 10,
      cached_write_tokens: 4,
      total_tokens: 134,
      cost: [{ amount: 0.02, currency: "USD" }],
    });
    const build = usage({
      input_tokens: 50,
      output_tokens: 5,
      thought_tokens: 3,
      total_tokens: 58,
      cost: [{ amount: 0.01, currency: "USD" }],
    });
    const check = usage({ input_tokens: 7, output_tokens: 2, total_tokens: 9 });
    expect(done.steps.map((s) => [s.step_key, s.usage])).toEqual([
      ["plan", plan],
      ["build", build],
      ["check", check],
    ]);
    expect(done.usage).toEqual(
      usage({
        turns: 3,
        input_tokens: 157,
        output_tokens: 27,
        cached_read_tokens: 10,
        cached_write_tokens: 4,
        thought_tokens: 3,
        total_tokens: 201,
        cost: [{ amount: 0.03, currency: "USD" }],
      }),
    );
    // Per member, in the spec's order; a member without turns shows zeros.
    expect(done.member_usage).toEqual([
      { member_id: "lead", usage: plan },
      {
        member_id: "w1",
        usage: usage({
          turns: 2,
          input_tokens: 57,
          output_tokens: 7,
          thought_tokens: 3,
          total_tokens: 67,
          cost: [{ amount: 0.01, currency: "USD" }],
        }),
      },
      { member_id: "idle", usage: usage({ turns: 0 }) },
    ]);
    // The same through the steps list.
    const steps = await t.call<{ steps: UsageRun["steps"] }>("GET", `/api/runs/${run.id}/steps`);
    expect(steps.body.steps.map((s) => s.usage)).toEqual([plan, build, check]);

    // The agent shows everything its turns used, in this run and outside runs.
    const w1 = await t.agentOf(teamId, "w1");
    const input = await t.call<{ turn_id: string }>("POST", `/api/agents/${w1}/input`, {
      text: "usage: input=1 output=1 cost=0.5\nreply: side question",
    });
    expect(input.status).toBe(202);
    await t.waitAgentEvent(w1, (e) => e.kind === "turn_ended" && e.data.turn_id === input.body.turn_id);
    const agent = await t.call<{ usage: Usage }>("GET", `/api/agents/${w1}`);
    expect(agent.body.usage).toEqual(
      usage({
        turns: 3,
        input_tokens: 58,
        output_tokens: 8,
        thought_tokens: 3,
        total_tokens: 69,
        cost: [{ amount: 0.51, currency: "USD" }],
      }),
    );
    // A turn outside the run does not count for it.
    expect(((await t.run(run.id)) as unknown as UsageRun).usage.turns).toBe(3);
  });

  it("a step's usage is its current attempt's; the run's counts every attempt", async () => {
    const teamId = await startedTeam([
      { step_key: "only", member_id: "lead", prompt: "usage: input=10 output=1 cost=0.001\nreply: done" },
    ]);
    const run = await t.newRun(teamId);
    await t.waitRun(run.id, "completed");
    const restarted = await t.call("POST", `/api/runs/${run.id}/restart`, { mode: "all" });
    expect(restarted.status).toBe(200);
    const again = (await t.waitRun(run.id, "completed")) as unknown as UsageRun;
    expect(again.steps[0]).toMatchObject({ attempt: 2, usage: { turns: 1, input_tokens: 10 } });
    expect(again.usage).toMatchObject({
      turns: 2,
      input_tokens: 20,
      output_tokens: 2,
      total_tokens: 22,
      cost: [{ amount: 0.002, currency: "USD" }],
    });
  });
});

describe("usage a turn cannot claim", () => {
  it("a turn id naming a run of another team counts for its agent only, and tells that run nothing", async () => {
    const teamId = await startedTeam([
      { step_key: "only", member_id: "lead", prompt: "usage: input=10 output=1\nreply: done" },
    ]);
    const run = await t.newRun(teamId);
    await t.waitRun(run.id, "completed");
    const eventsBefore = (await t.runEvents(run.id)).length;
    // A standalone agent (no team) whose turn id looks like that run's step turn.
    const created = await t.call<{ id: string }>("POST", "/api/agents", {
      name: "loner",
      provider: "scripted",
      worktree_mode: "use_existing",
      workdir: t.workdir("loner"),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id;
    expect((await t.call("POST", `/api/agents/${id}/start`)).status).toBe(200);
    const turnId = `step|${run.id}|1|only`;
    const input = await t.call("POST", `/api/agents/${id}/input`, {
      text: "usage: input=999 output=9 cost=1\nwrite x.txt: y\nreply: mine",
      turn_id: turnId,
    });
    expect(input.status).toBe(202);
    await t.waitAgentEvent(id, (e) => e.kind === "turn_ended" && e.data.turn_id === turnId);
    const agent = await t.call<{ usage: Usage }>("GET", `/api/agents/${id}`);
    expect(agent.body.usage).toMatchObject({
      turns: 1,
      input_tokens: 999,
      cost: [{ amount: 1, currency: "USD" }],
    });
    const after = (await t.run(run.id)) as unknown as UsageRun;
    expect(after.usage).toMatchObject({ turns: 1, input_tokens: 10 });
    expect(after.steps[0]!.output).toBe("done");
    expect((await t.runEvents(run.id)).length).toBe(eventsBefore);
    expect((await t.call("POST", `/api/agents/${id}/stop`)).status).toBe(200);
  });
});

describe("clean output through REST", () => {
  it("a step's output is the final message; tool calls, plans and mode changes are run events; the transcript stays in the agent's events", async () => {
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader", { env: { SCRIPTED_MODES: "ask,code" } })],
      steps: [
        {
          step_key: "work",
          member_id: "lead",
          prompt: [
            "plan: read the notes | write the summary",
            "reply: I will write the notes first.",
            "write notes.md: hello",
            "set-mode code",
            "reply: Done: the notes are written.",
          ].join("\n"),
        },
      ],
    });
    await t.startRuntime(teamId);
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    // The messages are kept apart: the output is the last one (what followed the last tool call).
    const final = "wrote notes.md\nmode is now code\nDone: the notes are written.";
    expect(t.step(done, "work").output).toBe(final);

    const lead = await t.agentOf(teamId, "lead");
    const turnId = `step|${run.id}|1|work`;
    const events = await t.runEvents(run.id);
    const agentEvents = events.filter((e) => e.kind.startsWith("agent."));
    const notes = join(realpathSync(join(t.safe, "lead")), "notes.md");
    expect(agentEvents.map((e) => [e.kind, e.step_key, e.data])).toEqual([
      [
        "agent.plan",
        "work",
        {
          member_id: "lead",
          agent_id: lead,
          turn_id: turnId,
          attempt: 1,
          entries: [
            { content: "read the notes", status: "in_progress", priority: "medium" },
            { content: "write the summary", status: "pending", priority: "medium" },
          ],
        },
      ],
      [
        "agent.tool_call",
        "work",
        {
          member_id: "lead",
          agent_id: lead,
          turn_id: turnId,
          attempt: 1,
          tool_call_id: expect.any(String),
          title: "Write notes.md",
          kind: "edit",
          status: "completed",
          paths: [notes],
        },
      ],
      ["agent.mode_changed", "work", expect.objectContaining({ member_id: "lead", mode_id: "code" })],
    ]);
    // Summaries come before the step's completion.
    const completed = events.findIndex((e) => e.kind === "step.completed");
    expect(events.findIndex((e) => e.kind === "agent.tool_call")).toBeLessThan(completed);

    // The whole transcript stays in the agent's events, and the turn's end counts its messages.
    const transcript = (await t.agentEvents(lead))
      .filter((e) => e.kind === "session_update")
      .map((e) => e.data.update as { sessionUpdate: string; content?: { text?: string } })
      .filter((u) => u.sessionUpdate === "agent_message_chunk")
      .map((u) => u.content?.text ?? "")
      .join("");
    expect(transcript).toContain("I will write the notes first.");
    const ended = await t.waitAgentEvent(lead, (e) => e.kind === "turn_ended" && e.data.turn_id === turnId);
    expect(ended.data).toMatchObject({ reply: final, messages: 2 });
  });
});
