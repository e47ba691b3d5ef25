import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MockModelServer } from "./mock-models/index.js";
import { type RealAgentProvider, realAgentPackages, realAgentsDir } from "./pinned.mjs";

/** How to start one real agent against a mock model: command, args, env, and its private HOME. */
export interface RealAgentEnv {
  provider: RealAgentProvider;
  /** Absolute path of the agent's executable in the cache folder (a node script; node must be on PATH). */
  command: string;
  args: string[];
  /** The agent's whole environment (nothing inherited but PATH and locale). */
  env: Record<string, string>;
  /** A temp HOME holding the agent's config and state; removed by cleanup(). */
  home: string;
  /** The pinned package version. */
  version: string;
  cleanup: () => void;
}

export interface RealAgentEnvOptions {
  /** Give the agent its API key (default true). false: the env a user who set nothing has. */
  credentials?: boolean;
  /** Extra variables, applied last. */
  env?: Record<string, string>;
}

/** The model codex is told to use; one of its built-in catalog, so it has model metadata. */
export const CODEX_MOCK_MODEL = "gpt-5.5";
/** Gemini's model, set so that the "auto" router (extra classifier requests) is not used. */
export const GEMINI_MOCK_MODEL = "gemini-2.5-pro";

const BIN: Record<RealAgentProvider, { bin: string; args: string[] }> = {
  claude: { bin: "claude-agent-acp", args: [] },
  codex: { bin: "codex-acp", args: [] },
  gemini: { bin: "gemini", args: ["--acp"] },
};

/** The cached agent's executable; throws naming the install command when it is missing. */
export function realAgentCommand(provider: RealAgentProvider): string {
  const command = join(realAgentsDir(), "node_modules", ".bin", BIN[provider].bin);
  if (!existsSync(join(realAgentsDir(), ".installed")) || !existsSync(command))
    throw new Error(
      `the real ${provider} agent is not installed in ${realAgentsDir()}: run \`npm run test:agents\` ` +
        "(or `node scripts/install-real-agents.mjs`) first",
    );
  return command;
}

/**
 * Prepares a private HOME and the env for `provider`'s real agent to talk to `mock` (its base URL,
 * a fake API key unless `credentials: false`), offline: telemetry, update checks and error
 * reporting off. Reusable by any test that starts real agents (directly or through agenthub).
 */
export function startRealAgentEnv(
  provider: RealAgentProvider,
  mock: MockModelServer | undefined,
  opts: RealAgentEnvOptions = {},
): RealAgentEnv {
  const command = realAgentCommand(provider);
  const credentials = opts.credentials ?? true;
  const home = mkdtempSync(join(tmpdir(), `agenthub-real-${provider}-`));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    LANG: "C.UTF-8",
  };
  if (provider === "claude") Object.assign(env, claudeEnv(home, mock, credentials));
  if (provider === "codex") Object.assign(env, codexEnv(home, mock, credentials));
  if (provider === "gemini") Object.assign(env, geminiEnv(home, mock, credentials));
  const version = realAgentPackages.find((p) => p.provider === provider)?.version ?? "?";
  return {
    provider,
    command,
    args: [...BIN[provider].args],
    env: { ...env, ...opts.env },
    home,
    version,
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

function claudeEnv(
  home: string,
  mock: MockModelServer | undefined,
  credentials: boolean,
): Record<string, string> {
  const configDir = join(home, ".claude");
  mkdirSync(configDir, { recursive: true });
  return {
    CLAUDE_CONFIG_DIR: configDir,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    ...(mock ? { ANTHROPIC_BASE_URL: mock.url } : {}),
    ...(credentials ? { ANTHROPIC_API_KEY: "sk-ant-mock-key" } : {}),
  };
}

function codexEnv(
  home: string,
  mock: MockModelServer | undefined,
  credentials: boolean,
): Record<string, string> {
  const codexHome = join(home, ".codex");
  mkdirSync(codexHome, { recursive: true });
  // A custom model provider (not "openai") pointing at the mock: codex-acp then needs no login, and
  // OPENAI_BASE_URL is not what codex reads for it. CODEX_CONFIG is codex-acp's JSON config override.
  const config = {
    model: CODEX_MOCK_MODEL,
    check_for_update_on_startup: false,
    analytics: { enabled: false },
    ...(mock
      ? {
          model_provider: "mock",
          model_providers: {
            mock: {
              name: "Mock OpenAI",
              base_url: `${mock.url}/v1`,
              env_key: "OPENAI_API_KEY",
              wire_api: "responses",
              supports_websockets: false,
              request_max_retries: 0,
              stream_max_retries: 0,
            },
          },
        }
      : {}),
  };
  return {
    CODEX_HOME: codexHome,
    CODEX_CONFIG: JSON.stringify(config),
    ...(credentials ? { OPENAI_API_KEY: "sk-mock-key" } : {}),
  };
}

function geminiEnv(
  home: string,
  mock: MockModelServer | undefined,
  credentials: boolean,
): Record<string, string> {
  const settingsDir = join(home, ".gemini");
  mkdirSync(settingsDir, { recursive: true });
  const settings = {
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
  };
  writeFileSync(join(settingsDir, "settings.json"), `${JSON.stringify(settings, null, 2)}\n`);
  return {
    GEMINI_MODEL: GEMINI_MOCK_MODEL,
    GEMINI_TELEMETRY_ENABLED: "false",
    // Gemini CLI re-spawns itself with a larger heap unless told not to: one Node start instead of two.
    GEMINI_CLI_NO_RELAUNCH: "true",
    ...(mock ? { GOOGLE_GEMINI_BASE_URL: mock.url } : {}),
    ...(credentials ? { GEMINI_API_KEY: "gemini-mock-key" } : {}),
  };
}
