import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventLog, type NodeEvent } from "../../src/node/event-log.js";
import { tempDir } from "../helpers/temp-dir.js";
import { EventWaiter } from "./helpers/event-waiter.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function dir(): string {
  const t = tempDir("agenthub-events-");
  cleanups.push(t.cleanup);
  return t.path;
}

function open(path: string, compactAfter?: number): EventLog {
  const log = new EventLog({ dir: path, compactAfter });
  cleanups.push(() => log.close());
  return log;
}

const seqs = (events: NodeEvent[]) => events.map((e) => e.seq);

describe("EventLog", () => {
  it("numbers events globally and per agent, handing them out once durable", () => {
    const log = open(dir());
    log.append("a", "status", { state: "starting" });
    log.append("b", "status", { state: "starting" });
    const e3 = log.append("a", "stderr", { line: "x" });
    expect(e3).toMatchObject({ seq: 3, agent_id: "a", agent_seq: 2, kind: "stderr" });
    expect(log.readFrom(1)).toEqual([]); // not yet synced
    log.flush();
    expect(log.readFrom(1).map((e) => [e.seq, e.agent_id, e.agent_seq])).toEqual([
      [1, "a", 1],
      [2, "b", 1],
      [3, "a", 2],
    ]);
    expect(seqs(log.readFrom(2, 1))).toEqual([2]);
    expect(seqs(log.readFrom(10))).toEqual([]);
  });

  it("reloads unacknowledged events after a restart and continues numbering", () => {
    const path = dir();
    const first = new EventLog({ dir: path });
    for (let i = 0; i < 5; i++) first.append(i % 2 ? "b" : "a", "n", { i });
    first.flush();
    first.ackUpTo(2);
    first.close();
    // a torn trailing line from a crash mid-write is ignored
    writeFileSync(
      join(path, "events.jsonl"),
      `${readFileSync(join(path, "events.jsonl"), "utf8")}{"seq":6,"ag`,
    );

    const second = open(path);
    expect(seqs(second.readFrom(0))).toEqual([3, 4, 5]);
    expect(second.ackedSeq).toBe(2);
    const next = second.append("a", "n", {});
    expect(next.seq).toBe(6);
    expect(next.agent_seq).toBe(4); // a had 1,3,5
  });

  it("acknowledging drops events and compacts the file", () => {
    const path = dir();
    const log = open(path, 3);
    for (let i = 0; i < 5; i++) log.append("a", "n", { i });
    log.flush();
    log.ackUpTo(4);
    expect(seqs(log.readFrom(0))).toEqual([5]);
    const lines = readFileSync(join(path, "events.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(2); // state line + event 5
    expect(JSON.parse(lines[0]!)).toEqual({ state: { acked: 4, last_seq: 5, agent_seqs: { a: 5 } } });
    log.ackUpTo(100); // clamped to durable
    expect(log.ackedSeq).toBe(5);
    log.close();
    const again = open(path);
    expect(again.readFrom(0)).toEqual([]);
    expect(again.append("a", "n", {})).toMatchObject({ seq: 6, agent_seq: 6 });
  });

  it("subscribe replays then delivers live events in order without duplicates", async () => {
    const log = open(dir());
    for (let i = 0; i < 3; i++) log.append("a", "n", { i });
    log.flush();
    const got = new EventWaiter<NodeEvent>();
    const unsubscribe = log.subscribe(2, got.push);
    expect(seqs(got.events)).toEqual([2, 3]);
    for (let i = 0; i < 3; i++) log.append("b", "n", { i });
    await got.waitFor((e) => e.seq === 6);
    log.flush();
    expect(seqs(got.events)).toEqual([2, 3, 4, 5, 6]);
    unsubscribe();
    log.append("a", "n", {});
    log.flush();
    expect(seqs(got.events)).toEqual([2, 3, 4, 5, 6]);
  });

  it("a subscriber that acks inside its callback keeps receiving in order", async () => {
    const log = open(dir(), 1);
    const got: number[] = [];
    log.subscribe(1, (e) => {
      got.push(e.seq);
      log.ackUpTo(e.seq);
    });
    for (let i = 0; i < 50; i++) log.append("a", "n", { i });
    log.flush();
    for (let i = 0; i < 50; i++) log.append("a", "n", { i });
    log.flush();
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(log.readFrom(0)).toEqual([]);
  });
});

describe("EventLog.continueAfter (a consumer whose database is ahead of the log)", () => {
  it("numbers new events after the consumer's, drops older retained ones, and keeps that across a reopen", () => {
    const path = dir();
    const log = open(path);
    log.append("a", "status", { state: "starting" });
    log.flush();
    // The consumer's restored database has seen up to seq 50, and agent a's events up to 7.
    expect(log.continueAfter(50, { a: 7, b: 3 })).toBe(true);
    expect(log.readFrom(1)).toEqual([]);
    const next = log.append("a", "status", { state: "running" });
    expect(next).toMatchObject({ seq: 51, agent_seq: 8 });
    expect(log.append("b", "status", { state: "running" })).toMatchObject({ seq: 52, agent_seq: 4 });
    log.close();

    const reopened = open(path);
    expect(seqs(reopened.readFrom(1))).toEqual([51, 52]);
    expect(reopened.append("a", "stderr", { line: "x" })).toMatchObject({ seq: 53, agent_seq: 9 });
  });

  it("changes nothing when the log is ahead of the consumer", () => {
    const log = open(dir());
    for (let i = 0; i < 5; i++) log.append("a", "stderr", { line: String(i) });
    log.flush();
    expect(log.continueAfter(3, { a: 2 })).toBe(false);
    expect(seqs(log.readFrom(1))).toEqual([1, 2, 3, 4, 5]);
    expect(log.append("a", "stderr", { line: "x" })).toMatchObject({ seq: 6, agent_seq: 6 });
  });
});
