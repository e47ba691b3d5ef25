import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isLiveAgentState } from "../contracts/agent-states.js";
import type {
  AgentLaunch,
  AgentStarted,
  NodeEvent,
  NodeInfo,
  PermissionOutcome,
} from "../contracts/node-client.js";
import type { McpServerSpec, SessionSettings } from "../domain/agent.js";
import { AppError } from "../errors/registry.js";
import { VERSION } from "../util/version.js";
import { allowedDaemonEnv, pickDaemonEnv } from "./agent-env.js";
import { AgentExitedError } from "./agent-exit.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import { EventLog } from "./event-log.js";
import {
  type ProviderConfig,
  providerNames,
  type ResolvedProvider,
  resolveProvider,
} from "./provider-presets.js";
import { type AgentSandbox, BwrapSandbox, type ResolvedIsolation } from "./sandbox.js";
import { requireSafeDirectory, resolveWorkdir } from "./workdir-policy.js";
import { WorkspaceError } from "./workspace-error.js";

export type { ProviderConfig } from "./provider-presets.js";

export interface NodeRuntimeOptions {
  nodeId: string;
  dataDir: string;
  safePaths: readonly string[];
  worktreeRoot: string;
  providers: Readonly<Record<string, ProviderConfig>>;
  stopGraceMs?: number;
  /** The daemon's environment: agents get only its allow-listed part (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** `[agents] pass_env`: more daemon variables agents get (never AGENTHUB_*). */
  passEnv?: readonly string[];
  /** The isolation in force (resolveIsolation at daemon start); default none. */
  isolation?: ResolvedIsolation;
  /** Directories no agent may see: the daemon's data directory (AGENTHUB_HOME) and cert dir. */
  secretPaths?: readonly string[];
}

/** This installation's `bin/` (holds `agenthub`), found from this module in src/ or dist/src/. */
function binDir(): string {
  const fromDist = fileURLToPath(new URL("../../../bin/", import.meta.url));
  return existsSync(join(fromDist, "agenthub.js"))
    ? fromDist
    : fileURLToPath(new URL("../../bin/", import.meta.url));
}

/**
 * The environment every agent starts from: the allow-listed part of the daemon's (never all of it),
 * with this installation's `agenthub` first on PATH and in AGENTHUB_BIN so `agenthub actor …` reaches
 * the same version as the node, installed globally or not. Provider, launch and actor variables follow.
 */
function agentBaseEnv(daemon: NodeJS.ProcessEnv, passEnv: readonly string[]): Record<string, string> {
  const dir = binDir();
  const base = allowedDaemonEnv(daemon, passEnv);
  return {
    ...base,
    AGENTHUB_BIN: join(dir, "agenthub.js"),
    PATH: `${dir}${base.PATH ? `:${base.PATH}` : ""}`,
  };
}

/** What agents must still reach when a hidden root covers it: this installation and node itself. */
function toolPaths(): string[] {
  return [dirname(binDir()), dirname(dirname(process.execPath))];
}

/** The scripted agent's entry in dist/ (also when this module runs from src/ under the test runner). */
export function scriptedAgentPath(): string {
  const here = fileURLToPath(new URL("./scripted-agent/main.js", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../dist/src/node/scripted-agent/main.js", import.meta.url));
}

/**
 * One node's runtime: the agent supervisor, its durable event log, and provider resolution. The
 * gRPC NodeService serves it for remote nodes; the hub calls it directly for its built-in `main` node.
 */
export class NodeRuntime {
  readonly events: EventLog;
  readonly supervisor: AgentSupervisor;
  private readonly sandbox: AgentSandbox | undefined;
  /** The daemon's environment (providers pass parts of it on) and every agent's base environment. */
  private readonly daemonEnv: NodeJS.ProcessEnv;
  private readonly baseEnv: Record<string, string>;

  constructor(private readonly o: NodeRuntimeOptions) {
    this.events = new EventLog({ dir: join(o.dataDir, "events") });
    this.daemonEnv = o.env ?? process.env;
    this.baseEnv = agentBaseEnv(this.daemonEnv, o.passEnv ?? []);
    const iso = o.isolation;
    this.sandbox =
      iso?.isolation === "bwrap" && iso.bwrapPath
        ? new BwrapSandbox({
            bwrapPath: iso.bwrapPath,
            secret: [o.dataDir, ...(o.secretPaths ?? [])],
            safePaths: o.safePaths,
            worktreeRoot: o.worktreeRoot,
            tools: toolPaths(),
          })
        : undefined;
    this.supervisor = new AgentSupervisor({
      dataDir: o.dataDir,
      events: this.events,
      safePaths: o.safePaths,
      worktreeRoot: o.worktreeRoot,
      stopGraceMs: o.stopGraceMs,
      env: this.baseEnv,
      sandbox: this.sandbox,
    });
  }

  /** Kills agents a previous run of this node left behind. */
  async start(): Promise<void> {
    await this.supervisor.reapLeftovers();
  }

  info(): NodeInfo {
    return {
      node_id: this.o.nodeId,
      version: VERSION,
      hostname: hostname(),
      running_agents: this.supervisor.listAgents().filter((a) => isLiveAgentState(a.state)).length,
      safe_paths: [...this.o.safePaths],
      worktree_root: this.o.worktreeRoot,
      isolation: this.sandbox?.isolation ?? "none",
    };
  }

  providerNames(): string[] {
    return providerNames(this.o.providers);
  }

  /** The provider a launch names: a preset (with its configured keys), a configured one, or `scripted`. */
  private provider(name: string): ResolvedProvider {
    const configured = this.o.providers[name];
    const p =
      name === "scripted"
        ? resolveProvider(name, {
            ...configured,
            command: configured?.command ?? process.execPath,
            args: configured?.command ? configured.args : [scriptedAgentPath(), ...(configured?.args ?? [])],
          })
        : resolveProvider(name, configured);
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
   * over the provider's (over the daemon variables the provider passes on), and session settings
   * (mode, model, config options; MCP servers of both, the launch's winning by name).
   */
  private resolveLaunch(l: AgentLaunch): ResolvedLaunch {
    const wanted = launchSettings(l);
    if (l.command) {
      return {
        label: l.command,
        command: l.command,
        args: [...(l.args ?? [])],
        env: { ...(l.env ?? {}) },
        settings: wanted,
        auth_hint: "set the credentials it needs in the agent's env",
        install_hint: "check the agent's command",
      };
    }
    const p = this.provider(l.provider ?? "");
    const env = { ...pickDaemonEnv(this.daemonEnv, p.pass_env), ...p.env, ...(l.env ?? {}) };
    const derived = p.derive_env({ ...this.baseEnv, ...env });
    const mcp = mergeMcpServers(p.settings.mcp_servers ?? [], wanted.mcp_servers ?? []);
    return {
      label: p.name,
      command: p.command,
      args: [...p.args, ...(l.args ?? [])],
      env: { ...Object.fromEntries(Object.entries(derived).filter(([k]) => !(k in env))), ...env },
      settings: {
        ...p.settings,
        ...wanted,
        ...(mcp.length > 0 ? { mcp_servers: mcp } : { mcp_servers: undefined }),
      },
      auth_hint: p.auth_hint,
      install_hint: p.install_hint,
    };
  }

  /** Checks the launch's workdir policy without starting anything. */
  async validate(l: AgentLaunch): Promise<void> {
    this.resolveLaunch(l);
    await resolveWorkdir({
      worktreeMode: l.worktree_mode,
      workdir: l.workdir,
      safePaths: this.o.safePaths,
      worktreeRoot: this.o.worktreeRoot,
    });
    if (l.worktree_mode === "create_worktree" && !l.workdir) {
      if (!l.worktree_repo) throw new AppError("WORKDIR_REQUIRED");
      await requireSafeDirectory(l.worktree_repo, this.o.safePaths);
    }
  }

  async startAgent(l: AgentLaunch): Promise<AgentStarted> {
    const r = this.resolveLaunch(l);
    const info = await this.supervisor
      .startAgent({
        agent_id: l.agent_id,
        name: l.name,
        provider: r.label,
        command: r.command,
        args: r.args,
        env: r.env,
        settings: r.settings,
        auth_hint: r.auth_hint,
        install_hint: r.install_hint,
        worktree_mode: l.worktree_mode,
        workdir: l.workdir,
        worktree_repo: l.worktree_repo,
        worktree_ref: l.worktree_ref,
      })
      .catch((err: unknown) => {
        throw asAppError(err);
      });
    return { workdir: info.workdir ?? "", ...(info.session ? { session: info.session } : {}) };
  }

  async stopAgent(agentId: string): Promise<void> {
    await this.supervisor.stopAgent(agentId);
  }

  sendInput(agentId: string, text: string, turnId: string): void {
    this.supervisor.sendInput(agentId, text, turnId);
  }

  /**
   * Cancels `turnId` (nothing happens when it is gone), or the running turn when omitted: then an
   * agent with no running turn answers NO_RUNNING_TURN.
   */
  async cancelTurn(agentId: string, turnId?: string): Promise<void> {
    const cancelled = await this.supervisor.cancelTurn(agentId, turnId);
    if (!cancelled && turnId === undefined) throw new AppError("NO_RUNNING_TURN", { agent_id: agentId });
  }

  respondPermission(agentId: string, requestId: string, outcome: PermissionOutcome): void {
    this.supervisor.respondPermission(agentId, requestId, outcome);
  }

  /** Events after `afterSeq`, replayed then live. Returns an unsubscribe function. */
  watch(afterSeq: number, onEvent: (e: NodeEvent, bytes: number) => void): () => void {
    return this.events.subscribe(afterSeq + 1, (e, bytes) =>
      onEvent(
        {
          seq: e.seq,
          agent_id: e.agent_id,
          agent_seq: e.agent_seq,
          kind: e.kind,
          at_ms: Date.parse(e.ts),
          data: (e.data ?? {}) as Record<string, unknown>,
        },
        bytes,
      ),
    );
  }

  ack(upToSeq: number): void {
    this.events.ackUpTo(upToSeq);
  }

  async shutdown(): Promise<void> {
    await this.supervisor.shutdown();
    this.events.close();
  }
}

interface ResolvedLaunch {
  /** The provider name (or the explicit command) errors name. */
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  settings: SessionSettings;
  auth_hint: string;
  install_hint: string;
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

/** Start failures cross the wire (gRPC) and reach REST as registry errors that keep git's or the agent's words. */
function asAppError(err: unknown): unknown {
  if (err instanceof WorkspaceError) {
    return new AppError("WORKSPACE_ERROR", { git: err.gitText }, { message: err.message });
  }
  if (err instanceof AgentExitedError) {
    return new AppError(
      "AGENT_EXITED",
      { code: err.exit.code, signal: err.exit.signal, stderr_tail: err.exit.stderr_tail },
      { message: err.message },
    );
  }
  return err;
}
