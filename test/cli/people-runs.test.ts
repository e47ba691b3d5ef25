import { existsSync, readFileSync } from "node:fs";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addUser } from "../helpers/hub-harness.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { openTeamHub, type TeamHub } from "../team/helpers.js";
import { people } from "./people-cli.js";

let t: TeamHub;
let dir: ReturnType<typeof tempDir>;
const env = () => ({ AGENTHUB_HUB: t.url, AGENTHUB_TOKEN: t.rootToken });
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  people(dir.path, args, { env: { ...env(), ...extra } });

beforeEach(async () => {
  t = await openTeamHub();
  dir = tempDir("agenthub-people-");
});
afterEach(async () => {
  await t.close();
  dir.cleanup();
});

/** A started team of a leader and a worker whose `build` step runs `build` (scripted-agent directives). */
async function team(name: string, build: string, route: "to_leader" | "to_human" = "to_leader") {
  const id = await t.createTeam(
    {
      leader_member_id: "lead",
      members: [t.member("lead", "leader"), t.member("w1", "worker")],
      steps: [
        { step_key: "plan", member_id: "lead", prompt: "reply: plan" },
        { step_key: "build", member_id: "w1", prompt: build, depends_on: ["plan"] },
      ],
      permissions: { route },
    },
    name,
  );
  await t.startRuntime(id);
  return id;
}

type RunBody = { id: string; status: string; input: unknown };

describe("agenthub runs start --watch", () => {
  it("follows the run to completion, one line per event with the progress, and exits 0", async () => {
    await team("ok-team", "reply: built");
    const r = await cli(["runs", "start", "ok-team", "--input", "goal=ship it", "--watch"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const runId = /started run (run_\S+) of team ok-team/.exec(r.stdout)?.[1];
    expect(runId, r.stdout).toBeDefined();
    const lines = r.stdout.trim().split("\n");
    expect(
      lines.find((l) => / step\.completed {2}plan {2}\[1\/2 steps\]$/.test(l)),
      r.stdout,
    ).toBeDefined();
    expect(
      lines.find((l) => / step\.completed {2}build {2}\[2\/2 steps\]$/.test(l)),
      r.stdout,
    ).toBeDefined();
    expect(lines.at(-1)).toMatch(new RegExp(`^run ${runId} completed: 2/2 steps in \\d`));
    const run = await t.run(runId!);
    expect(run.status).toBe("completed");
    expect((run as unknown as RunBody).input).toEqual({ goal: "ship it" });

    // A finished run: watch replays its log and exits at once with the same code.
    const again = await cli(["runs", "watch", runId!, "--json"]);
    expect(again.code).toBe(0);
    const objects = again.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.at(-1)).toMatchObject({ run: { id: runId, status: "completed" } });
    expect(objects.filter((o) => "event" in o).length).toBe((await t.runEvents(runId!)).length);
  });

  it("exits 6 when the run is canceled (runs cancel)", async () => {
    await team("cancel-team", "sleep 5000\nreply: too late");
    const started = await cli(["runs", "start", "cancel-team", "--json"]);
    const runId = (JSON.parse(started.stdout) as RunBody).id;
    const watch = spawnCli(["runs", "watch", runId], { PATH: process.env.PATH, HOME: dir.path, ...env() });
    try {
      await watch.waitFor(/step\.working {2}build/);
      const canceled = await cli(["runs", "cancel", runId]);
      expect([canceled.code, canceled.stdout]).toEqual([0, `run ${runId}: canceled\n`]);
      expect(await watch.exit).toBe(6);
      expect(watch.stdout().trim().split("\n").at(-1)).toMatch(
        new RegExp(`^run ${runId} canceled: 1/2 steps`),
      );
    } finally {
      await watch.kill();
    }
  });

  it("exits 5 when the run fails, naming the failure", async () => {
    await team("bad-team", "exit 3 boom on stderr");
    const r = await cli(["runs", "start", "bad-team", "--watch"]);
    expect(r.code, r.stdout + r.stderr).toBe(5);
    const last = r.stdout.trim().split("\n").at(-1)!;
    expect(last).toMatch(/^run run_\S+ failed: 1\/2 steps in .*; AGENT_EXITED: .*boom on stderr/);
  });
});

/**
 * A TCP proxy to the hub that can cut the event streams going through it (connections whose request
 * asks for text/event-stream), leaving the CLI's other requests alone.
 */
async function streamCuttingProxy(target: string) {
  const port = Number(new URL(target).port);
  const streams = new Set<Socket>();
  const streamRequests: string[] = [];
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    const close = () => {
      streams.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    // Keep-alive: a stream's request may follow others on the same connection.
    client.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      if (text.includes("text/event-stream")) {
        streams.add(client);
        streamRequests.push(text);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streamRequests,
    cutStreams: () => {
      const n = streams.size;
      for (const s of [...streams]) s.destroy();
      return n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("agenthub runs watch, when its event stream drops", () => {
  it("reconnects with Last-Event-ID and shows every event exactly once", async () => {
    await team("slow-team", "sleep 1500\nreply: built");
    const proxy = await streamCuttingProxy(t.url);
    const watch = spawnCli(["runs", "start", "slow-team", "--watch", "--json"], {
      PATH: process.env.PATH,
      HOME: dir.path,
      AGENTHUB_HUB: proxy.url,
      AGENTHUB_TOKEN: t.rootToken,
    });
    try {
      const working = await watch.waitFor(/"seq":(\d+),"kind":"step\.working","step_key":"build"/);
      expect(proxy.cutStreams()).toBe(1);
      await watch.waitFor(/run event stream interrupted .*; reconnecting/);
      expect(await watch.exit, watch.stderr()).toBe(0);
      const out = watch
        .stdout()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { event?: { seq: number }; run?: { id: string; status: string } });
      const run = out.at(-1)!.run!;
      expect(run.status).toBe("completed");
      const shown = out.flatMap((o) => (o.event ? [o.event.seq] : []));
      expect(shown).toEqual((await t.runEvents(run.id)).map((e) => e.seq));
      // The second request resumed after what the first had delivered.
      expect(proxy.streamRequests).toHaveLength(2);
      expect(proxy.streamRequests[0]).not.toMatch(/last-event-id/i);
      const resumedAfter = Number(/last-event-id: (\d+)/i.exec(proxy.streamRequests[1]!)?.[1]);
      expect(resumedAfter).toBeGreaterThanOrEqual(Number(working[1]));
    } finally {
      await watch.kill();
      await proxy.close();
    }
  });
});

describe("agenthub reviews", () => {
  it("lists the review waiting for a human across runs, approves it by its id, and the watching CLI sees the run complete", async () => {
    await team("review-team", "ask-permission write f.txt: from the cli\nreply: built", "to_human");
    const started = await cli(["runs", "start", "review-team", "--json"]);
    expect(started.code, started.stderr).toBe(0);
    const runId = (JSON.parse(started.stdout) as RunBody).id;
    const watch = spawnCli(["runs", "watch", runId], { PATH: process.env.PATH, HOME: dir.path, ...env() });
    try {
      const pending = await waitUntil("a pending review in `reviews list`", async () => {
        const r = await cli(["reviews", "list", "--json"]);
        const reviews = JSON.parse(r.stdout) as { review_id: string; run_id: string; step_key: string }[];
        return reviews.length > 0 && reviews;
      });
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ run_id: runId, step_key: "build" });
      const reviewId = pending[0]!.review_id;
      await watch.waitFor(new RegExp(`! review ${reviewId} pending for step build \\(w1 asks: .*\\)`));

      // Routed to a human of this team: another user does not see it (nor could answer it).
      const other = await addUser(t.h, t.rootToken, "bob");
      const theirs = await cli(["reviews", "list", "--json"], { AGENTHUB_TOKEN: other });
      expect(JSON.parse(theirs.stdout)).toEqual([]);
      const refused = await cli(["reviews", "approve", reviewId], { AGENTHUB_TOKEN: other });
      expect([refused.code, refused.stderr]).toEqual([
        1,
        "agenthub: REVIEW_NOT_FOUND: permission review not found\n",
      ]);

      const approved = await cli(["reviews", "approve", reviewId]);
      expect(approved.code, approved.stderr).toBe(0);
      expect(approved.stdout).toBe(
        `approved review ${reviewId} with allow_once (step build of run ${runId})\n`,
      );
      expect(await watch.exit).toBe(0);
      expect(watch.stdout().trim().split("\n").at(-1)).toMatch(
        new RegExp(`^run ${runId} completed: 2/2 steps`),
      );
      const file = join(t.safe, "w1", "f.txt");
      expect(existsSync(file) && readFileSync(file, "utf8")).toBe("from the cli");
      const left = await cli(["reviews", "list", "--run", runId, "--json"]);
      expect(JSON.parse(left.stdout)).toEqual([]);
    } finally {
      await watch.kill();
    }
  });
});
