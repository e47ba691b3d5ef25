import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, realpath, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config-schema.js";
import type { AgentIsolation } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import type { Logger } from "../util/logger.js";
import { isWithin } from "./workdir-policy.js";

/**
 * Agents run inside a bubblewrap (`bwrap`) sandbox: the machine stays visible as the daemon's user
 * sees it and the network stays, but the daemon's data directory (keys, database, config, event logs)
 * and the other agents' workspaces are covered by empty tmpfs mounts; only the agent's own workdir is
 * mapped back, writable. An agent may be hostile (it runs untrusted text), so this is what keeps it
 * from the daemon's secrets.
 */

export type IsolationSetting = "auto" | "bwrap" | "none";

export interface BwrapStatus {
  works: boolean;
  /** Absolute path of the bwrap binary (agents' own PATH must not decide which one runs). */
  path?: string | undefined;
  /** Why it does not work. */
  reason?: string | undefined;
}

/** What the sandbox of every agent needs, tried once: mount namespace, tmpfs, pid namespace. */
const PROBE_ARGS = [
  "--ro-bind",
  "/",
  "/",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  "--tmpfs",
  "/tmp",
  "--unshare-pid",
  "--die-with-parent",
  "--",
  "true",
];

async function findOnPath(name: string, pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? "/usr/bin:/bin").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next PATH entry
    }
  }
  return undefined;
}

/** Runs the probe (no cache); exported for tests. */
export async function runBwrapProbe(env: NodeJS.ProcessEnv = process.env): Promise<BwrapStatus> {
  const path = await findOnPath("bwrap", env.PATH);
  if (!path) return { works: false, reason: "bwrap is not installed (not found on PATH)" };
  return new Promise((done) => {
    execFile(
      path,
      PROBE_ARGS,
      { timeout: 10_000, env: { PATH: env.PATH ?? "/usr/bin:/bin" } },
      (err, _o, stderr) => {
        if (!err) {
          done({ works: true, path });
          return;
        }
        const text = String(stderr).trim().split("\n").at(-1) || err.message;
        done({ works: false, path, reason: `${path} fails: ${text}` });
      },
    );
  });
}

let probed: Promise<BwrapStatus> | undefined;

/** Whether bwrap works on this machine; probed once per process (daemons ask at start). */
export function probeBwrap(): Promise<BwrapStatus> {
  probed ??= runBwrapProbe();
  return probed;
}

/** The isolation in force for a daemon's agents. */
export interface ResolvedIsolation {
  isolation: AgentIsolation;
  bwrapPath?: string | undefined;
  /** Why agents are not isolated (for the start-up warning). */
  reason?: string | undefined;
}

/**
 * `[agents] isolation` -> the isolation in force. "bwrap" that does not work refuses to start the
 * daemon (a ConfigError naming the package); "auto" falls back to none.
 */
export async function resolveIsolation(
  setting: IsolationSetting,
  probe: () => Promise<BwrapStatus> = probeBwrap,
): Promise<ResolvedIsolation> {
  if (setting === "none") return { isolation: "none", reason: '[agents] isolation = "none"' };
  const s = await probe();
  if (s.works && s.path) return { isolation: "bwrap", bwrapPath: s.path };
  if (setting === "bwrap") {
    throw new ConfigError(
      `[agents] isolation = "bwrap" but bubblewrap does not work on this machine (${s.reason ?? "unknown"}); install the "bubblewrap" package (e.g. apt-get install bubblewrap), or set isolation = "auto" or "none" to run agents without a sandbox`,
    );
  }
  return { isolation: "none", reason: `isolation = "auto" and ${s.reason ?? "bwrap does not work"}` };
}

/** The one start-up warning when agents run unsandboxed; undefined when they are sandboxed. */
export function isolationWarning(r: ResolvedIsolation, dataDir: string): string | undefined {
  if (r.isolation !== "none") return undefined;
  return `agents are NOT isolated (${r.reason ?? "no sandbox"}): every agent runs as this daemon's user and can read what it can, including ${dataDir} (keys, database, config) and other agents' workspaces; only root may create agents with their own command. Install bubblewrap (package "bubblewrap") and set [agents] isolation = "auto" to sandbox agents`;
}

/** Paths the sandbox hides or maps back, already realpath'd. */
export interface SandboxPaths {
  /** The daemon's data directory and cert dir: hidden; never mapped back. */
  secret: readonly string[];
  /** Secret files outside those (a `--config` file elsewhere): masked with /dev/null. */
  secretFiles?: readonly string[] | undefined;
  /** safe_paths roots and the worktree root: hidden except this agent's workdir. */
  workspaces: readonly string[];
  /** This installation and node's install prefix: mapped back read-only when a hidden root covers them. */
  tools: readonly string[];
}

export interface BwrapArgvInput extends SandboxPaths {
  workdir: string;
  /** The git dirs of a worktree workdir (its own and the repository's common dir), mapped back writable. */
  gitDirs?: readonly string[] | undefined;
  /** Mapped in read-only even inside a hidden folder: the agent's own actor credential folder. */
  readOnly?: readonly string[] | undefined;
  command: string;
  args: readonly string[];
}

interface Mount {
  path: string;
  /** At one path: hide workspaces, then map back, then hide secrets (a secret always wins). */
  rank: number;
  hides: boolean;
  args: string[];
}

function depth(p: string): number {
  return p.split("/").filter(Boolean).length;
}

const strictlyWithin = (child: string, parent: string) => child !== parent && isWithin(child, parent);

/**
 * The bwrap argv for one agent (pure; paths must be realpath'd). bwrap applies mounts in order and
 * binds from the host's tree, so mounts go parents first: a tmpfs hides a root, a deeper bind maps a
 * child back, a deeper tmpfs hides again. Throws WORKDIR_NOT_SAFE for a workdir inside a secret
 * directory (other than within a workspace root below it, e.g. the default worktree root).
 */
export function bwrapArgv(i: BwrapArgvInput): string[] {
  const { workdir } = i;
  // Hiding "/" would hide the machine, which stays visible by design.
  const secret = i.secret.filter((p) => p !== "/");
  const workspaces = i.workspaces.filter((p) => p !== "/");
  for (const s of secret) {
    if (isWithin(workdir, s) && !workspaces.some((w) => strictlyWithin(w, s) && isWithin(workdir, w))) {
      throw new AppError(
        "WORKDIR_NOT_SAFE",
        { workdir, data_dir: s },
        { message: `workdir ${workdir} is inside agenthub's data directory ${s}` },
      );
    }
  }
  const hidden = [...secret, ...workspaces];
  const underHidden = (p: string) => hidden.some((h) => strictlyWithin(p, h));
  const mounts: Mount[] = [
    ...workspaces.map((p) => ({ path: p, rank: 0, hides: true, args: ["--tmpfs", p] })),
    { path: workdir, rank: 1, hides: false, args: ["--bind", workdir, workdir] },
    ...secret.map((p) => ({ path: p, rank: 2, hides: true, args: ["--tmpfs", p] })),
    ...(i.secretFiles ?? []).map((f) => ({
      path: f,
      rank: 2,
      hides: true,
      args: ["--ro-bind", "/dev/null", f],
    })),
  ];
  for (const t of i.tools) {
    if (underHidden(t)) mounts.push({ path: t, rank: 1, hides: false, args: ["--ro-bind", t, t] });
  }
  // Actor credentials (token-renewal): the agent's own folder inside the daemon's hidden data dir.
  for (const r of i.readOnly ?? [])
    mounts.push({ path: r, rank: 1, hides: false, args: ["--ro-bind", r, r] });
  for (const g of i.gitDirs ?? []) {
    const overlapsSecret = secret.some((s) => isWithin(g, s) || isWithin(s, g));
    const needed = workspaces.some((w) => strictlyWithin(g, w)) && !isWithin(g, workdir);
    // Never a parent of the workdir: that would map its siblings (other agents' workspaces) back.
    if (needed && !overlapsSecret && !isWithin(workdir, g)) {
      mounts.push({ path: g, rank: 1, hides: false, args: ["--bind", g, g] });
    }
  }
  mounts.sort((a, b) => depth(a.path) - depth(b.path) || a.rank - b.rank);
  // Hiding under a path that is already hidden adds nothing but an empty mount point (bwrap creates
  // one, and its name would show). The latest mount covering a path is the one in force.
  const effective: Mount[] = [];
  for (const m of mounts) {
    const cover = [...effective].reverse().find((k) => isWithin(m.path, k.path));
    if (m.hides && cover?.hides) continue;
    effective.push(m);
  }
  return [
    "--bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    // Own pid namespace: the agent cannot read /proc/<daemon>/environ or signal the daemon.
    "--unshare-pid",
    "--die-with-parent",
    ...effective.flatMap((m) => m.args),
    "--chdir",
    workdir,
    "--",
    i.command,
    ...i.args,
  ];
}

/** bwrap reports a failed exec itself (exit 1): turn that back into the unsandboxed message. */
export function bwrapExitMessage(
  command: string,
): (code: number | null, signal: string | null, tail: readonly string[]) => string | undefined {
  return (code, _signal, tail) => {
    if (code !== 1) return undefined;
    const last = tail.at(-1) ?? "";
    if (last === `bwrap: execvp ${command}: No such file or directory`)
      return `command not found: ${command}`;
    if (last === `bwrap: execvp ${command}: Permission denied`)
      return `command is not executable: ${command}`;
    return undefined;
  };
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch {
    return undefined;
  }
}

async function realpaths(paths: readonly string[]): Promise<string[]> {
  const out = await Promise.all(paths.map(realpathOrUndefined));
  return out.filter((p): p is string => p !== undefined);
}

/** Existing secret paths, realpath'd, split into directories (tmpfs) and files (masked). */
async function secretsByKind(paths: readonly string[]): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  for (const p of await realpaths(paths)) {
    try {
      ((await stat(p)).isDirectory() ? dirs : files).push(p);
    } catch {
      // gone since realpath: nothing to hide
    }
  }
  return { dirs, files };
}

/** A worktree's own git dir and its repository's common dir. */
function gitDirsOf(workdir: string): Promise<string[]> {
  return new Promise((done) => {
    execFile(
      "git",
      ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"],
      {
        cwd: workdir,
        timeout: 10_000,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_TERMINAL_PROMPT: "0" },
      },
      (err, stdout) => {
        if (err) {
          done([]);
          return;
        }
        const lines = String(stdout)
          .split("\n")
          .filter(Boolean)
          .map((l) => (isAbsolute(l) ? l : resolve(workdir, l)));
        void realpaths(lines).then(done);
      },
    );
  });
}

export interface SandboxLaunch {
  command: string;
  args: readonly string[];
  workdir: string;
  /** The supervisor just created this worktree (its git files are ours, not yet the agent's). */
  freshWorktree: boolean;
  /** Folders the agent reads but may not write (its actor credentials). */
  readOnly?: readonly string[] | undefined;
}

export interface WrappedCommand {
  command: string;
  args: string[];
  explainExit?:
    | ((code: number | null, signal: string | null, tail: readonly string[]) => string | undefined)
    | undefined;
}

/** Wraps an agent command for spawning; the supervisor uses it when isolation is in force. */
export interface AgentSandbox {
  readonly isolation: AgentIsolation;
  wrap(l: SandboxLaunch): Promise<WrappedCommand>;
}

export interface BwrapSandboxOptions {
  bwrapPath: string;
  /** Data dir(s), cert dir, config file. */
  secret: readonly string[];
  safePaths: readonly string[];
  worktreeRoot: string;
  /** Read-only tools mapped back when hidden (package root, node's prefix). */
  tools: readonly string[];
}

export class BwrapSandbox implements AgentSandbox {
  readonly isolation = "bwrap" as const;

  constructor(private readonly o: BwrapSandboxOptions) {}

  async wrap(l: SandboxLaunch): Promise<WrappedCommand> {
    // A worktree root created later would otherwise stay visible to agents started before it existed.
    // A root that cannot be created (read-only mount) holds no workspace: realpaths() drops it below.
    await mkdir(this.o.worktreeRoot, { recursive: true, mode: 0o700 }).catch(() => undefined);
    const [workdir, secrets, workspaces, tools, gitDirs, readOnly] = await Promise.all([
      realpath(l.workdir),
      secretsByKind(this.o.secret),
      // A safe path that does not exist holds no workspace; mounting over it would create it.
      realpaths([...this.o.safePaths, this.o.worktreeRoot]),
      realpaths(this.o.tools),
      // Only from a worktree we just created: a workdir the agent has written to could point its
      // `.git` file anywhere, and we would map that back.
      l.freshWorktree ? gitDirsOf(l.workdir) : Promise.resolve([]),
      realpaths(l.readOnly ?? []),
    ]);
    const args = bwrapArgv({
      secret: secrets.dirs,
      secretFiles: secrets.files,
      workspaces,
      tools,
      workdir,
      gitDirs,
      readOnly,
      command: l.command,
      args: l.args,
    });
    return { command: this.o.bwrapPath, args, explainExit: bwrapExitMessage(l.command) };
  }
}

/** What a daemon hands its NodeRuntime about agents' isolation and environment. */
export interface AgentRuntimeSecurity {
  isolation: ResolvedIsolation;
  passEnv: readonly string[];
  secretPaths: readonly string[];
}

/**
 * At daemon start (hub and node): resolves `[agents] isolation` (throws for "bwrap" without a working
 * bwrap) and logs the one warning line when agents will run unsandboxed.
 */
export async function agentRuntimeSecurity(
  config: Config,
  logger: Logger,
  probe?: () => Promise<BwrapStatus>,
): Promise<AgentRuntimeSecurity> {
  const isolation = await resolveIsolation(config.agents.isolation, probe);
  const warning = isolationWarning(isolation, config.home);
  if (warning) logger.warn({ component: "agents", isolation: isolation.isolation }, warning);
  return {
    isolation,
    passEnv: config.agents.pass_env,
    // The config file may sit elsewhere (--config) and holds providers' env (API keys).
    secretPaths: [
      config.home,
      config.internal_grpc.security.cert_dir,
      ...(config.config_path ? [config.config_path] : []),
    ],
  };
}
