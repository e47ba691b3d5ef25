import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTeamHub, type TeamHub } from "./helpers.js";

let t: TeamHub;

beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

async function startedTeam(steps: Record<string, unknown>[]) {
  const teamId = await t.createTeam({
    leader_member_id: "lead",
    members: [t.member("lead", "leader"), t.member("w1", "worker"), t.member("w2", "worker")],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps,
  });
  await t.startRuntime(teamId);
  return teamId;
}

describe("mailbox during runs", () => {
  it("a broadcast sent during a step reaches every other member's next turn", async () => {
    const teamId = await startedTeam([
      {
        step_key: "announce",
        member_id: "lead",
        prompt: "run: agenthub actor send --broadcast --text hello-all\nreply: announced",
      },
      // w1 is busy in a step of its own while the broadcast is sent.
      { step_key: "long", member_id: "w1", prompt: "sleep 1000\nreply: long done" },
      { step_key: "after", member_id: "w1", prompt: "reply: w1 after", depends_on: ["long", "announce"] },
      { step_key: "w2step", member_id: "w2", prompt: "reply: w2 after", depends_on: ["announce"] },
    ]);
    const run = await t.newRun(teamId);
    const done = await t.waitRun(run.id, "completed");
    expect(done.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed"]);

    const events = await t.runEvents(run.id);
    const sent = events.filter((e) => e.kind === "mailbox.sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ from: "lead", route: "broadcast" });
    expect([...(sent[0]!.data.recipients as string[])].sort()).toEqual(["w1", "w2"]);
    const messageId = String(sent[0]!.data.message_id);

    // For each recipient, the first turn it started after its turns from before the broadcast
    // carries the message (as a mail turn when idle, in its next step turn when busy).
    const w1Turns = await t.turns(await t.agentOf(teamId, "w1"));
    expect(w1Turns[0]!.turn_id).toBe(`step|${run.id}|1|long`);
    expect(w1Turns[0]!.text).not.toContain("hello-all");
    expect(w1Turns[1]!.text).toContain("hello-all");
    expect(w1Turns[1]!.text).toContain(`message ${messageId} from lead (broadcast)`);
    const w2Turns = await t.turns(await t.agentOf(teamId, "w2"));
    expect(w2Turns[0]!.text).toContain("hello-all");
    expect(w2Turns[0]!.text).toContain(`message ${messageId} from lead (broadcast)`);
    // Delivered once to each, never to the sender.
    for (const turns of [w1Turns, w2Turns]) {
      expect(turns.filter((x) => x.text.includes('> {"text":"hello-all"}'))).toHaveLength(1);
    }
    const leadTurns = await t.turns(await t.agentOf(teamId, "lead"));
    expect(leadTurns.some((x) => x.text.includes("New messages for you"))).toBe(false);
    expect(t.step(done, "announce").output).toContain(messageId);

    const delivered = events.filter((e) => e.kind === "mailbox.delivered");
    const deliveredTo = delivered.map((e) => JSON.stringify(e.data));
    expect(deliveredTo.filter((d) => d.includes(messageId))).toHaveLength(2);
  });

  it("a message to an idle member is delivered promptly as a turn of its own", async () => {
    const teamId = await startedTeam([
      // The leader is busy for the whole test; w2 has no step and is idle.
      { step_key: "busy", member_id: "lead", prompt: "sleep 20000\nreply: done" },
    ]);
    const run = await t.newRun(teamId);
    const lead = await t.agentOf(teamId, "lead");
    await t.waitAgentEvent(lead, (e) => e.kind === "turn_started", "the leader's step turn");

    const sent = await t.call<{ message_id: string; recipients: string[] }>(
      "POST",
      `/api/runs/${run.id}/messages`,
      {
        from_actor_id: "human:root",
        route: "to_member",
        to_actor_id: "w2",
        payload: { text: "ping-w2" },
      },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.recipients).toEqual(["w2"]);
    const sentAt = Date.now();

    const delivered = await t.waitRunEvent(
      run.id,
      (e) => e.kind === "mailbox.delivered" && JSON.stringify(e.data).includes(sent.body.message_id),
      "mailbox.delivered",
    );
    expect(JSON.stringify(delivered.data)).toContain("w2");
    const w2 = await t.agentOf(teamId, "w2");
    const ended = await t.waitAgentEvent(
      w2,
      (e) => e.kind === "turn_ended" && String(e.data.turn_id).startsWith(`mail|${run.id}|`),
      "w2's mail turn ended",
    );
    // Promptly: long before the leader's 20 s turn could end.
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(ended.data.stop_reason).toBe("end_turn");
    const turns = await t.turns(w2);
    expect(turns).toHaveLength(1);
    expect(turns[0]!.turn_id).toMatch(new RegExp(`^mail\\|${run.id}\\|\\d+\\|w2$`));
    expect(turns[0]!.text).toContain("New messages for you:");
    expect(turns[0]!.text).toContain(`message ${sent.body.message_id} from human:root (to_member)`);
    expect(turns[0]!.text).toContain('> {"text":"ping-w2"}');
    // The leader is still in its step: the delivery did not wait for it.
    expect((await t.run(run.id)).steps[0]!.status).toBe("working");
    const inbox = await t.call<{ messages: unknown[] }>("GET", `/api/runs/${run.id}/inbox?actor_id=w2`);
    expect(inbox.body.messages).toEqual([]);

    const canceled = await t.call<{ status: string }>("POST", `/api/runs/${run.id}/cancel`);
    expect(canceled.body.status).toBe("canceled");
  });
});
