import type { AgentLaunch } from "../contracts/node-client.js";
import type { McpServerSpec, SessionSettings } from "../domain/agent.js";
import { AppError } from "../errors/registry.js";
import { pickDaemonEnv } from "./agent-env.js";
import {
  type ProviderConfig,
  providerNames,
  type ResolvedProvider,
  resolveProvider,
} from "./provider-presets.js";

/** What a launch runs, ready for the supervisor. */
export interface ResolvedLaunch {
  /** The provider name (or the explicit command) errors name. */
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  settings: SessionSettings;
  /** A team member's session gets the `agenthub` actor MCP server (the provider's `actor_mcp`). */
  actor_mcp: boolean;
  auth_hint: string;
  install_hint: string;
}

export interface LaunchResolverOptions {
  nodeId: string;
  providers: Readonly<Record<string, ProviderConfig>>;
  /** The daemon's environment: providers pass parts of it on (their credentials). */
  daemonEnv: NodeJS.ProcessEnv;
  /** Every agent's base environment (derived variables look at it too). */
  baseEnv: Readonly<Record<string, string>>;
  /** The built-in scripted agent: node and its script. */
  scripted: () => { command: string; script: string };
}

/** The session settings a launch itself asks for (a member's or an agent's spec). */
function launchSettings(l: AgentLaunch): SessionSettings {
  return {
    ...(l.mode ? { mode: l.mode } : {}),
    ...(l.model ? { model: l.model } : {}),
    ...(l.config_options && Object.keys(l.config_options).length > 0
      ? { config_options: { ...l.config_options } }
      : {}),
    ...(l.mcp_servers && l.mcp_servers.length > 0 ? { mcp_servers: [...l.mcp_servers] } : {}),
  };
}

/** The provider's MCP servers and the launch's; a launch's server replaces the provider's of that name. */
function mergeMcpServers(
  provider: readonly McpServerSpec[],
  launch: readonly McpServerSpec[],
): McpServerSpec[] {
  const names = new Set(launch.map((s) => s.name));
  return [...provider.filter((s) => !names.has(s.name)), ...launch];
}

/** Turns a launch (a provider name or an explicit command, with its own settings) into what runs. */
export class LaunchResolver {
  constructor(private readonly o: LaunchResolverOptions) {}

  providerNames(): string[] {
    return providerNames(this.o.providers);
  }

  /** The provider a launch names: a preset (with its configured keys), a configured one, or `scripted`. */
  provider(name: string): ResolvedProvider {
    const configured = this.o.providers[name];
    let p: ResolvedProvider | undefined;
    if (name === "scripted" && configured?.command === undefined) {
      const s = this.o.scripted();
      p = resolveProvider(name, {
        ...configured,
        command: s.command,
        args: [s.script, ...(configured?.args ?? [])],
      });
    } else p = resolveProvider(name, configured);
    if (p) return p;
    const known = this.providerNames();
    throw new AppError(
      "BAD_REQUEST",
      { provider: name, known },
      {
        message: `unknown agent provider "${name}" on node ${this.o.nodeId}; configured: ${known.join(", ")}`,
      },
    );
  }

  /**
   * What a launch runs: its own command, or its provider's with the launch's args appended, env laid
   * over the provider's (over the daemon variables the provider passes on; variables the preset
   * derives fill only what is unset), and session settings (the launch's mode, model and config
   * options over the provider's; MCP servers of both, the launch's winning by name).
   */
  resolve(l: AgentLaunch): ResolvedLaunch {
    const wanted = launchSettings(l);
    if (l.command) {
      return {
        label: l.command,
        command: l.command,
        args: [...(l.args ?? [])],
        env: { ...(l.env ?? {}) },
        settings: wanted,
        actor_mcp: false,
        auth_hint: "set the credentials it needs in the agent's env",
        install_hint: "check the agent's command",
      };
    }
    const p = this.provider(l.provider ?? "");
    const env = { ...pickDaemonEnv(this.o.daemonEnv, p.pass_env), ...p.env, ...(l.env ?? {}) };
    const derived = p.derive_env({ ...this.o.baseEnv, ...env });
    const mcp = mergeMcpServers(p.settings.mcp_servers ?? [], wanted.mcp_servers ?? []);
    return {
      label: p.name,
      command: p.command,
      args: [...p.args, ...(l.args ?? [])],
      env: { ...Object.fromEntries(Object.entries(derived).filter(([k]) => !(k in env))), ...env },
      settings: { ...p.settings, ...wanted, mcp_servers: mcp.length > 0 ? mcp : undefined },
      actor_mcp: p.actor_mcp,
      auth_hint: p.auth_hint,
      install_hint: p.install_hint,
    };
  }
}
