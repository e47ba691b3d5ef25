import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuthService, IssuedChallenge } from "./auth-service.js";

export const BOOTSTRAP_FILE = "bootstrap-join.txt";

export function bootstrapFilePath(home: string): string {
  return join(home, BOOTSTRAP_FILE);
}

export function formatChallenge(c: IssuedChallenge, listenUrl: string): string {
  const expires = new Date(c.expires_at).toISOString();
  return [
    "agenthub: no root user yet. Join as root within 10 minutes:",
    `  join_token: ${c.join_token}`,
    `  pin:        ${c.pin}`,
    `  expires_at: ${expires}`,
    `  in a browser: ${listenUrl}/join (the console), or from a shell:`,
    `  curl -s -X POST ${listenUrl}/api/join -H 'content-type: application/json' \\`,
    `    -d '{"join_token":"${c.join_token}","pin":"${c.pin}","username":"root","password":"<choose one>"}'`,
    "  (expired? run `agenthub join-challenge` on this machine for a fresh one)",
    "",
  ].join("\n");
}

/**
 * Writes the challenge to a 0600 file in the data dir (for headless installs, e.g. under systemd) and
 * returns the console text. The secret never goes through the logger.
 */
export function publishChallenge(home: string, c: IssuedChallenge, listenUrl: string): string {
  const text = formatChallenge(c, listenUrl);
  const path = bootstrapFilePath(home);
  rmSync(path, { force: true });
  writeFileSync(path, text, { mode: 0o600 });
  return text;
}

/** Once root exists the bootstrap file is useless and should not linger. */
export function removeBootstrapFile(home: string): void {
  rmSync(bootstrapFilePath(home), { force: true });
}

export async function ensureRootChallenge(
  auth: AuthService,
  home: string,
  listenUrl: string,
): Promise<string | null> {
  if (auth.hasRoot()) {
    removeBootstrapFile(home);
    return null;
  }
  // The file holds a live root challenge: it goes as soon as root has joined, not at the next start.
  auth.onRootJoined(() => removeBootstrapFile(home));
  return publishChallenge(home, await auth.createRootChallenge(), listenUrl);
}
