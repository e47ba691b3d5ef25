import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ensurePrivateDir } from "./cert-files.js";

export const AUTH_SECRET_FILE = "auth_secret.txt";

/**
 * Returns the shared secret stored in `certDir/auth_secret.txt`, generating it (32 random bytes,
 * base64url, mode 0600) when missing. Concurrent first starts agree on one secret (exclusive create).
 */
export async function ensureAuthSecret(certDir: string): Promise<string> {
  const path = join(certDir, AUTH_SECRET_FILE);
  const existing = await readSecret(path);
  if (existing) return existing;
  await ensurePrivateDir(certDir);
  try {
    await writeFile(path, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const secret = await readSecret(path);
  if (!secret) throw new Error(`auth secret file ${path} is empty; delete it to regenerate`);
  return secret;
}

async function readSecret(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
