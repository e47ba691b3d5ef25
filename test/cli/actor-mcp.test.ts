import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { BIN, spawnCli } from "../helpers/spawn-cli.js";
import { diamondSpec } from "../helpers/specs.js";
import { tempDir } from "../helpers/temp-dir.js";

// `agenthub actor mcp`, a real child process spoken to with the SDK's own client, against a real hub.

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let runId: string;
const envOf: Record<string, Record<string, string>> = {};
const open: { client: Client; transport: StdioClientTransport }[] = [];

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: work.path, AGENTHUB_HOME: join(work.path, "actor-home") };
}

/** The server's process (the transport keeps it private): to see how it exits. */
function processOf(transport: StdioClientTransport): ChildProcess {
  return (transport as unknown as { _process: ChildProcess })._process;
}

/** Starts `agenthub actor mcp` with a member's environment (plus `extra`) and connects a client. */
async function mcpAs(member: string | null, extra: Record<string, string> = {}, args: string[] = []) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "actor", "mcp", ...args],
    env: { ...baseEnv(), ...(member ? envOf[member] : {}), ...extra },
    stderr: "pipe",
  });
  const client = new Client({ name: "actor-mcp-test", version: "1.0.0" });
  await client.connect(transport);
  open.push({ client, transport });
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("");
  return { isError: r.isError === true, text, data: r.structuredContent as Record<string, unknown> };
}

/** A successful call's result (its text is the same JSON as its structured content). */
async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await call(client, name, args);
  expect(r.isError, r.text).toBe(false);
  expect(JSON.parse(r.text)).toEqual(r.data);
  return r.data;
}

let lead: Client;
let worker: Client;

beforeAll(async () => {
  work = tempDir();
  h = await startHubWithRoot();
  const team = await api<{ id: string }>(h.url, "POST", "/api/teams", {
    token: h.rootToken,
    body: { name: "t", spec: diamondSpec() },
  });
  runId = (
    await api<{ id: string }>(h.url, "POST", `/api/teams/${team.body.id}/runs`, {
      token: h.rootToken,
      body: {},
    })
  ).body.id;
  for (const m of ["lead", "a", "b"]) {
    const r = await api<{ env: Record<string, string> }>(h.url, "POST", `/api/runs/${runId}/actor-tokens`, {
      token: h.rootToken,
      body: { member_id: m },
    });
    expect(r.status).toBe(201);
    envOf[m] = r.body.env;
  }
  lead = await mcpAs("lead");
  worker = await mcpAs("a");
});

afterAll(async () => {
  for (const { client } of open) await client.close();
  await h.close();
  work.cleanup();
});

describe("agenthub actor mcp", () => {
  it("lists one tool per actor command, its arguments as the input schema", async () => {
    const { tools } = await lead.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        "ack",
        "inbox",
        "permission_review_respond",
        "receive",
        "send",
        "step_complete",
        "step_fail",
        "team_members",
        "team_task_create",
        "team_task_update",
        "team_tasks",
      ].sort(),
    );
    const send = byName.send!;
    expect(send.description).toContain("Send a mailbox message");
    expect(send.annotations?.readOnlyHint).toBe(false);
    expect(send.inputSchema).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        to_actor_id: { type: "string" },
        to_leader: { type: "boolean" },
        broadcast: { type: "boolean" },
        text: { type: "string" },
        payload: { type: "object" },
        idempotency_key: { type: "string" },
      },
    });
    expect(send.inputSchema.required ?? []).toEqual([]);
    expect(byName.inbox!.annotations?.readOnlyHint).toBe(true);
    expect(byName.inbox!.inputSchema.properties).toMatchObject({ limit: { type: "integer", minimum: 1 } });
    expect(byName.ack!.inputSchema).toMatchObject({
      required: ["message_ids"],
      properties: { message_ids: { type: "array", items: { type: "string" } } },
    });
    expect(byName.team_task_create!.inputSchema.required).toEqual(["title"]);
    expect(byName.team_task_update!.inputSchema).toMatchObject({
      required: ["task_id", "status"],
      properties: { status: { enum: ["open", "in_progress", "in_review", "completed", "canceled"] } },
    });
    expect(byName.step_complete!.inputSchema.required).toEqual(["output"]);
    expect(byName.step_fail!.inputSchema.required).toEqual(["error_text"]);
    expect(byName.permission_review_respond!.inputSchema).toMatchObject({
      required: ["request_id"],
      properties: { option_id: { type: "string" }, outcome: { const: "cancelled" } },
    });
    expect(byName.team_members!.inputSchema.properties ?? {}).toEqual({});
  });

  it("sends, lists, receives and acknowledges mail", async () => {
    const args = { to_leader: true, text: "part 1 done", idempotency_key: "k1" };
    const sent = await ok(worker, "send", args);
    expect(sent).toMatchObject({ recipients: ["lead"], duplicate: false });
    expect(await ok(worker, "send", args)).toMatchObject({ message_id: sent.message_id, duplicate: true });

    const inbox = await ok(lead, "inbox");
    expect(inbox.messages).toEqual([
      expect.objectContaining({
        message_id: sent.message_id,
        from_actor_id: "a",
        payload: { text: "part 1 done" },
      }),
    ]);
    expect((await ok(lead, "receive", { limit: 10 })).messages).toHaveLength(1);
    expect((await ok(lead, "inbox")).messages).toEqual([]);

    const b = await ok(lead, "send", { broadcast: true, payload: { plan: { parts: ["left", "right"] } } });
    expect([...(b.recipients as string[])].sort()).toEqual(["a", "b"]);
    const mine = await ok(worker, "inbox");
    expect(mine.messages).toEqual([
      expect.objectContaining({ message_id: b.message_id, payload: { plan: { parts: ["left", "right"] } } }),
    ]);
    expect(await ok(worker, "ack", { message_ids: [b.message_id] })).toEqual({ acked_count: 1 });
    expect(await ok(worker, "ack", { message_ids: [b.message_id] })).toEqual({ acked_count: 0 });
  });

  it("lists members and creates, moves and lists tasks", async () => {
    const members = await ok(worker, "team_members");
    expect((members.members as { member_id: string }[]).map((m) => m.member_id)).toEqual(["lead", "a", "b"]);
    const created = await ok(worker, "team_task_create", { title: "write tests", priority: 2 });
    const task = created.task as { task_id: string; title: string; priority: number; status: string };
    expect(task).toMatchObject({ title: "write tests", priority: 2, status: "TASK_STATUS_OPEN" });
    expect(
      await ok(worker, "team_task_update", { task_id: task.task_id, status: "in_progress" }),
    ).toMatchObject({
      task: { task_id: task.task_id, status: "TASK_STATUS_IN_PROGRESS" },
    });
    const listed = await ok(lead, "team_tasks", { status: "in_progress" });
    expect((listed.tasks as { task_id: string }[]).map((t) => t.task_id)).toEqual([task.task_id]);
    expect((await ok(lead, "team_tasks", { status: "completed" })).tasks).toEqual([]);
  });

  it("completes and fails the member's own working steps", async () => {
    const start = (key: string) =>
      api(h.url, "POST", `/api/runs/${runId}/steps/${key}/start`, { token: h.rootToken });
    expect((await start("plan")).status).toBe(200);
    expect(await ok(lead, "step_complete", { output: "the plan" })).toMatchObject({
      step_key: "plan",
      status: "completed",
    });
    expect((await start("left")).status).toBe(200);
    expect(await ok(worker, "step_fail", { error_text: "no compiler here" })).toMatchObject({
      step_key: "left",
      status: "failed",
    });
    const run = await api<{ steps: { step_key: string; status: string; output: string | null }[] }>(
      h.url,
      "GET",
      `/api/runs/${runId}`,
      { token: h.rootToken },
    );
    const byKey = Object.fromEntries(run.body.steps.map((s) => [s.step_key, s]));
    expect(byKey.plan).toMatchObject({ status: "completed", output: "the plan" });
    expect(byKey.left!.status).toBe("failed");
  });

  it("answers a refused call with a tool error carrying the registry code and message", async () => {
    const missing = await call(lead, "step_complete", { output: "x", step_key: "nope" });
    expect(missing.isError).toBe(true);
    expect(missing.data).toMatchObject({ code: "STEP_NOT_FOUND", details: { step_key: "nope" } });
    expect(missing.text).toContain("(STEP_NOT_FOUND)");

    const notLeader = await call(worker, "permission_review_respond", {
      request_id: "perm_x",
      option_id: "allow",
    });
    expect(notLeader).toMatchObject({ isError: true, data: { code: "FORBIDDEN" } });
    expect(notLeader.text).toContain('lacks permission "reviews:respond"');

    const unknown = await call(lead, "permission_review_respond", {
      request_id: "perm_nope",
      outcome: "cancelled",
    });
    expect(unknown).toMatchObject({
      isError: true,
      data: { code: "REVIEW_NOT_FOUND", error: "permission review not found" },
    });

    let deep: unknown = "x";
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const tooDeep = await call(worker, "send", {
      to_actor_id: "b",
      payload: deep as Record<string, unknown>,
    });
    expect(tooDeep).toMatchObject({
      isError: true,
      data: {
        code: "BAD_REQUEST",
        error: "payload is nested deeper than 32 levels",
        details: { field: "payload", max_depth: 32 },
      },
    });
  });

  it("refuses arguments its schema refuses, naming the arguments, and keeps serving", async () => {
    const noTarget = await call(worker, "send", { text: "x" });
    expect(noTarget.isError).toBe(true);
    expect(noTarget.text).toContain("give exactly one of to_actor_id, to_leader, broadcast");
    const both = await call(lead, "permission_review_respond", {
      request_id: "perm_x",
      option_id: "allow",
      outcome: "cancelled",
    });
    expect(both.text).toContain("give exactly one of option_id, outcome");
    const noTitle = await call(worker, "team_task_create", { priority: 1.5 });
    expect(noTitle.isError).toBe(true);
    expect(noTitle.text).toContain("is required");
    expect(noTitle.text).toContain("must be an integer");
    expect((await call(worker, "team_tasks", { status: "done" })).text).toContain("must be one of: open");
    expect((await call(worker, "inbox", { limt: 3 })).isError).toBe(true);
    expect((await ok(worker, "team_members")).members).toHaveLength(3);
  });

  it("reports bad credentials and an unreachable hub per call, never by exiting", async () => {
    const badToken = await mcpAs("a", { AGENTHUB_INTERNAL_GRPC_TOKEN: "not.a.jwt" });
    expect((await badToken.listTools()).tools).toHaveLength(11);
    const denied = await call(badToken, "inbox");
    expect(denied).toMatchObject({ isError: true, data: { code: "INVALID_TOKEN" } });
    expect((await call(badToken, "inbox")).data.code).toBe("INVALID_TOKEN");

    const nowhere = await mcpAs("a", { AGENTHUB_INTERNAL_GRPC_TARGET: "https://127.0.0.1:1" });
    const down = await call(nowhere, "team_members");
    expect(down).toMatchObject({ isError: true, data: { code: "INTERNAL_GRPC_UNAVAILABLE" } });
    expect(down.text).toContain("cannot reach the hub's internal gRPC");

    const noCa = await mcpAs("a", {
      AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: "",
      AGENTHUB_INTERNAL_GRPC_CA_CERT: join(work.path, "missing.crt"),
    });
    const unusable = await call(noCa, "inbox");
    expect(unusable).toMatchObject({ isError: true, data: { code: "INTERNAL_GRPC_UNAVAILABLE" } });
    expect(unusable.text).toContain("missing.crt");
  });

  it("on the hub's machine acts as --actor-id in --run-id with the hub's config and key", async () => {
    const hubSide = await mcpAs(
      null,
      {
        AGENTHUB_HOME: h.home,
        HOME: h.home,
        AGENTHUB_INTERNAL_GRPC_ADVERTISE_TARGET: envOf.b!.AGENTHUB_INTERNAL_GRPC_TARGET!,
      },
      ["--actor-id", "b", "--run-id", runId],
    );
    const sent = await ok(hubSide, "send", { to_leader: true, text: "from the hub's machine" });
    expect(sent.recipients).toEqual(["lead"]);
    const inbox = await ok(lead, "inbox");
    expect(inbox.messages).toContainEqual(
      expect.objectContaining({ message_id: sent.message_id, from_actor_id: "b" }),
    );
  });

  it("exits 0 once its client closes stdin", async () => {
    const client = await mcpAs("b");
    expect((await ok(client, "inbox")).messages).toBeDefined();
    const { transport } = open.find((o) => o.client === client)!;
    const child = processOf(transport);
    const exited = once(child, "exit");
    await client.close();
    expect(await exited).toEqual([0, null]);
  });

  it("loads the MCP SDK only for `actor mcp`, not for the other actor commands", async () => {
    // A loader hook that refuses to resolve the SDK: `actor inbox` must not notice it, `actor mcp` must.
    const hook = join(work.path, "no-mcp-hook.mjs");
    writeFileSync(
      hook,
      'export async function resolve(s, c, next) { if (s.includes("@modelcontextprotocol")) throw new Error("MCP SDK loaded"); return next(s, c); }\n',
    );
    const register = join(work.path, "no-mcp.mjs");
    writeFileSync(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`,
    );
    const env = { ...baseEnv(), ...envOf.b, NODE_OPTIONS: `--import ${pathToFileURL(register).href}` };
    const inbox = spawnCli(["actor", "inbox", "--json"], env);
    expect(await inbox.exit, inbox.stderr()).toBe(0);
    const help = spawnCli(["actor", "help", "mcp"], env);
    expect(await help.exit, help.stderr()).toBe(0);
    expect(help.stdout()).toContain("team_task_create {title, assigned_member_id?, priority?}");
    const mcp = spawnCli(["actor", "mcp"], env);
    expect(await mcp.exit).toBe(1);
    expect(mcp.stderr()).toContain("MCP SDK loaded");
  });
});
