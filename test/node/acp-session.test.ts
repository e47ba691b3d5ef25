import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { AcpSession, type AcpSessionEvent } from "../../src/node/acp-session.js";
import { AgentExitedError } from "../../src/node/agent-exit.js";
import { killGroup } from "../../src/node/agent-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ensureBuilt, SCRIPTED_AGENT } from "./helpers/build-once.js";
import { EventWaiter } from "./helpers/event-waiter.js";

type Ev<T extends AcpSessionEvent["type"]> = Extract<AcpSessionEvent, { type: T }>;
const isType =
  <T extends AcpSessionEvent["type"]>(type: T) =>
  (e: AcpSessionEvent): e is Ev<T> =>
    e.type === type;
const chunkText = (e: AcpSessionEvent): string =>
  e.type === "session_update" &&
  e.update.sessionUpdate === "agent_message_chunk" &&
  e.update.content.type === "text"
    ? e.update.content.text
    : "";

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(ensureBuilt, 120_000);

async function startScripted(env: Record<string, string> = {}) {
  const dir = tempDir("agenthub-acp-");
  cleanups.push(dir.cleanup);
  const events = new EventWaiter<AcpSessionEvent>();
  const session = await AcpSession.start({
    command: process.execPath,
    args: [SCRIPTED_AGENT],
    cwd: dir.path,
    env: { ...process.env, ...env },
    onEvent: events.push,
  });
  cleanups.push(() => session.stop(1000));
  return { session, events, cwd: dir.path };
}

describe("AcpSession with the scripted agent", () => {
  it("replies and streams agent_message_chunk updates", async () => {
    const { session, events } = await startScripted();
    expect(session.sessionId).toBeTruthy();
    const res = await session.prompt("reply: hello there\nreply: second line");
    expect(res).toEqual({
      stopReason: "end_turn",
      replyText: "hello there\nsecond line",
      messages: 1,
      usage: null,
    });
    expect(events.events.map(chunkText).join("")).toBe("hello there\nsecond line");
  });

  it("gives a default summary when the prompt has no directive", async () => {
    const { session } = await startScripted();
    const res = await session.prompt("please do the thing");
    expect(res.replyText).toContain("please do the thing");
  });

  it("writes a file in the session cwd", async () => {
    const { session, cwd } = await startScripted();
    const res = await session.prompt("write notes/a.txt: hi\\nthere");
    expect(res.replyText).toBe("wrote notes/a.txt");
    expect(readFileSync(join(cwd, "notes", "a.txt"), "utf8")).toBe("hi\nthere");
  });

  it("asks permission and writes when allowed", async () => {
    const { session, events, cwd } = await startScripted();
    const turn = session.prompt("ask-permission write ok.txt: yes");
    const req = await events.waitFor(isType("permission_request"));
    expect(req.options.map((o) => o.optionId)).toEqual(["allow_once", "reject_once"]);
    expect(req.tool_call.title).toBe("Write ok.txt");
    expect(session.pendingPermissions()).toHaveLength(1);
    session.respondPermission(req.request_id, { option_id: "allow_once" }, { decided_by: "test" });
    const res = await turn;
    expect(res).toMatchObject({ stopReason: "end_turn", replyText: "permission granted: wrote ok.txt" });
    expect(readFileSync(join(cwd, "ok.txt"), "utf8")).toBe("yes");
    const resolved = await events.waitFor(isType("permission_resolved"));
    expect(resolved).toMatchObject({
      request_id: req.request_id,
      outcome: { option_id: "allow_once" },
      decided_by: "test",
    });
    expect(() => session.respondPermission(req.request_id, { option_id: "allow_once" })).toThrow(
      "permission request not found",
    );
  });

  it("does not write when the permission is rejected", async () => {
    const { session, events, cwd } = await startScripted();
    const turn = session.prompt("ask-permission write no.txt: nope");
    const req = await events.waitFor(isType("permission_request"));
    expect(() => session.respondPermission(req.request_id, { option_id: "bogus" })).toThrow(
      /unknown option_id/,
    );
    session.respondPermission(req.request_id, { option_id: "reject_once" });
    const res = await turn;
    expect(res.replyText).toBe("permission denied: did not write no.txt");
    expect(existsSync(join(cwd, "no.txt"))).toBe(false);
  });

  it("cancel during sleep ends the turn as cancelled", async () => {
    const { session, events } = await startScripted();
    const turn = session.prompt("reply: sleeping\nsleep 30000\nreply: never");
    await events.waitFor((e) => chunkText(e) === "sleeping");
    await session.cancel();
    expect(await turn).toMatchObject({ stopReason: "cancelled", replyText: "sleeping" });
  });

  it("cancel answers a pending permission request with cancelled", async () => {
    const { session, events, cwd } = await startScripted();
    const turn = session.prompt("ask-permission write c.txt: x");
    const req = await events.waitFor(isType("permission_request"));
    await session.cancel();
    expect((await turn).stopReason).toBe("cancelled");
    const resolved = await events.waitFor(isType("permission_resolved"));
    expect(resolved).toMatchObject({ request_id: req.request_id, outcome: { cancelled: true } });
    expect(existsSync(join(cwd, "c.txt"))).toBe(false);
  });

  it("runs `agenthub actor ...` without a shell, via AGENTHUB_BIN, with the AGENTHUB_* env", async () => {
    const binDir = tempDir("agenthub-bin-");
    cleanups.push(binDir.cleanup);
    const bin = join(binDir.path, "fake-agenthub.js");
    writeFileSync(
      bin,
      "console.log(JSON.stringify({ args: process.argv.slice(2), token: process.env.AGENTHUB_ACTOR_TOKEN, cwd: process.cwd() }));",
    );
    const { session, cwd } = await startScripted({ AGENTHUB_BIN: bin, AGENTHUB_ACTOR_TOKEN: "tok" });
    const res = await session.prompt(`run: agenthub actor send --text "hello; world" 'it''s' $HOME`);
    expect(JSON.parse(res.replyText)).toEqual({
      args: ["actor", "send", "--text", "hello; world", "its", "$HOME"],
      token: "tok",
      cwd: realpathSync(cwd),
    });
    const failed = await session.prompt("run: agenthub-definitely-missing x");
    expect(failed.replyText).toBe(
      "command failed (exit 127): command not found: agenthub-definitely-missing",
    );
  });

  it("emits n chunks quickly", async () => {
    const { session, events } = await startScripted();
    const res = await session.prompt("emit 50");
    expect(res.replyText.split("\n")).toHaveLength(50);
    expect(events.events.filter((e) => chunkText(e) !== "")).toHaveLength(50);
  });

  it("an exit directive fails the turn with the exit code and stderr tail", async () => {
    const { session, events } = await startScripted();
    const err = await session.prompt("exit 3 something broke\\nbadly").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentExitedError);
    const exit = (err as AgentExitedError).exit;
    expect(exit.code).toBe(3);
    expect(exit.stderr_tail).toEqual(["something broke", "badly"]);
    expect(exit.message).toBe("agent exited with code 3: badly");
    const ev = await events.waitFor(isType("exit"));
    expect(ev.code).toBe(3);
    const stderrLines = events.events.filter(isType("stderr")).map((e) => e.line);
    expect(stderrLines).toEqual(["something broke", "badly"]);
  });
});

describe("AcpSession failures and stop", () => {
  it("a missing command fails start clearly", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const events = new EventWaiter<AcpSessionEvent>();
    const err = await AcpSession.start({
      command: "agenthub-no-such-cmd",
      cwd: dir.path,
      onEvent: events.push,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentExitedError);
    expect((err as Error).message).toBe("command not found: agenthub-no-such-cmd");
    expect(await events.waitFor(isType("exit"))).toMatchObject({
      message: "command not found: agenthub-no-such-cmd",
    });
  });

  it("an agent exiting after 1 s fails clearly", async () => {
    const { session, events } = await startScripted({ SCRIPTED_EXIT_AFTER_MS: "1000" });
    const err = await session.prompt("sleep 20000").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentExitedError);
    const exit = await events.waitFor(isType("exit"));
    expect(exit.code).toBe(1);
    expect(exit.stderr_tail.join("\n")).toContain("exiting after 1000 ms");
  });

  it("a process that never speaks ACP times out at start", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const err = await AcpSession.start({
      command: process.execPath,
      args: ["-e", "setInterval(() => {}, 1000)"],
      cwd: dir.path,
      onEvent: () => {},
      startTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentExitedError);
    expect((err as Error).message).toMatch(/did not complete ACP startup within 300 ms/);
  });

  it("stop leaves no process in the group, even one ignoring SIGTERM", async () => {
    const { session, events } = await startScripted();
    const pgid = session.pid!;
    const turn = session.prompt(`run: sh -c "trap '' TERM; sleep 60"`).catch((e: unknown) => e);
    await events.waitFor((e) => e.type === "session_update" && e.update.sessionUpdate === "tool_call");
    const exit = await session.stop(500);
    expect(exit.message).toMatch(/^stopped/);
    expect(killGroup(pgid, 0)).toBe(false);
    expect(() => process.kill(-pgid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    await turn;
  });
});
