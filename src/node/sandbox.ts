import { execFile } from "node:child_process";
import { constants, existsSync } from "node:fs";
import { access, mkdir, realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config/config-error.js";
import type { Config } from "../config/config-schema.js";
import type { AgentIsolation } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";
import type { Logger } from "../util/logger.js";
import { AGENT_WRITABLE_HOME_ENTRIES } from "./agent-env.js";
import { runGit } from "./git-command.js";
import { isWithin } from "./workdir-policy.js";

/**
 * Agents run inside a bubblewrap (`bwrap`) sandbox. The machine stays visible as the daemon's user sees
 * it, READ-ONLY, and the network stays. Writable for the agent: its own workdir, a fresh worktree's git
 * dirs (git works inside it), its HOME caches (AGENT_WRITABLE_HOME_ENTRIES) and private tmpfs mounts at
 * /tmp, /var/tmp and /run/user/<uid>. The daemon's data directory (keys, database, config, event logs)
 * and the other agents' workspaces are covered by empty tmpfs mounts.
 *
 * Read-only by default, because an agent may be hostile (it runs untrusted text) and anything it can
 * write that the daemon later runs unsandboxed is a way out: an executable on the daemon's PATH before
 * git, this installation's own code (dist/, bin/, node_modules) run at the next start, node itself.
 * Those stay read-only also inside a writable bind (a workdir of `~` holding `~/.local/bin`): they are
 * bound read-only again after it. /run/user/<uid> (systemd --user, the session D-Bus) is an empty tmpfs:
 * a read-only bind does not stop connecting to a unix socket.
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
    if (!isAbsolute(dir)) continue;
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

/** Paths the sandbox hides, maps back or keeps read-only, already realpath'd. */
export interface SandboxPaths {
  /** The daemon's data directory and cert dir: hidden; never mapped back. */
  secret: readonly string[];
  /** Secret files outside those (a `--config` file elsewhere): masked with /dev/null. */
  secretFiles?: readonly string[] | undefined;
  /** safe_paths roots and the worktree root: hidden except this agent's workdir. */
  workspaces: readonly string[];
  /**
   * This installation and node's install prefix: read-only for the agent wherever they are (bound
   * read-only again inside a writable bind), and mapped back read-only when a hidden root covers them.
   */
  tools: readonly string[];
  /**
   * The directories on the daemon's PATH: read-only for the agent wherever they are, like tools, but
   * mapped back only from a private tmpfs (a PATH dir under a workspace root stays hidden).
   */
  daemonPath?: readonly string[] | undefined;
  /** The agent's HOME caches that exist (AGENT_WRITABLE_HOME_ENTRIES): writable. */
  homeWritable?: readonly string[] | undefined;
  /** Empty private tmpfs mounts: /tmp, /var/tmp, /run/user/<uid>. */
  privateTmp?: readonly string[] | undefined;
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

type MountKind = "private" | "workspace" | "secret" | "secretFile" | "writable" | "tool" | "pathDir";

interface Mount {
  path: string;
  kind: MountKind;
  /**
   * At one path: hide (private, workspace), then writable binds, then read-only binds, then hide
   * secrets. A read-only path wins over a writable bind of the same path; a secret always wins.
   */
  rank: number;
  args: string[];
}

const RANK: Record<MountKind, number> = {
  private: 0,
  workspace: 0,
  writable: 1,
  tool: 2,
  pathDir: 2,
  secret: 3,
  secretFile: 3,
};

const hides = (k: MountKind | undefined) =>
  k === "private" || k === "workspace" || k === "secret" || k === "secretFile";

function depth(p: string): number {
  return p.split("/").filter(Boolean).length;
}

const strictlyWithin = (child: string, parent: string) => child !== parent && isWithin(child, parent);

/**
 * Whether a read-only path needs its own bind under `cover` (the mount in force over it so far; none
 * means the read-only root): under a writable bind always; under a hidden root only to map it back.
 */
function needsReadOnlyBind(m: Mount, cover: Mount | undefined): boolean {
  if (!cover || cover.kind === "tool" || cover.kind === "pathDir") return false;
  if (cover.kind === "writable") return true;
  if (!strictlyWithin(m.path, cover.path)) return false;
  return m.kind === "tool" || cover.kind === "private";
}

/**
 * The bwrap argv for one agent (pure; paths must be realpath'd). bwrap applies mounts in order and
 * binds from the host's tree, so mounts go parents first: `/` read-only, a tmpfs hides a root, a
 * deeper bind maps a child back (writable or not), a deeper tmpfs hides again. Throws WORKDIR_NOT_SAFE
 * for a workdir inside a secret directory (other than within a workspace root below it, e.g. the
 * default worktree root).
 */
export function bwrapArgv(i: BwrapArgvInput): string[] {
  const { workdir } = i;
  // Hiding "/" would hide the machine, which stays visible by design (read-only).
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
  const withinSecret = (p: string) => secret.some((s) => isWithin(p, s));
  const mount = (path: string, kind: MountKind, args: string[]): Mount => ({
    path,
    kind,
    rank: RANK[kind],
    args,
  });
  const privateTmp = (i.privateTmp ?? []).filter((p) => p !== "/");
  const mounts: Mount[] = [
    ...privateTmp.map((p) => mount(p, "private", ["--tmpfs", p])),
    ...workspaces.map((p) => mount(p, "workspace", ["--tmpfs", p])),
    mount(workdir, "writable", ["--bind", workdir, workdir]),
    ...secret.map((p) => mount(p, "secret", ["--tmpfs", p])),
    ...(i.secretFiles ?? []).map((f) => mount(f, "secretFile", ["--ro-bind", "/dev/null", f])),
    ...i.tools.filter((t) => t !== "/").map((t) => mount(t, "tool", ["--ro-bind", t, t])),
    ...(i.daemonPath ?? []).filter((d) => d !== "/").map((d) => mount(d, "pathDir", ["--ro-bind", d, d])),
  ];
  // Actor credentials (token renewal): the agent's own folder inside the daemon's hidden data dir,
  // mapped back read-only like a tool under a hidden root.
  for (const r of i.readOnly ?? []) mounts.push(mount(r, "tool", ["--ro-bind", r, r]));
  // Writable extras are never a parent of the workdir (that would map its siblings, other agents'
  // workspaces, back) and never inside a secret. A git dir is never a workspace root or above one
  // either: a repository's git dir sits inside one.
  for (const g of i.gitDirs ?? []) {
    const overlapsSecret = secret.some((s) => isWithin(g, s) || isWithin(s, g));
    const coversWorkspace = workspaces.some((w) => isWithin(w, g));
    if (!isWithin(g, workdir) && !overlapsSecret && !coversWorkspace && !isWithin(workdir, g)) {
      mounts.push(mount(g, "writable", ["--bind", g, g]));
    }
  }
  for (const h of i.homeWritable ?? []) {
    if (!isWithin(h, workdir) && !withinSecret(h) && !workspaces.includes(h) && !isWithin(workdir, h)) {
      mounts.push(mount(h, "writable", ["--bind", h, h]));
    }
  }
  mounts.sort((a, b) => depth(a.path) - depth(b.path) || a.rank - b.rank);
  // The latest mount covering a path is the one in force. Hiding under a path a workspace or secret
  // tmpfs already hides adds nothing but an empty mount point (bwrap creates one, and its name would
  // show); under a private tmpfs a hidden dir is kept, empty, as it was before /tmp was private (a
  // masked file is not: it would show as an empty file).
  const effective: Mount[] = [];
  for (const m of mounts) {
    const cover = [...effective].reverse().find((k) => isWithin(m.path, k.path));
    if (m.kind === "tool" || m.kind === "pathDir") {
      if (!needsReadOnlyBind(m, cover)) continue;
    } else if (
      hides(m.kind) &&
      hides(cover?.kind) &&
      (cover?.kind !== "private" || m.kind === "secretFile")
    ) {
      continue;
    }
    effective.push(m);
  }
  return [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    // The daemon's TMPDIR may be read-only here; the agent's temp dir is its private /tmp.
    ...(privateTmp.includes("/tmp") ? ["--setenv", "TMPDIR", "/tmp"] : []),
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

/** A worktree's own git dir and its repository's common dir (the daemon's git, see git-command.ts). */
async function gitDirsOf(workdir: string): Promise<string[]> {
  try {
    const out = await runGit(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"], {
      cwd: workdir,
    });
    const lines = out
      .split("\n")
      .filter(Boolean)
      .map((l) => (isAbsolute(l) ? l : resolve(workdir, l)));
    return await realpaths(lines);
  } catch {
    return [];
  }
}

/** This installation's root (holds `bin/agenthub.js`), found from this module in src/ or dist/src/. */
function installRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "bin", "agenthub.js"))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * What no agent may write, by default: this installation (its node_modules may be a link elsewhere)
 * and node (the binary's dir and its prefix's lib, where global packages live).
 */
function defaultTools(): string[] {
  const root = installRoot();
  const nodeBin = dirname(process.execPath);
  return [...(root ? [root, join(root, "node_modules")] : []), nodeBin, join(dirname(nodeBin), "lib")];
}

/** Existing directories among `paths` (absolute ones only), realpath'd, each once. */
async function existingDirs(paths: readonly (string | undefined)[]): Promise<string[]> {
  const out = new Set<string>();
  for (const p of await realpaths(paths.filter((x): x is string => !!x && isAbsolute(x)))) {
    const st = await stat(p).catch(() => undefined);
    if (st?.isDirectory()) out.add(p);
  }
  return [...out];
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
  /** More read-only tools (package root, node's prefix); this installation and node always are. */
  tools: readonly string[];
  /** The daemon's PATH, whose directories agents may not write (default: this process's). */
  daemonPath?: string | undefined;
  /** The agents' HOME, for its caches (default: this process's). */
  home?: string | undefined;
}

export class BwrapSandbox implements AgentSandbox {
  readonly isolation = "bwrap" as const;

  constructor(private readonly o: BwrapSandboxOptions) {}

  async wrap(l: SandboxLaunch): Promise<WrappedCommand> {
    // A worktree root created later would otherwise stay visible to agents started before it existed.
    // A root that cannot be created (read-only mount) holds no workspace: realpaths() drops it below.
    await mkdir(this.o.worktreeRoot, { recursive: true, mode: 0o700 }).catch(() => undefined);
    const home = this.o.home ?? process.env.HOME ?? homedir();
    const uid = process.getuid?.();
    const [
      workdir,
      secrets,
      workspaces,
      tools,
      daemonPath,
      homeEntries,
      privateTmp,
      gitDirs,
      realHome,
      readOnly,
    ] = await Promise.all([
      realpath(l.workdir),
      secretsByKind(this.o.secret),
      // A safe path that does not exist holds no workspace; mounting over it would create it.
      realpaths([...this.o.safePaths, this.o.worktreeRoot]),
      realpaths([...this.o.tools, ...defaultTools()]),
      existingDirs((this.o.daemonPath ?? process.env.PATH ?? "").split(delimiter)),
      // A missing entry is not created: a bind needs an existing source.
      realpaths(AGENT_WRITABLE_HOME_ENTRIES.map((e) => join(home, e))),
      existingDirs([
        "/tmp",
        "/var/tmp",
        uid === undefined ? undefined : `/run/user/${uid}`,
        process.env.XDG_RUNTIME_DIR,
      ]),
      // Only from a worktree we just created: a workdir the agent has written to could point its
      // `.git` file anywhere, and we would map that back.
      l.freshWorktree ? gitDirsOf(l.workdir) : Promise.resolve([]),
      realpathOrUndefined(home),
      realpaths(l.readOnly ?? []),
    ]);
    // An entry linked to HOME itself (or above it) would make all of HOME writable.
    const homeWritable = homeEntries.filter((h) => !realHome || !isWithin(realHome, h));
    const args = bwrapArgv({
      secret: secrets.dirs,
      secretFiles: secrets.files,
      workspaces,
      tools,
      daemonPath,
      homeWritable,
      privateTmp,
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
