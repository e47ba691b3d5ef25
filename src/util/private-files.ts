import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, type Stats } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/**
 * Owner-only modes for what the daemons keep on disk (database, keys, event logs, pidfiles). Modes are
 * explicit where a file or folder is created rather than a process umask: agents and git inherit the
 * daemon's umask, and the files they write in their workdirs must keep normal modes.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (missing parents too) as 0700; an existing `dir` is made 0700. */
export function ensurePrivateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates an empty 0600 file unless it exists; an existing one is made 0600. */
export function ensurePrivateFileSync(path: string): void {
  closeSync(openSync(path, "a", PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes an existing file 0600; a file that is not there is fine (e.g. SQLite removed its -wal). */
export function makeFilePrivateIfExists(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Drops group/other bits: a folder ends 0700, a file keeps only its owner's bits (a data file 0600). */
function dropGroupOther(path: string, st: Stats): void {
  const mode = st.mode & 0o7777;
  const target = st.isDirectory() ? PRIVATE_DIR_MODE : mode & 0o700;
  if (mode !== target) chmodSync(path, target);
}

/** `root` and everything below it made owner-only, except what `skip` names. Symlinks are not followed. */
export function makeTreePrivate(root: string, skip: (path: string) => boolean = () => false): void {
  const st = lstatIfExists(root);
  if (!st || st.isSymbolicLink() || skip(root)) return;
  dropGroupOther(root, st);
  if (!st.isDirectory()) return;
  for (const name of readdirSync(root)) makeTreePrivate(join(root, name), skip);
}

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export interface DataDirLayout {
  /** `$AGENTHUB_HOME`. */
  home: string;
  /** Folders wholly ours (node data, cert dir): everything below them is made owner-only. */
  trees: readonly string[];
  /** Holds agents' worktrees: the folder itself is made 0700 when it is inside `home`, never its contents. */
  worktreeRoot: string;
  /** Users' project folders: never touched when configured inside `home`. */
  safePaths: readonly string[];
}

/**
 * Brings a data dir made by an older version (or by hand) to the modes this one creates: `home` 0700,
 * its files 0600, our folders 0700 all the way down. Agents' workspaces keep their modes (their files
 * are the user's work), and a data dir that is the user's own home directory only has our files fixed.
 */
export function secureDataDir(l: DataDirLayout): void {
  const home = resolve(l.home);
  const worktreeRoot = resolve(l.worktreeRoot);
  const trees = l.trees.map((p) => resolve(p));
  // Only a project folder configured inside the data dir could be reached from here.
  const projects = l.safePaths.map((p) => resolve(p)).filter((s) => s !== home && isWithin(s, home));
  const skip = (p: string) => p === worktreeRoot || projects.some((s) => isWithin(p, s));
  const isHomeDir = home === resolve(homedir());
  if (!isHomeDir) ensurePrivateDirSync(home);
  for (const tree of trees) makeTreePrivate(tree, skip);
  if (isWithin(worktreeRoot, home) && lstatIfExists(worktreeRoot)?.isDirectory()) {
    chmodSync(worktreeRoot, PRIVATE_DIR_MODE);
  }
  if (isHomeDir) {
    for (const name of KNOWN_HOME_FILES) makeFilePrivateIfExists(join(home, name));
    return;
  }
  for (const name of readdirSync(home)) {
    const path = join(home, name);
    // An entry may vanish between the listing and here (a temp file, another daemon's journal).
    const st = lstatIfExists(path);
    if (!st) continue;
    // Files are ours; an unknown folder is made 0700 itself, but its contents may be anything, so they
    // keep their modes. Project folders (and folders holding one) are left as they are.
    if (st.isFile()) dropGroupOther(path, st);
    else if (st.isDirectory() && !skip(path) && !projects.some((s) => isWithin(s, path)))
      dropGroupOther(path, st);
  }
}

/** What the hub writes directly in `$AGENTHUB_HOME`. */
const KNOWN_HOME_FILES = [
  "agenthub.db",
  "agenthub.db-wal",
  "agenthub.db-shm",
  "bootstrap-join.txt",
  "config.toml",
];
