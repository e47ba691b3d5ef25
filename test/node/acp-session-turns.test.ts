import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AcpSession, type AcpSessionEvent } from "../../src/node/acp-session.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt, SCRIPTED_AGENT } from "./helpers/build-once.js";
import { EventWaiter } from "./helpers/event-waiter.js";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(ensureBuilt, 120_000);

function workdir(): string {
  const dir = tempDir("agenthub-acp-turns-");
  cleanups.push(dir.cleanup);
  return dir.path;
}

async function startScripted(cwd: string, env: Record<string, string> = {}, resumeSessionId?: string) {
  const events = new EventWaiter<AcpSessionEvent>();
  const session = await AcpSession.start({
    command: process.execPath,
    args: [SCRIPTED_AGENT],
    cwd,
    env: { ...process.env, ...env },
    onEvent: events.push,
    resumeSessionId,
  });
  cleanups.push(() => session.stop(1000));
  return { session, events };
}

const started = (events: EventWaiter<AcpSessionEvent>) =>
  events.events.filter(
    (e): e is Extract<AcpSessionEvent, { type: "session_started" }> => e.type === "session_started",
  );

describe("AcpSession turns: final message and usage", () => {
  it("replies with the turn's final message: a tool call (or a new message id) starts another", async () => {
    const { session, events } = await startScripted(workdir());
    const res = await session.prompt("reply: I will write a.txt\nwrite a.txt: x\nreply: done");
    expect(res).toMatchObject({ replyText: "wrote a.txt\ndone", messages: 2 });
    // The whole transcript is still streamed: both messages' chunks, and the tool call between them.
    const kinds = events.events.flatMap((e) => (e.type === "session_update" ? [e.update.sessionUpdate] : []));
    expect(kinds).toEqual(["agent_message_chunk", "tool_call", "agent_message_chunk", "agent_message_chunk"]);
    const split = await session.prompt("reply: first\nnew-message\nreply: second");
    expect(split).toMatchObject({ replyText: "second", messages: 2 });
    // A last message without text (only whitespace) leaves the one before it as the reply.
    const last = await session.prompt("reply: before\nnew-message\nreply:  ");
    expect(last).toMatchObject({ replyText: "before", messages: 1 });
  });

  it("reports the turn's tokens from the prompt response and its share of the session's cumulative cost", async () => {
    const { session } = await startScripted(workdir());
    const first = await session.prompt(
      "usage: input=120 output=30 cached-read=40 cached-write=5 thought=7 total=202 cost=0.25\nreply: one",
    );
    expect(first.usage).toEqual({
      input_tokens: 120,
      output_tokens: 30,
      cached_read_tokens: 40,
      cached_write_tokens: 5,
      thought_tokens: 7,
      total_tokens: 202,
      cost: { amount: 0.25, currency: "USD" },
    });
    // The agent reports 0.35 in all (usage_update is cumulative): this turn cost 0.1.
    const second = await session.prompt("usage: input=10 output=2 cost=0.1\nreply: two");
    expect(second.usage).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      cached_read_tokens: 0,
      cached_write_tokens: 0,
      thought_tokens: 0,
      total_tokens: 12,
      cost: { amount: 0.1, currency: "USD" },
    });
    // Gemini reports tokens only in _meta.quota; no usage at all is null.
    const quota = await session.prompt("usage-quota: input=160 output=30\nreply: three");
    expect(quota.usage).toMatchObject({
      input_tokens: 160,
      output_tokens: 30,
      total_tokens: 190,
      cost: null,
    });
    expect((await session.prompt("reply: four")).usage).toBeNull();
  });
});

describe("AcpSession continuity: session/load", () => {
  it("restores the session it is given in a new process when the agent can load sessions", async () => {
    const cwd = workdir();
    const env = { SCRIPTED_LOAD_SESSION: "1" };
    const first = await startScripted(cwd, env);
    expect((await first.session.prompt("remember: the code word is heron")).replyText).toBe(
      "remembered: the code word is heron",
    );
    const id = first.session.sessionId!;
    expect(started(first.events)).toEqual([
      { type: "session_started", session_id: id, resumed_from: null, loaded: false, context_lost: null },
    ]);
    await first.session.stop(1000);

    const second = await startScripted(cwd, env, id);
    expect(second.session.sessionId).toBe(id);
    expect(started(second.events)).toEqual([
      { type: "session_started", session_id: id, resumed_from: id, loaded: true, context_lost: null },
    ]);
    // The agent replayed the conversation while it loaded it.
    const replayed = second.events.events.flatMap((e) => {
      if (e.type !== "session_update") return [];
      const u = e.update;
      const chunk = u.sessionUpdate === "user_message_chunk" || u.sessionUpdate === "agent_message_chunk";
      return chunk && u.content.type === "text" ? [`${u.sessionUpdate}:${u.content.text}`] : [];
    });
    expect(replayed).toEqual([
      "user_message_chunk:remember: the code word is heron",
      "agent_message_chunk:remembered: the code word is heron",
    ]);
    expect((await second.session.prompt("recall")).replyText).toBe("I remember: the code word is heron");
    expect(existsSync(join(cwd, ".scripted-agent", "sessions", `${id}.json`))).toBe(true);
  });

  it("starts a new session, saying the context is lost, when the agent cannot load it", async () => {
    const cwd = workdir();
    const noLoad = await startScripted(cwd, {}, "old-session");
    expect(noLoad.session.sessionId).not.toBe("old-session");
    expect(started(noLoad.events)).toEqual([
      {
        type: "session_started",
        session_id: noLoad.session.sessionId,
        resumed_from: "old-session",
        loaded: false,
        context_lost: "the agent cannot load sessions (it does not advertise loadSession)",
      },
    ]);
    expect((await noLoad.session.prompt("recall")).replyText).toBe("I remember nothing");

    // It can load sessions, but not this one (its state is gone): session/load fails, a new one starts.
    const unknown = await startScripted(cwd, { SCRIPTED_LOAD_SESSION: "1" }, "gone-session");
    const [start] = started(unknown.events);
    expect(start).toMatchObject({ resumed_from: "gone-session", loaded: false });
    expect(start!.context_lost).toMatch(/^session\/load of gone-session failed: /);
    expect(unknown.session.sessionId).toBe(start!.session_id);
    expect((await unknown.session.prompt("reply: fresh")).replyText).toBe("fresh");
  });
});
