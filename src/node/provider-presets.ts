import type { SessionSettings } from "../domain/agent.js";

/**
 * The agents agenthub knows out of the box. Each preset is a command found on the node's PATH (the
 * agent's package installed globally, never downloaded at start), the daemon variables its agents
 * get (their credentials), and a session mode in which the agent asks before it edits files or runs
 * commands, so its permission requests reach agenthub's reviews. `[agents.providers.NAME]` overrides
 * any of these key by key. Team members of a preset get agenthub's actor commands as the `agenthub`
 * MCP server (`actor_mcp`, default on for presets, off for `scripted` and providers of one's own).
 * What each agent does is measured in test/real-agents/FINDINGS.md.
 *
 * - claude: `claude-agent-acp` from `@agentclientprotocol/claude-agent-acp`; mode `default` (Claude
 *   Code's "always ask"; its own default, `auto`, edits without asking). A gateway or proxy:
 *   `ANTHROPIC_BASE_URL`.
 * - codex: `codex-acp` from `@agentclientprotocol/codex-acp`; mode `read-only` (asks before every edit
 *   and command; in its default, `agent`, Codex's own reviewer decides and agenthub is never asked).
 *   With an API key in its environment it gets `DEFAULT_AUTH_REQUEST={"methodId":"api-key"}`, without
 *   which codex-acp refuses session/new even when the key is set, and `NO_BROWSER=1` (no browser
 *   login on a server). Codex ignores `OPENAI_BASE_URL`: a gateway is a custom model provider in
 *   `CODEX_CONFIG` (codex-acp's JSON config override) or in `config.toml` under `CODEX_HOME`, both
 *   passed on from the daemon when set.
 * - gemini: `gemini --acp` from `@google/gemini-cli`; mode `default` ("prompts for approval"). With
 *   `GEMINI_API_KEY` set it gets `GEMINI_DEFAULT_AUTH_TYPE=gemini-api-key`. A gateway:
 *   `GOOGLE_GEMINI_BASE_URL` (no key needed then); `GEMINI_MODEL` picks the model. It gets
 *   `GEMINI_CLI_TRUST_WORKSPACE=true`: in a folder it does not trust, Gemini connects no MCP server
 *   at all (not agenthub's either) and refuses the modes autoEdit and yolo; the workdir is one
 *   agenthub's workdir policy allowed. Setting it to "false" (and `actor_mcp = false`) keeps Gemini's
 *   untrusted-folder rules, which also skip the repository's own `.gemini` settings and hooks.
 *
 * Agents choose permission options by their ACP kind, never by position: Gemini lists
 * `allow_always` first.
 */

/** A provider as `[agents.providers.NAME]` gives it: every key optional for a preset. */
export interface ProviderConfig {
  command?: string | undefined;
  args?: readonly string[] | undefined;
  env?: Readonly<Record<string, string>> | undefined;
  pass_env?: readonly string[] | undefined;
  /** An empty string leaves the agent's own default (no session/set_mode). */
  mode?: string | undefined;
  model?: string | undefined;
  mcp_servers?: readonly McpServerConfig[] | undefined;
  /** Team members get the `agenthub` actor MCP server (default: true for the presets, else false). */
  actor_mcp?: boolean | undefined;
}

/** An MCP server as config gives it (frozen). */
export interface McpServerConfig {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** A provider ready to launch. */
export interface ResolvedProvider {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Daemon variables its agents get, when set (credentials, gateway URLs). */
  pass_env: string[];
  settings: SessionSettings;
  /** Team members' sessions get the `agenthub` actor MCP server. */
  actor_mcp: boolean;
  /** What to set when the agent asks for credentials. */
  auth_hint: string;
  /** How to get the command when it is missing. */
  install_hint: string;
  /** Variables derived from the agent's final environment (added only when absent). */
  derive_env: (env: Readonly<Record<string, string>>) => Record<string, string>;
}

interface Preset {
  command: string;
  args: string[];
  env: Record<string, string>;
  pass_env: string[];
  mode?: string;
  /** The variables that hold its credentials, named in the auth hint. */
  credentials: string;
  package: string;
  derive_env: (env: Readonly<Record<string, string>>) => Record<string, string>;
}

const none = (): Record<string, string> => ({});

export const PRESETS: Readonly<Record<"claude" | "codex" | "gemini", Preset>> = {
  claude: {
    command: "claude-agent-acp",
    args: [],
    env: {},
    pass_env: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"],
    mode: "default",
    credentials: "ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a gateway or proxy)",
    package: "@agentclientprotocol/claude-agent-acp",
    derive_env: none,
  },
  codex: {
    command: "codex-acp",
    args: [],
    env: { NO_BROWSER: "1" },
    pass_env: ["OPENAI_API_KEY", "CODEX_API_KEY", "CODEX_CONFIG", "CODEX_HOME"],
    mode: "read-only",
    credentials:
      "OPENAI_API_KEY or CODEX_API_KEY (for a gateway or proxy, a custom model provider in CODEX_CONFIG or $CODEX_HOME/config.toml: codex ignores OPENAI_BASE_URL)",
    package: "@agentclientprotocol/codex-acp",
    derive_env: (env): Record<string, string> =>
      env.OPENAI_API_KEY || env.CODEX_API_KEY ? { DEFAULT_AUTH_REQUEST: '{"methodId":"api-key"}' } : {},
  },
  gemini: {
    command: "gemini",
    args: ["--acp"],
    // The workdir is one agenthub's policy allowed (safe_paths, a worktree): trusted, Gemini connects
    // MCP servers (agenthub's actor tools among them) and offers autoEdit/yolo; untrusted, it drops them.
    env: { GEMINI_CLI_TRUST_WORKSPACE: "true" },
    pass_env: ["GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL", "GEMINI_MODEL"],
    mode: "default",
    credentials: "GEMINI_API_KEY (and GOOGLE_GEMINI_BASE_URL for a gateway or proxy)",
    package: "@google/gemini-cli",
    derive_env: (env): Record<string, string> =>
      env.GEMINI_API_KEY ? { GEMINI_DEFAULT_AUTH_TYPE: "gemini-api-key" } : {},
  },
};

const where = (name: string) =>
  `in the node daemon's environment (passed on: pass_env), [agents.providers.${name}] env, or the agent's env`;

function isPreset(name: string): name is keyof typeof PRESETS {
  return Object.hasOwn(PRESETS, name);
}

/**
 * The provider `name`: a preset with the configured keys laid over it, or a configured provider of
 * its own; undefined when neither exists. `scripted` is resolved by the runtime (its path is local).
 */
export function resolveProvider(
  name: string,
  configured: ProviderConfig | undefined,
): ResolvedProvider | undefined {
  const preset = isPreset(name) ? PRESETS[name] : undefined;
  const command = configured?.command ?? preset?.command;
  if (command === undefined) return undefined;
  const mode = configured?.mode ?? preset?.mode;
  const model = configured?.model;
  const mcp = configured?.mcp_servers;
  return {
    name,
    command,
    args: [...(configured?.args ?? preset?.args ?? [])],
    env: { ...(preset?.env ?? {}), ...(configured?.env ?? {}) },
    pass_env: [...(configured?.pass_env ?? preset?.pass_env ?? [])],
    settings: {
      ...(mode ? { mode } : {}),
      ...(model ? { model } : {}),
      ...(mcp && mcp.length > 0
        ? {
            mcp_servers: mcp.map((s) => ({
              name: s.name,
              command: s.command,
              args: [...s.args],
              env: { ...s.env },
            })),
          }
        : {}),
    },
    actor_mcp: configured?.actor_mcp ?? preset !== undefined,
    auth_hint: preset
      ? `set ${preset.credentials} ${where(name)}`
      : `set the credentials it needs ${where(name)}`,
    install_hint: preset
      ? `install it on the node with \`npm install -g ${preset.package}\`, or set [agents.providers.${name}] command`
      : `check [agents.providers.${name}] command on the node`,
    derive_env: preset?.derive_env ?? none,
  };
}

/** Every provider name a node with `configured` providers knows (presets first). */
export function providerNames(configured: Readonly<Record<string, unknown>>): string[] {
  return [...new Set(["scripted", ...Object.keys(PRESETS), ...Object.keys(configured)])];
}
