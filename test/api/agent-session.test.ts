import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { openSse } from "../helpers/sse.js";
import { tempDir } from "../helpers/temp-dir.js";
import { SCRIPTED_AGENT } from "../node/helpers/build-once.js";

/**
 * Real agents' session paths through the REST API, played by the scripted agent: the presets' provider
 * keys point at it (`command`/`args`), and SCRIPTED_* variables make it offer modes, models, config
 * options and auth methods, require credentials, or fail its session.
 */

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let work: ReturnType<typeof tempDir>;
let safe: string;

/** A preset whose agent is the scripted one (the preset's mode, hints and env rules stay). */
const asScripted = { command: process.execPath, args: [SCRIPTED_AGENT] };

beforeEach(async () => {
  work = tempDir();
  safe = join(work.path, "projects");
  mkdirSync(safe, { recursive: true });
  h = await startHubWithRoot({
    safe_paths: [safe],
    agents: {
      providers: {
        claude: asScripted,
        codex: asScripted,
        gemini: { command: "agenthub-test-no-such-gemini" },
        scripted: {
          mcp_servers: [{ name: "from-provider", command: "provider-mcp", args: ["--x"], env: { P: "1" } }],
        },
      },
    },
  });
});
afterEach(async () => {
  await h.close();
  work.cleanup();
});

type Choice = { id: string; name: string };
type Session = {
  agent: { name: string } | null;
  auth_methods: Choice[];
  modes: { current: string | null; available: Choice[] } | null;
  models: { current: string | null; available: Choice[] } | null;
  config_options: { id: string; type: string; current: string | boolean; values: Choice[] }[];
};
type Agent = {
  id: string;
  status: string;
  last_error: string | null;
  session: Session | null;
  spec: Record<string, unknown>;
};
type Err = { error: string; code: string; details?: Record<string, unknown> };

const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api<T & Err>(h.url, method, path, { token: h.rootToken, body });

async function createAgent(body: Record<string, unknown>): Promise<string> {
  const r = await call<Agent>("POST", "/api/agents", { name: "a", workdir: safe, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** The agent's events as a live stream (opened before what is awaited happens, so nothing is missed). */
function events(id: string) {
  return openSse(`${h.url}/api/agents/${id}/events?token=${h.rootToken}`);
}

/** Queues a turn and returns its turn_ended data (and every reply chunk on the way). */
async function turn(id: string, text: string): Promise<Record<string, unknown>> {
  const sse = await events(id);
  try {
    const q = await call<{ turn_id: string }>("POST", `/api/agents/${id}/input`, { text });
    expect(q.status, JSON.stringify(q.body)).toBe(202);
    const ended = await sse.next(
      (e) => e.data.kind === "turn_ended" && e.data.data.turn_id === q.body.turn_id,
    );
    return ended.data.data;
  } finally {
    await sse.close();
  }
}

describe("agent session settings", () => {
  it("applies mode, model and config options after session/new and shows what is offered and in force", async () => {
    const id = await createAgent({
      provider: "scripted",
      env: {
        SCRIPTED_MODES: "ask,code,plan",
        SCRIPTED_MODELS: "small,large",
        SCRIPTED_CONFIG_OPTIONS: "effort/thought_level:low,high;fast:bool",
        SCRIPTED_AUTH_METHODS: "api-key,login",
      },
      mode: "code",
      model: "large",
      config_options: { effort: "high", fast: true },
    });
    const started = await call<Agent>("POST", `/api/agents/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    // The start's answer already shows the session as configured.
    const s = started.body.session!;
    expect(s.agent?.name).toBe("agenthub-scripted");
    expect(s.auth_methods.map((m) => m.id)).toEqual(["api-key", "login"]);
    expect(s.modes).toEqual({
      current: "code",
      available: ["ask", "code", "plan"].map((x) => ({ id: x, name: x })),
    });
    expect(s.models?.current).toBe("large");
    expect(s.models?.available.map((m) => m.id)).toEqual(["small", "large"]);
    expect(s.config_options.map((o) => [o.id, o.type, o.current])).toEqual([
      ["effort", "select", "high"],
      ["fast", "boolean", true],
    ]);
    expect(started.body.spec).toMatchObject({
      mode: "code",
      model: "large",
      config_options: { effort: "high", fast: true },
    });

    // The agent itself is in that state (it was told, not just recorded).
    const state = await turn(id, "session-state");
    expect(JSON.parse(String(state.reply))).toMatchObject({
      mode: "code",
      model: "large",
      config: { effort: "high", fast: true },
    });

    // A mode the agent switches to itself (current_mode_update) keeps `current` right.
    const sse = await events(id);
    try {
      const switched = await turn(id, "set-mode plan");
      expect(switched.reply).toBe("mode is now plan");
      await sse.next(
        (e) => e.data.kind === "session_config" && JSON.stringify(e.data.data).includes('"current":"plan"'),
      );
    } finally {
      await sse.close();
    }
    const after = await call<Agent>("GET", `/api/agents/${id}`);
    expect(after.body.session?.modes?.current).toBe("plan");
  });

  it("refuses a value the agent does not offer, naming the offered ones; nothing keeps running", async () => {
    const id = await createAgent({
      provider: "scripted",
      env: { SCRIPTED_MODES: "ask,code", SCRIPTED_CONFIG_OPTIONS: "effort:low,high" },
      mode: "yolo",
    });
    const r = await call("POST", `/api/agents/${id}/start`);
    expect([r.status, r.body.code]).toEqual([422, "AGENT_CONFIG_INVALID"]);
    expect(r.body.error).toBe('agent "scripted" does not offer mode "yolo"; offered: ask, code');
    const a = await call<Agent>("GET", `/api/agents/${id}`);
    expect(a.body.status).toBe("failed");
    expect(a.body.last_error).toBe(r.body.error);

    const opt = await createAgent({
      provider: "scripted",
      env: { SCRIPTED_CONFIG_OPTIONS: "effort:low,high" },
      config_options: { effort: "max" },
    });
    const r2 = await call("POST", `/api/agents/${opt}/start`);
    expect([r2.status, r2.body.error]).toEqual([
      422,
      'agent "scripted" does not offer config option "effort" value "max"; offered: low, high',
    ]);
  });

  it("a preset's default mode is applied: codex asks before it acts (read-only), claude prompts (default)", async () => {
    const codex = await createAgent({
      provider: "codex",
      env: { SCRIPTED_MODES: "agent,read-only,agent-full-access" },
    });
    const c = await call<Agent>("POST", `/api/agents/${codex}/start`);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body.session?.modes?.current).toBe("read-only");
    // A member's own mode wins over the preset's.
    const claude = await createAgent({
      provider: "claude",
      env: { SCRIPTED_MODES: "acceptEdits,default,plan" },
      mode: "plan",
    });
    expect((await call<Agent>("POST", `/api/agents/${claude}/start`)).body.session?.modes?.current).toBe(
      "plan",
    );
    // A preset's mode an agent does not offer is refused like any other.
    const bare = await createAgent({ provider: "claude" });
    const r = await call("POST", `/api/agents/${bare}/start`);
    expect([r.status, r.body.error]).toEqual([
      422,
      'agent "claude" does not offer mode "default"; offered: (none)',
    ]);
  });

  it("passes the provider's and the agent's MCP servers in session/new; their env values are write-only", async () => {
    const id = await createAgent({
      provider: "scripted",
      mcp_servers: [
        { name: "mine", command: "/usr/local/bin/mine-mcp", args: ["serve"], env: { TOKEN: "secret" } },
      ],
    });
    const started = await call<Agent>("POST", `/api/agents/${id}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.spec.mcp_servers).toEqual([
      { name: "mine", command: "/usr/local/bin/mine-mcp", args: ["serve"], env: { TOKEN: "(set)" } },
    ]);
    const state = JSON.parse(String((await turn(id, "session-state")).reply)) as { mcp_servers: unknown };
    expect(state.mcp_servers).toEqual([
      { name: "from-provider", command: "provider-mcp", args: ["--x"], env: ["P"] },
      { name: "mine", command: "/usr/local/bin/mine-mcp", args: ["serve"], env: ["TOKEN"] },
    ]);
  });
});

describe("agent start errors", () => {
  it("credentials missing at session/new: AGENT_AUTH_REQUIRED naming the preset's variables; set, it starts", async () => {
    const id = await createAgent({
      provider: "claude",
      env: {
        SCRIPTED_REQUIRE_AUTH: "session",
        SCRIPTED_AUTH_METHODS: "claude-login",
        SCRIPTED_MODES: "default",
      },
    });
    const r = await call("POST", `/api/agents/${id}/start`);
    expect([r.status, r.body.code]).toEqual([424, "AGENT_AUTH_REQUIRED"]);
    expect(r.body.error).toMatch(/^agent "claude" needs credentials: set ANTHROPIC_API_KEY/);
    expect(r.body.error).toContain("(the agent offers: claude-login)");
    expect(r.body.details).toMatchObject({ provider: "claude", auth_methods: ["claude-login"] });
    expect((await call<Agent>("GET", `/api/agents/${id}`)).body.status).toBe("failed");
    // What the agent offered before it refused is shown: how it could be authenticated.
    const sse = await events(id);
    try {
      await sse.next((e) => e.data.kind === "session_config");
    } finally {
      await sse.close();
    }
    const shown = (await call<Agent>("GET", `/api/agents/${id}`)).body.session;
    expect(shown?.auth_methods).toEqual([{ id: "claude-login", name: "claude-login" }]);
    expect(shown?.modes).toBeNull();

    const ok = await createAgent({
      provider: "claude",
      env: { SCRIPTED_REQUIRE_AUTH: "session", SCRIPTED_API_KEY: "k", SCRIPTED_MODES: "default" },
    });
    expect((await call("POST", `/api/agents/${ok}/start`)).status).toBe(200);
  });

  it("credentials missing at the first turn: the turn ends AGENT_AUTH_REQUIRED and the agent shows why", async () => {
    const id = await createAgent({
      provider: "codex",
      env: { SCRIPTED_REQUIRE_AUTH: "prompt", SCRIPTED_MODES: "read-only" },
    });
    expect((await call("POST", `/api/agents/${id}/start`)).status).toBe(200);
    const ended = await turn(id, "reply: hi");
    expect(ended).toMatchObject({ stop_reason: "auth_required", error_code: "AGENT_AUTH_REQUIRED" });
    expect(String(ended.error)).toMatch(
      /^agent "codex" needs credentials: set OPENAI_API_KEY or CODEX_API_KEY/,
    );
    expect((await call<Agent>("GET", `/api/agents/${id}`)).body.last_error).toBe(ended.error);
  });

  it("another JSON-RPC error at start is AGENT_START_FAILED with the agent's own words, trimmed", async () => {
    const id = await createAgent({
      provider: "scripted",
      env: { SCRIPTED_SESSION_ERROR: "model quota exhausted" },
    });
    const r = await call("POST", `/api/agents/${id}/start`);
    expect([r.status, r.body.code, r.body.error]).toEqual([
      502,
      "AGENT_START_FAILED",
      'agent "scripted" could not start: Internal error: model quota exhausted',
    ]);
  });

  it("a preset whose binary is missing names provider, command and how to install it", async () => {
    const id = await createAgent({ provider: "gemini" });
    const r = await call("POST", `/api/agents/${id}/start`);
    expect([r.status, r.body.code]).toEqual([424, "AGENT_COMMAND_NOT_FOUND"]);
    expect(r.body.error).toBe(
      'agent "gemini" cannot start: command "agenthub-test-no-such-gemini" not found; install it on the node with `npm install -g @google/gemini-cli`, or set [agents.providers.gemini] command',
    );
  });
});

describe("POST /api/agents/:id/cancel", () => {
  it("cancels the running turn; 409 when none runs or the agent is not running", async () => {
    const id = await createAgent({ provider: "scripted" });
    const notStarted = await call("POST", `/api/agents/${id}/cancel`);
    expect([notStarted.status, notStarted.body.code]).toEqual([409, "NO_RUNNING_TURN"]);
    expect((await call("POST", `/api/agents/${id}/start`)).status).toBe(200);
    const idle = await call("POST", `/api/agents/${id}/cancel`);
    expect([idle.status, idle.body.code, idle.body.error]).toEqual([
      409,
      "NO_RUNNING_TURN",
      "agent has no running turn",
    ]);

    const sse = await events(id);
    try {
      const q = await call<{ turn_id: string }>("POST", `/api/agents/${id}/input`, { text: "sleep 30000" });
      await sse.next((e) => e.data.kind === "turn_started" && e.data.data.turn_id === q.body.turn_id);
      const c = await call("POST", `/api/agents/${id}/cancel`);
      expect([c.status, c.body]).toEqual([202, { agent_id: id, turn_id: null, cancelled: true }]);
      const ended = await sse.next(
        (e) => e.data.kind === "turn_ended" && e.data.data.turn_id === q.body.turn_id,
      );
      expect(ended.data.data.stop_reason).toBe("cancelled");
    } finally {
      await sse.close();
    }
    // The agent runs on and takes the next turn.
    expect((await turn(id, "reply: still here")).reply).toBe("still here");
  });
});
