import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, parseBanner } from "../helpers/hub-harness.js";
import { type CliProcess, spawnCli } from "../helpers/spawn-cli.js";
import { singleSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: ReturnType<typeof tempDir>;
let hub: CliProcess;
let url: string;
let rootToken: string;
let runId: string;
const envOf: Record<string, Record<string, string>> = {};

function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir.path, AGENTHUB_HOME: join(dir.path, ".agenthub") };
}

async function actor(member: string | null, args: string[], extra: NodeJS.ProcessEnv = {}) {
  const env = { ...baseEnv(), ...(member ? envOf[member] : {}), ...extra };
  const p = spawnCli(["actor", ...args], env);
  const code = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr(), json: () => JSON.parse(p.stdout()) };
}

beforeAll(async () => {
  dir = tempDir();
  hub = spawnCli(["serve"], {
    ...baseEnv(),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
  });
  url = (await hub.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/))[1]!;
  await hub.waitFor(/pin:\s+\d{6}/);
  const { join_token, pin } = parseBanner(hub.stderr());
  rootToken = (
    await api<{ token: string }>(url, "POST", "/api/join", {
      body: { join_token, pin, username: "root", password: "long enough pw" },
    })
  ).body.token;
  const team = await api<{ id: string }>(url, "POST", "/api/teams", {
    token: rootToken,
    body: { name: "t", spec: singleSpec() },
  });
  runId = (
    await api<{ id: string }>(url, "POST", `/api/teams/${team.body.id}/runs`, { token: rootToken, body: {} })
  ).body.id;
  for (const m of ["lead", "w1", "w2"]) {
    const r = await api<{ env: Record<string, string> }>(url, "POST", `/api/runs/${runId}/actor-tokens`, {
      token: rootToken,
      body: { member_id: m },
    });
    expect(r.status).toBe(201);
    envOf[m] = r.body.env;
  }
});

afterAll(async () => {
  expect(await hub.kill("SIGTERM")).toBe(0);
  dir.cleanup();
});

describe("agenthub actor against a real hub over TLS", () => {
  it("send -> inbox -> receive -> ack, with idempotent send", async () => {
    const sent = await actor("w1", [
      "send",
      "--to-leader",
      "--text",
      "done with part 1",
      "--idempotency-key",
      "k1",
      "--json",
    ]);
    expect(sent.code).toBe(0);
    expect(sent.json()).toMatchObject({ recipients: ["lead"], duplicate: false });
    const again = await actor("w1", [
      "send",
      "--to-leader",
      "--text",
      "done with part 1",
      "--idempotency-key",
      "k1",
      "--json",
    ]);
    expect(again.json()).toMatchObject({ message_id: sent.json().message_id, duplicate: true });

    const inbox = await actor("lead", ["inbox", "--json"]);
    expect(inbox.code).toBe(0);
    const msgs = inbox.json().messages as { message_id: string; payload: unknown; from_actor_id: string }[];
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ from_actor_id: "w1", payload: { text: "done with part 1" } });

    const human = await actor("lead", ["inbox"]);
    expect(human.stdout).toContain("from w1");

    const received = await actor("lead", ["receive", "--json"]);
    expect((received.json().messages as unknown[]).length).toBe(1);
    const after = await actor("lead", ["inbox", "--json"]);
    expect(after.json().messages).toEqual([]);

    const b = await actor("lead", ["send", "--broadcast", "--payload-json", '{"plan":"x"}', "--json"]);
    const id = b.json().message_id as string;
    const ack = await actor("w2", ["ack", "--message-id", id, "--json"]);
    expect(ack.json()).toMatchObject({ acked_count: 1 });
    const ack2 = await actor("w2", ["ack", "--message-id", id, "--json"]);
    expect(ack2.json().acked_count).toBe(0);
    const bad = await actor("w2", ["ack", "--message-id", "msg_nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("message not found");
    // Dialing 127.0.0.1 over TLS must not print Node's IP-as-SNI warning into agents' tool output.
    expect(bad.stderr).not.toContain("DEP0123");
  });

  it("refuses a payload nested deeper than 32 levels at send (CLI and REST); receive never fails on a stored one", async () => {
    const nest = (n: number): unknown => {
      let v: unknown = "x";
      for (let i = 0; i < n; i++) v = { a: v };
      return v;
    };
    // 32 levels go through and come back intact.
    const ok = await actor("w1", [
      "send",
      "--to-actor-id",
      "w2",
      "--payload-json",
      JSON.stringify(nest(32)),
      "--json",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const okId = ok.json().message_id as string;
    // 33 (and far deeper) are refused with a code naming the cause, never as unreachable gRPC.
    for (const depth of [33, 200]) {
      const deep = await actor("w1", [
        "send",
        "--to-actor-id",
        "w2",
        "--payload-json",
        JSON.stringify(nest(depth)),
        "--json",
      ]);
      expect(deep.code).toBe(1);
      expect(deep.json()).toMatchObject({
        code: "BAD_REQUEST",
        error: "payload is nested deeper than 32 levels",
        details: { field: "payload", max_depth: 32 },
      });
    }
    const rest = await api<{ code: string; error: string }>(url, "POST", `/api/runs/${runId}/messages`, {
      token: rootToken,
      body: { from_actor_id: "w1", route: "to_member", to_actor_id: "w2", payload: nest(40) },
    });
    expect([rest.status, rest.body.code, rest.body.error]).toEqual([
      400,
      "BAD_REQUEST",
      "payload is nested deeper than 32 levels",
    ]);

    // A message stored deeper than that (before the limit, or hub-made) is handed over as JSON text.
    const db = new Database(join(dir.path, ".agenthub", "agenthub.db"));
    try {
      db.prepare("UPDATE mailbox_messages SET payload_json = ? WHERE id = ?").run(
        JSON.stringify(nest(60)),
        okId,
      );
    } finally {
      db.close();
    }
    const inbox = await actor("w2", ["inbox", "--json"]);
    expect(inbox.code, inbox.stderr).toBe(0);
    const msg = (inbox.json().messages as { message_id: string; payload: { payload_json: string } }[]).find(
      (m) => m.message_id === okId,
    );
    expect(JSON.parse(msg!.payload.payload_json)).toEqual(nest(60));
    const received = await actor("w2", ["receive", "--json"]);
    expect(received.code, received.stderr).toBe(0);
    expect((received.json().messages as { message_id: string }[]).map((m) => m.message_id)).toContain(okId);
    expect((await actor("w2", ["inbox"])).code).toBe(0);
  });

  it("lists members and manages tasks", async () => {
    const members = await actor("w1", ["team-members", "--json"]);
    expect((members.json().members as { member_id: string }[]).map((m) => m.member_id)).toEqual([
      "lead",
      "w1",
      "w2",
    ]);
    const created = await actor("w1", ["team-task-create", "--title", "write tests", "--json"]);
    expect(created.code).toBe(0);
    const task_id = created.json().task.task_id as string;
    const updated = await actor("w1", [
      "team-task-update",
      "--task-id",
      task_id,
      "--status",
      "in_progress",
      "--json",
    ]);
    expect(updated.code).toBe(0);
    const tasks = await actor("w1", ["team-tasks", "--status", "in_progress", "--json"]);
    expect((tasks.json().tasks as { task_id: string }[]).map((t) => t.task_id)).toEqual([task_id]);
  });

  it("refuses a worker acting as another actor, and a worker answering reviews", async () => {
    const other = await actor("w1", ["inbox", "--actor-id", "lead"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("permission denied");
    expect(other.stderr).toContain("FORBIDDEN");
    const review = await actor("w1", [
      "permission-review-respond",
      "--request-id",
      "perm_x",
      "--option-id",
      "allow",
    ]);
    expect(review.code).toBe(1);
    expect(review.stderr).toContain('lacks permission "reviews:respond"');
  });

  it("answers an unknown review id with a clear error", async () => {
    const r = await actor("lead", [
      "permission-review-respond",
      "--request-id",
      "perm_nope",
      "--option-id",
      "allow_once",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("permission review not found");
  });

  it("rejects bad tokens as unauthenticated", async () => {
    const r = await actor("w1", ["inbox"], { AGENTHUB_INTERNAL_GRPC_TOKEN: "not.a.jwt" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("INVALID_TOKEN");
  });

  it("exits 2 on usage errors and documents each command", async () => {
    const noTarget = await actor("w1", ["send", "--text", "x"]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain("give exactly one of --to-actor-id, --to-leader, --broadcast");
    // The same argument rules as the MCP tools', named as flags.
    const notAnOption = await actor("w1", ["inbox", "--title", "x"]);
    expect([notAnOption.code, notAnOption.stderr.split("\n")[0]]).toEqual([
      2,
      "agenthub: inbox has no option --title",
    ]);
    const badStatus = await actor("w1", ["team-task-update", "--task-id", "t", "--status", "done"]);
    expect([badStatus.code, badStatus.stderr.split("\n")[0]]).toEqual([
      2,
      "agenthub: --status must be one of: open, in_progress, in_review, completed, canceled",
    ]);
    const unknown = await actor("w1", ["frob"]);
    expect(unknown.code).toBe(2);
    const help = await actor(null, ["help", "send"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--idempotency-key");
  });

  it("on the hub's machine falls back to the config and generated secret", async () => {
    const r = await actor(null, ["inbox", "--actor-id", "w2", "--run-id", runId, "--json"], {
      AGENTHUB_INTERNAL_GRPC_ADVERTISE_TARGET: envOf.w1!.AGENTHUB_INTERNAL_GRPC_TARGET,
    });
    expect(r.code).toBe(0);
  });

  it("names an actor that is not a member of the run (--actor-id ghost) instead of an empty inbox", async () => {
    // The hub's own credentials may act as anyone, but only as a member of the run.
    const r = await actor(null, ["inbox", "--actor-id", "ghost", "--run-id", runId], {
      AGENTHUB_INTERNAL_GRPC_ADVERTISE_TARGET: envOf.w1!.AGENTHUB_INTERNAL_GRPC_TARGET,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown member "ghost"');
    expect(r.stderr).toContain("(UNKNOWN_MEMBER)");
    const json = await actor(null, ["receive", "--actor-id", "ghost", "--run-id", runId, "--json"], {
      AGENTHUB_INTERNAL_GRPC_ADVERTISE_TARGET: envOf.w1!.AGENTHUB_INTERNAL_GRPC_TARGET,
    });
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ code: "UNKNOWN_MEMBER", details: { actor_id: "ghost" } });
    // A member's token acts only as that member: the ghost is named in the refusal.
    const w1 = await actor("w1", ["inbox", "--actor-id", "ghost"]);
    expect(w1.code).toBe(1);
    expect(w1.stderr).toContain('"ghost"');
  });

  it("says internal grpc client not available when it is disabled", async () => {
    const cfgDir = tempDir();
    writeFileSync(join(cfgDir.path, "config.toml"), "[internal_grpc]\nenabled = false\n");
    const r = await actor(null, ["inbox", "--actor-id", "w1"], { AGENTHUB_HOME: cfgDir.path });
    cfgDir.cleanup();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("internal grpc client not available");
    expect(r.stderr).toContain("enabled = true");
  });
});
