import * as acp from "@agentclientprotocol/sdk";
import { describe, expect, it } from "vitest";
import { actorMcpServer, withMcpServer } from "../../src/node/actor-mcp-server.js";
import { pickDaemonEnv } from "../../src/node/agent-env.js";
import { cleanAgentMessage, isAuthRequired, startError } from "../../src/node/agent-errors.js";
import { providerNames, resolveProvider } from "../../src/node/provider-presets.js";

describe("provider presets", () => {
  it("claude, codex and gemini work without any config: their command, args, credentials and asking mode", () => {
    const claude = resolveProvider("claude", undefined)!;
    expect([claude.command, claude.args, claude.settings]).toEqual([
      "claude-agent-acp",
      [],
      { mode: "default" },
    ]);
    expect(claude.pass_env).toEqual(["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"]);
    expect(claude.auth_hint).toContain("ANTHROPIC_API_KEY");
    expect(claude.install_hint).toContain("npm install -g @agentclientprotocol/claude-agent-acp");

    const codex = resolveProvider("codex", undefined)!;
    expect([codex.command, codex.args, codex.settings]).toEqual(["codex-acp", [], { mode: "read-only" }]);
    expect(codex.env).toEqual({ NO_BROWSER: "1" });
    expect(codex.auth_hint).toContain("OPENAI_API_KEY");

    const gemini = resolveProvider("gemini", undefined)!;
    expect([gemini.command, gemini.args, gemini.settings]).toEqual([
      "gemini",
      ["--acp"],
      { mode: "default" },
    ]);
    expect(gemini.install_hint).toContain("@google/gemini-cli");
    // Untrusted, Gemini connects no MCP server and refuses autoEdit/yolo (test/real-agents/FINDINGS.md).
    expect(gemini.env).toEqual({ GEMINI_CLI_TRUST_WORKSPACE: "true" });

    expect(resolveProvider("nope", undefined)).toBeUndefined();
    expect(providerNames({ mine: {} })).toEqual(["scripted", "claude", "codex", "gemini", "mine"]);
  });

  it("[agents.providers.NAME] overrides a preset key by key; env merges; an empty mode leaves the agent's own", () => {
    const p = resolveProvider("codex", {
      command: "npx",
      args: ["-y", "@agentclientprotocol/codex-acp"],
      env: { RUST_LOG: "warn" },
      model: "gpt-5",
      mcp_servers: [{ name: "tools", command: "tools-mcp", args: [], env: { K: "v" } }],
    })!;
    expect(p.command).toBe("npx");
    expect(p.args).toEqual(["-y", "@agentclientprotocol/codex-acp"]);
    expect(p.env).toEqual({ NO_BROWSER: "1", RUST_LOG: "warn" });
    expect(p.pass_env).toContain("OPENAI_API_KEY");
    expect(p.settings).toEqual({
      mode: "read-only",
      model: "gpt-5",
      mcp_servers: [{ name: "tools", command: "tools-mcp", args: [], env: { K: "v" } }],
    });
    expect(resolveProvider("claude", { mode: "" })!.settings).toEqual({});
    expect(resolveProvider("gemini", { command: "/opt/gemini" })!.args).toEqual(["--acp"]);
    // A provider of one's own needs its command; it has no credentials of its own to pass on.
    const own = resolveProvider("mine", { command: "my-agent" })!;
    expect([own.command, own.args, own.pass_env, own.settings]).toEqual(["my-agent", [], [], {}]);
    expect(own.auth_hint).toContain("[agents.providers.mine] env");
  });

  it("codex gets the api-key auth request only when a key is there; gemini its auth type", () => {
    const codex = resolveProvider("codex", undefined)!;
    expect(codex.derive_env({})).toEqual({});
    expect(codex.derive_env({ OPENAI_API_KEY: "k" })).toEqual({
      DEFAULT_AUTH_REQUEST: '{"methodId":"api-key"}',
    });
    expect(codex.derive_env({ CODEX_API_KEY: "k" })).toEqual({
      DEFAULT_AUTH_REQUEST: '{"methodId":"api-key"}',
    });
    const gemini = resolveProvider("gemini", undefined)!;
    expect(gemini.derive_env({ GEMINI_API_KEY: "k" })).toEqual({
      GEMINI_DEFAULT_AUTH_TYPE: "gemini-api-key",
    });
    expect(gemini.derive_env({})).toEqual({});
  });

  it("codex passes on CODEX_CONFIG and CODEX_HOME (its gateway settings), not OPENAI_BASE_URL it ignores", () => {
    const codex = resolveProvider("codex", undefined)!;
    expect(codex.pass_env).toEqual(["OPENAI_API_KEY", "CODEX_API_KEY", "CODEX_CONFIG", "CODEX_HOME"]);
    expect(codex.auth_hint).toContain("CODEX_CONFIG");
    expect(codex.auth_hint).toContain("codex ignores OPENAI_BASE_URL");
  });

  it("team members of the presets get the actor MCP server; scripted and own providers only when configured", () => {
    for (const name of ["claude", "codex", "gemini"]) {
      expect(resolveProvider(name, undefined)!.actor_mcp, name).toBe(true);
      expect(resolveProvider(name, { actor_mcp: false })!.actor_mcp, name).toBe(false);
    }
    expect(resolveProvider("scripted", { command: "node" })!.actor_mcp).toBe(false);
    expect(resolveProvider("scripted", { command: "node", actor_mcp: true })!.actor_mcp).toBe(true);
    expect(resolveProvider("mine", { command: "my-agent" })!.actor_mcp).toBe(false);
  });

  it("the actor MCP server runs this node's agenthub with the member's actor variables only", () => {
    const server = actorMcpServer(
      {
        PATH: "/usr/bin",
        OPENAI_API_KEY: "secret",
        AGENTHUB_BIN: "/opt/agenthub/bin/agenthub.js",
        AGENTHUB_INTERNAL_GRPC_TARGET: "https://127.0.0.1:50051",
        AGENTHUB_INTERNAL_GRPC_TOKEN: "t0",
        AGENTHUB_INTERNAL_GRPC_TOKEN_FILE: "/data/actor-credentials/a1/token",
        AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: "ca",
        AGENTHUB_ACTOR_ID: "lead",
        AGENTHUB_TEAM_ID: "team_1",
        AGENTHUB_RUN_ID: "run_1",
      },
      "/usr/bin/node",
      "/opt/agenthub/bin/agenthub.js",
    );
    expect(server).toEqual({
      name: "agenthub",
      command: "/usr/bin/node",
      args: ["/opt/agenthub/bin/agenthub.js", "actor", "mcp"],
      env: {
        AGENTHUB_INTERNAL_GRPC_TARGET: "https://127.0.0.1:50051",
        AGENTHUB_INTERNAL_GRPC_TOKEN: "t0",
        AGENTHUB_INTERNAL_GRPC_TOKEN_FILE: "/data/actor-credentials/a1/token",
        AGENTHUB_INTERNAL_GRPC_CA_CERT_PEM: "ca",
        AGENTHUB_ACTOR_ID: "lead",
        AGENTHUB_TEAM_ID: "team_1",
        AGENTHUB_RUN_ID: "run_1",
      },
    });
    const own = { name: "tools", command: "t", args: [], env: {} };
    expect(withMcpServer({ mode: "default", mcp_servers: [own] }, server)).toEqual({
      mode: "default",
      mcp_servers: [server, own],
    });
    // A member's own server of that name wins.
    const mine = { ...own, name: "agenthub" };
    expect(withMcpServer({ mcp_servers: [mine] }, server)).toEqual({ mcp_servers: [mine] });
  });

  it("passes on only the named daemon variables that are set, never AGENTHUB_*", () => {
    expect(
      pickDaemonEnv({ OPENAI_API_KEY: "k", HOME: "/h", AGENTHUB_HOME: "/secret" }, [
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "AGENTHUB_HOME",
      ]),
    ).toEqual({ OPENAI_API_KEY: "k" });
  });
});

describe("agent errors", () => {
  const ctx = {
    provider: "gemini",
    authHint: "set GEMINI_API_KEY",
    authMethods: [{ id: "gemini-api-key", name: "Key" }],
  };

  it("auth_required (-32000), or an error saying so, is AGENT_AUTH_REQUIRED with the hint and the offered methods", () => {
    expect(isAuthRequired(acp.RequestError.authRequired())).toBe(true);
    expect(isAuthRequired(new acp.RequestError(-32603, "Internal error: Authentication required."))).toBe(
      true,
    );
    expect(isAuthRequired(acp.RequestError.internalError(undefined, "boom"))).toBe(false);
    const e = startError(ctx, acp.RequestError.authRequired());
    expect([e.code, e.status, e.message]).toEqual([
      "AGENT_AUTH_REQUIRED",
      424,
      'agent "gemini" needs credentials: set GEMINI_API_KEY (the agent offers: gemini-api-key)',
    ]);
    expect(e.details).toMatchObject({ auth_methods: ["gemini-api-key"] });
  });

  it("any other JSON-RPC error at start is AGENT_START_FAILED with the agent's message, without stderr junk", () => {
    const e = startError(ctx, new acp.RequestError(-32603, "Internal error: quota exceeded\n  {\n})\n"));
    expect([e.code, e.status, e.message]).toEqual([
      "AGENT_START_FAILED",
      502,
      'agent "gemini" could not start: Internal error: quota exceeded',
    ]);
    // The reason an agent gives in the error's data is kept (Gemini's "Internal error" says why there).
    const gemini = startError(
      ctx,
      new acp.RequestError(-32603, "Internal error", {
        details: "Cannot enable privileged approval modes in an untrusted folder.",
      }),
    );
    expect(gemini.message).toBe(
      'agent "gemini" could not start: Internal error: Cannot enable privileged approval modes in an untrusted folder.',
    );
    expect(cleanAgentMessage("one line")).toBe("one line");
    expect(cleanAgentMessage("x".repeat(3000))).toHaveLength(2001);
  });
});
