import { fdatasync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAuthority } from "../../src/cli/actor-connection.js";
import { Route } from "../../src/gen/agenthub/internal/v1/authority_pb.js";
import type { SyncFile } from "../../src/store/group-commit.js";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { singleSpec } from "../helpers/specs.js";
import { openSse } from "../helpers/sse.js";

/**
 * The hub commits without waiting for the disk and syncs the WAL file in groups: whatever leaves it
 * (a REST answer, an SSE frame, a gRPC reply) must wait for the sync covering the writes before it.
 * Here the sync is held by hand: nothing that follows a write may arrive until it is released.
 */
let holding = false;
const held: (() => void)[] = [];
let onHeld: (() => void) | undefined;
const syncFile: SyncFile = (fd, done) => {
  const run = () => fdatasync(fd, (err) => done(err));
  if (!holding) return run();
  held.push(run);
  onHeld?.();
};
/** Holds the next syncs; resolves once the first is asked for. */
function hold(): Promise<void> {
  holding = true;
  return new Promise<void>((resolve) => {
    onHeld = () => {
      onHeld = undefined;
      resolve();
    };
  });
}
function release(): void {
  holding = false;
  for (const run of held.splice(0)) run();
}

/** `p`, and whether it settled yet. */
function watch<T>(p: Promise<T>) {
  const state = { settled: false };
  void p.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return { p, state };
}

/** Waits for the held sync to be asked for; an answer arriving first fails the test at once. */
async function syncAskedBefore(asked: Promise<void>, ...answers: { p: Promise<unknown> }[]): Promise<void> {
  const early = answers.map((a) =>
    a.p.then(() => {
      throw new Error("answered before the write it follows was synced");
    }),
  );
  await Promise.race([asked, ...early]);
}

/** Long enough for an answer that did not wait to arrive (over loopback, in this process). */
const NOT_BEFORE_MS = 100;

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let teamId: string;
let runId: string;

beforeAll(async () => {
  h = await startHubWithRoot({}, { syncFile });
  teamId = (
    await api<{ id: string }>(h.url, "POST", "/api/teams", {
      token: h.rootToken,
      body: { name: "t", spec: singleSpec() },
    })
  ).body.id;
  runId = (
    await api<{ id: string }>(h.url, "POST", `/api/teams/${teamId}/runs`, { token: h.rootToken, body: {} })
  ).body.id;
});
afterAll(async () => {
  release();
  await h.close();
});

describe("group commit at the hub's edges", () => {
  it("a REST answer to a write waits until the write is on disk", async () => {
    const asked = hold();
    const created = watch(
      api<{ id: string }>(h.url, "POST", `/api/teams/${teamId}/tasks`, {
        token: h.rootToken,
        body: { title: "durable" },
      }),
    );
    await syncAskedBefore(asked, created);
    await delay(NOT_BEFORE_MS);
    expect(created.state.settled).toBe(false);
    release();
    const res = await created.p;
    expect(res.status).toBe(201);
  });

  it("an SSE frame waits for the sync of the event it carries", async () => {
    const sse = await openSse(`${h.url}/api/runs/${runId}/events`, {
      authorization: `Bearer ${h.rootToken}`,
    });
    try {
      const asked = hold();
      const sent = watch(
        api(h.url, "POST", `/api/runs/${runId}/messages`, {
          token: h.rootToken,
          body: { from_actor_id: "human:root", route: "to_leader", payload: { text: "hi" } },
        }),
      );
      const frame = watch(sse.next((e) => e.event === "mailbox.sent"));
      await syncAskedBefore(asked, sent, frame);
      await delay(NOT_BEFORE_MS);
      expect(frame.state.settled).toBe(false);
      expect(sent.state.settled).toBe(false);
      release();
      expect((await sent.p).status).toBe(201);
      expect((await frame.p).data.kind).toBe("mailbox.sent");
    } finally {
      await sse.close();
    }
  });

  it("an actor's gRPC send is answered only once its message is on disk", async () => {
    const token = await api<{ env: Record<string, string> }>(
      h.url,
      "POST",
      `/api/runs/${runId}/actor-tokens`,
      {
        token: h.rootToken,
        body: { member_id: "w1" },
      },
    );
    const client = await connectAuthority(token.body.env, undefined);
    try {
      const asked = hold();
      const reply = watch(client.send({ route: Route.TO_LEADER, body: { case: "text", value: "sync me" } }));
      await syncAskedBefore(asked, reply);
      await delay(NOT_BEFORE_MS);
      expect(reply.state.settled).toBe(false);
      release();
      expect((await reply.p).recipients).toEqual(["lead"]);
    } finally {
      client.close();
    }
  });
});
