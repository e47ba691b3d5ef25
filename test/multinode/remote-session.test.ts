import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  hubEnv,
  issueNodeCerts,
  joinRoot,
  nodeEnv,
  startHubProc,
  startNodeProc,
} from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Session settings, session info and typed start errors of an agent on a remote node (over gRPC). */

let dirs: ReturnType<typeof tempDir>[] = [];
let procs: { proc: { kill: (s?: NodeJS.Signals) => Promise<number | null> } }[] = [];
afterEach(async () => {
  for (const p of procs.reverse()) expect(await p.proc.kill("SIGTERM")).toBe(0);
  for (const d of dirs) d.cleanup();
  dirs = [];
  procs = [];
});

type Err = { error: string; code: string };

describe("an agent's session on a remote node", () => {
  it("gets its settings and MCP servers over gRPC, reports its offer back, and its errors keep their codes", async () => {
    const hubDir = tempDir();
    const nodeDir = tempDir();
    dirs.push(hubDir, nodeDir);
    const projects = join(nodeDir.path, "projects");
    mkdirSync(projects, { recursive: true });
    const hub = await startHubProc(hubEnv(hubDir.path, [join(hubDir.path, "projects")]));
    procs.push(hub);
    const root = await joinRoot(hub);
    const certDir = join(nodeDir.path, "certs");
    await issueNodeCerts(hub.env, certDir);
    const node = await startNodeProc(nodeEnv(nodeDir.path, "node-01", certDir, [projects]));
    procs.push(node);
    const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      api<T & Err>(hub.url, method, path, { token: root, body });
    expect(
      (await call("POST", "/api/admin/agent-nodes", { id: "node-01", grpc_target: `127.0.0.1:${node.port}` }))
        .status,
    ).toBe(201);

    const create = async (more: Record<string, unknown>) => {
      const r = await call<{ id: string }>("POST", "/api/agents", {
        name: "remote",
        node_id: "node-01",
        provider: "scripted",
        workdir: projects,
        ...more,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id;
    };

    const id = await create({
      env: { SCRIPTED_MODES: "ask,code", SCRIPTED_CONFIG_OPTIONS: "effort:low,high;fast:bool" },
      mode: "code",
      config_options: { effort: "high", fast: true },
      mcp_servers: [{ name: "tools", command: "tools-mcp", args: ["--stdio"], env: { K: "v" } }],
    });
    const started = await call<{
      session: { modes: { current: string }; config_options: { current: unknown }[] };
    }>("POST", `/api/agents/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.session.modes.current).toBe("code");
    expect(started.body.session.config_options.map((o) => o.current)).toEqual(["high", true]);

    const sse = await openSse(`${hub.url}/api/agents/${id}/events?token=${root}`);
    try {
      await call("POST", `/api/agents/${id}/input`, { text: "session-state" });
      const ended = await sse.next((e) => e.data.kind === "turn_ended");
      expect(JSON.parse(String(ended.data.data.reply))).toEqual({
        mode: "code",
        model: null,
        config: { effort: "high", fast: true },
        mcp_servers: [{ name: "tools", command: "tools-mcp", args: ["--stdio"], env: ["K"] }],
      });
    } finally {
      await sse.close();
    }
    const idle = await call("POST", `/api/agents/${id}/cancel`);
    expect([idle.status, idle.body.code]).toEqual([409, "NO_RUNNING_TURN"]);
    expect((await call("POST", `/api/agents/${id}/stop`)).status).toBe(200);

    const badMode = await create({ env: { SCRIPTED_MODES: "ask" }, mode: "code" });
    const r1 = await call("POST", `/api/agents/${badMode}/start`);
    expect([r1.status, r1.body.code, r1.body.error]).toEqual([
      422,
      "AGENT_CONFIG_INVALID",
      'agent "scripted" does not offer mode "code"; offered: ask',
    ]);
    const noKey = await create({ env: { SCRIPTED_REQUIRE_AUTH: "session" } });
    const r2 = await call("POST", `/api/agents/${noKey}/start`);
    expect([r2.status, r2.body.code]).toEqual([424, "AGENT_AUTH_REQUIRED"]);
  });
});
