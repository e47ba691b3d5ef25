import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";
import type { Config } from "../../config/config-schema.js";
import { providerNames, resolveProvider } from "../../node/provider-presets.js";
import { type CheckResult, fail, ok, warn } from "./doctor-check.js";

async function findCommand(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidates =
    isAbsolute(command) || command.includes("/")
      ? [command]
      : (env.PATH ?? "")
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, command));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}

/** The variables a known agent reads its credentials from (any one is enough). */
const CREDENTIALS: Record<string, string[]> = {
  claude: ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_AUTH_TOKEN"],
  codex: ["OPENAI_API_KEY", "CODEX_API_KEY"],
  gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
};

function agentKind(name: string, command: string, args: readonly string[]): string | undefined {
  const text = [name, command, ...args].join(" ").toLowerCase();
  return Object.keys(CREDENTIALS).find((k) => text.includes(k));
}

/**
 * Each preset (claude, codex, gemini) and each `[agents.providers.NAME]`: its command found, and a
 * credentials variable reaching its agents. A preset nobody configured and nobody installed is fine.
 */
export async function checkProviders(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  const configured = config.agents.providers;
  const names = providerNames(configured).filter((n) => n !== "scripted");
  const out: CheckResult[] = [];
  for (const name of names) {
    const p = resolveProvider(name, configured[name]);
    if (!p) continue;
    const label = `provider ${name}`;
    const found = await findCommand(p.command, env);
    if (!found) {
      out.push(
        Object.hasOwn(configured, name)
          ? fail(label, `command "${p.command}" not found`, p.install_hint)
          : ok(label, `not installed (optional): ${p.install_hint}`),
      );
      continue;
    }
    const kind = agentKind(name, p.command, p.args);
    const vars = kind ? CREDENTIALS[kind]! : [];
    // Agents get the provider's env, its pass_env and the [agents] pass_env variables of the daemon's.
    const passed = new Set([...p.pass_env, ...config.agents.pass_env]);
    const reaching = vars.filter((v) => v in p.env || (passed.has(v) && env[v]));
    if (kind && reaching.length === 0) {
      out.push(
        warn(
          label,
          `${found}; none of ${vars.join(", ")} reaches its agents (fine if the agent logged in on its own, or members set it in their agent env)`,
          p.auth_hint,
        ),
      );
      continue;
    }
    const creds = reaching.length > 0 ? `; credentials from ${reaching.join(", ")}` : "";
    out.push(ok(label, `${found}${creds}`));
  }
  for (const v of config.agents.pass_env) {
    if (!env[v])
      out.push(
        warn(
          "pass_env",
          `${v} is not set in this environment`,
          `set ${v} where the daemon runs (its environment may differ from this shell's)`,
        ),
      );
  }
  return out;
}
