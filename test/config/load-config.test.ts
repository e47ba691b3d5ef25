import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { ENV_KEYS, envName } from "../../src/config/env-overrides.js";
import { loadConfig } from "../../src/config/load-config.js";
import { tempDir } from "../helpers/temp-dir.js";

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

function load(toml: string | null, env: Record<string, string> = {}) {
  dir = tempDir();
  if (toml !== null) writeFileSync(join(dir.path, "config.toml"), toml);
  return loadConfig({ env: { HOME: dir.path, AGENTHUB_HOME: dir.path, ...env } });
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("fills every default with no file and freezes the result", () => {
    const c = load(null);
    expect(c.server.listen).toBe("127.0.0.1:8080");
    expect(c.logging).toEqual({ level: "info", format: "json" });
    expect(c.safe_paths).toEqual([join(dir.path, "projects")]);
    expect(c.worktree.default_root).toBe(join(dir.path, "worktrees"));
    expect(c.internal_grpc.enabled).toBe(true);
    expect(c.internal_grpc.listen).toBe("127.0.0.1:50051");
    expect(c.internal_grpc.advertise_target).toBe("https://127.0.0.1:50051");
    expect(c.internal_grpc.tls_server_names).toEqual(["hub.internal"]);
    expect(c.internal_grpc.security).toEqual({ mode: "tls", cert_dir: join(dir.path, "internal-grpc") });
    expect(c.internal_grpc.auth.issuer).toBe("agenthub");
    expect(c.internal_grpc.auth.audience).toBe("agenthub-internal");
    expect(c.history).toEqual({
      event_retention_days: 5,
      delete_batch_size: 10_000,
      vacuum_on_cleanup: false,
    });
    expect(c.permissions.review_timeout_seconds).toBe(120);
    expect(c.node.id).toBe("node-01");
    expect(c.agents.providers).toEqual({});
    expect(c.home).toBe(dir.path);
    expect(c.config_path).toBeNull();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.internal_grpc.security)).toBe(true);
    expect(() => {
      (c.server as { listen: string }).listen = "x";
    }).toThrow();
  });

  it("reads every section from TOML", () => {
    const c = load(`
safe_paths = ["/srv/code"]
[server]
listen = "0.0.0.0:9000"
[logging]
level = "debug"
format = "pretty"
[worktree]
default_root = "/srv/wt"
retention_days = 0.5
[internal_grpc]
enabled = false
listen = "10.0.0.1:6000"
advertise_target = "https://hub:6000"
tls_server_names = ["a.example", "b.example"]
[internal_grpc.security]
mode = "mtls"
cert_dir = "/etc/agenthub/certs"
[internal_grpc.auth]
issuer = "me"
audience = "them"
[history]
event_retention_days = 9
delete_batch_size = 50
vacuum_on_cleanup = true
[permissions]
review_timeout_seconds = 7
[node]
id = "node-07"
[agents.providers.codex]
command = "npx"
args = ["@agentclientprotocol/codex-acp"]
`);
    expect(c.safe_paths).toEqual(["/srv/code"]);
    expect(c.server.listen).toBe("0.0.0.0:9000");
    expect(c.logging).toEqual({ level: "debug", format: "pretty" });
    expect(c.worktree).toEqual({ default_root: "/srv/wt", retention_days: 0.5 });
    expect(errorOf(() => load("[worktree]\nretention_days = -1\n"))).toContain("worktree.retention_days");
    expect(c.internal_grpc.enabled).toBe(false);
    expect(c.internal_grpc.tls_server_names).toEqual(["a.example", "b.example"]);
    expect(c.internal_grpc.security).toEqual({ mode: "mtls", cert_dir: "/etc/agenthub/certs" });
    expect(c.history.vacuum_on_cleanup).toBe(true);
    expect(c.permissions.review_timeout_seconds).toBe(7);
    expect(c.node.id).toBe("node-07");
    // Keys left out stay unset: the preset's value of each is used (node/provider-presets.ts).
    expect(c.agents.providers.codex).toEqual({
      command: "npx",
      args: ["@agentclientprotocol/codex-acp"],
    });
  });

  it("lets AGENTHUB_* variables override every documented key", () => {
    const samples: Record<string, string> = {
      string: "",
      int: "42",
      number: "3",
      bool: "true",
      list: "/a, /b",
    };
    for (const [path, kind] of ENV_KEYS) {
      let value = samples[kind]!;
      if (path.endsWith("listen")) value = "127.0.0.1:1234";
      else if (path === "logging.level") value = "warn";
      else if (path === "logging.format") value = "pretty";
      else if (path === "internal_grpc.security.mode") value = "mtls";
      else if (path === "agents.isolation") value = "none";
      else if (path === "agents.pass_env") value = "A_1, B_2";
      else if (path === "server.public_url") value = "https://hub.example.com";
      else if (path === "internal_grpc.auth.max_token_ttl_seconds")
        value = "100000"; // >= token_ttl_seconds
      else if (kind === "string") value = `/value-of-${path}`;
      const c = load('[server]\nlisten = "127.0.0.1:1"\n', { [envName(path)]: value }) as unknown as Record<
        string,
        unknown
      >;
      let got: unknown = c;
      for (const part of path.split(".")) got = (got as Record<string, unknown>)[part];
      const expected =
        kind === "int" || kind === "number"
          ? Number(value)
          : kind === "bool"
            ? true
            : kind === "list"
              ? path === "agents.pass_env"
                ? ["A_1", "B_2"]
                : ["/a", "/b"]
              : value;
      expect({ path, got }).toEqual({ path, got: expected });
      dir.cleanup();
    }
  });

  it("refuses the retired shared_secret, in the file or the environment, naming what replaced it", () => {
    const fromFile = errorOf(() => load('[internal_grpc.auth]\nshared_secret = "s3cret"\n'));
    expect(fromFile).toContain("internal_grpc.auth.shared_secret is no longer supported");
    expect(fromFile).toContain("token_signing.key");
    expect(fromFile).not.toContain("s3cret");
    const fromEnv = errorOf(() => load(null, { AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET: "s3cret" }));
    expect(fromEnv).toContain("unset AGENTHUB_INTERNAL_GRPC_AUTH_SHARED_SECRET");
    expect(fromEnv).not.toContain("s3cret");
  });

  it("refuses a token lifetime above the maximum and a pass_env entry that is not a name", () => {
    expect(
      errorOf(() => load("[internal_grpc.auth]\ntoken_ttl_seconds = 90000\nmax_token_ttl_seconds = 3600\n")),
    ).toContain(
      "internal_grpc.auth.token_ttl_seconds must not exceed internal_grpc.auth.max_token_ttl_seconds",
    );
    expect(errorOf(() => load('[agents]\npass_env = ["A=B"]\n'))).toContain("agents.pass_env.0");
    expect(errorOf(() => load('[agents]\nisolation = "docker"\n'))).toContain(
      "agents.isolation must be one of: auto, bwrap, none",
    );
  });

  it("names line and column of a TOML syntax error", () => {
    const msg = errorOf(() => load('[server]\nlisten = "127.0.0.1:80\n'));
    expect(msg).toMatch(/config\.toml:2:\d+: TOML syntax error/);
  });

  it("rejects an unknown key with its path", () => {
    expect(errorOf(() => load("[server]\nlisten_port = 80\n"))).toContain(
      'unknown config key "server.listen_port"',
    );
    expect(errorOf(() => load("colour = 1\n"))).toContain('unknown config key "colour"');
  });

  it("names the path of a wrong type or a malformed value", () => {
    expect(errorOf(() => load('[server]\nlisten = "8080"\n'))).toContain('server.listen must be "host:port"');
    expect(errorOf(() => load("[server]\nlisten = 8080\n"))).toContain("server.listen must be a string");
    expect(errorOf(() => load('[logging]\nlevel = "loud"\n'))).toContain("logging.level must be one of:");
    expect(errorOf(() => load('[history]\nvacuum_on_cleanup = "yes"\n'))).toContain(
      "history.vacuum_on_cleanup must be a boolean",
    );
    expect(errorOf(() => load(null, { AGENTHUB_PERMISSIONS_REVIEW_TIMEOUT_SECONDS: "soon" }))).toContain(
      "AGENTHUB_PERMISSIONS_REVIEW_TIMEOUT_SECONDS must be an integer",
    );
  });

  it("takes a preset's section with any of its keys; another provider needs a command", () => {
    const c = load(
      '[agents.providers.claude]\nmode = "plan"\npass_env = ["ANTHROPIC_API_KEY"]\n' +
        '[[agents.providers.claude.mcp_servers]]\nname = "docs"\ncommand = "docs-mcp"\n',
    );
    expect(c.agents.providers.claude).toEqual({
      mode: "plan",
      pass_env: ["ANTHROPIC_API_KEY"],
      mcp_servers: [{ name: "docs", command: "docs-mcp", args: [], env: {} }],
    });
    // An empty mode keeps the agent's own (the preset's is not set).
    expect(load('[agents.providers.codex]\nmode = ""\n').agents.providers.codex).toEqual({ mode: "" });
    expect(errorOf(() => load('[agents.providers.mine]\nmode = "x"\n'))).toContain(
      "agents.providers.mine.command is required (only the presets scripted, claude, codex, gemini have a default command)",
    );
    expect(errorOf(() => load('[agents.providers.codex]\npass_env = ["NOT-A-NAME"]\n'))).toContain(
      "agents.providers.codex.pass_env.0 must be a variable name",
    );
  });

  it("fails clearly when an explicit --config file is missing", () => {
    dir = tempDir();
    expect(
      errorOf(() => loadConfig({ path: join(dir.path, "nope.toml"), env: { HOME: dir.path } })),
    ).toContain("config file not found");
  });
});
