import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../../util/private-files.js";

/** One hub's login: the session token the hub issued, who it is, and when it expires. */
export interface HubLogin {
  token: string;
  username: string;
  expires_at: string;
}

/** `~/.config/agenthub/credentials`: logins per hub URL, and the hub last logged in to (the default). */
export interface Credentials {
  default_hub: string | null;
  hubs: Record<string, HubLogin>;
}

/** `$XDG_CONFIG_HOME/agenthub/credentials`, or `~/.config/agenthub/credentials`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "agenthub", "credentials");
}

export function readCredentials(path: string): Credentials {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { default_hub: null, hubs: {} };
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<Credentials>;
  return { default_hub: parsed.default_hub ?? null, hubs: parsed.hubs ?? {} };
}

/** Writes the file 0600 in a 0700 folder, atomically (a reader never sees half a file). */
export function writeCredentials(path: string, c: Credentials): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  chmodSync(tmp, PRIVATE_FILE_MODE);
  renameSync(tmp, path);
}

export function saveLogin(path: string, hub: string, login: HubLogin): void {
  const c = readCredentials(path);
  writeCredentials(path, { default_hub: hub, hubs: { ...c.hubs, [hub]: login } });
}

/** Forgets one hub's login; true when there was one. */
export function removeLogin(path: string, hub: string): boolean {
  const c = readCredentials(path);
  if (!c.hubs[hub]) return false;
  const { [hub]: _gone, ...hubs } = c.hubs;
  const others = Object.keys(hubs);
  writeCredentials(path, { default_hub: c.default_hub === hub ? (others[0] ?? null) : c.default_hub, hubs });
  return true;
}
