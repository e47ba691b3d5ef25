import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** File names inside a cert_dir. */
export const CERT_FILES = {
  caCert: "ca.crt",
  caKey: "ca.key",
  serverCert: "server.crt",
  serverKey: "server.key",
  clientCert: "client.crt",
  clientKey: "client.key",
} as const;

/** Creates `dir` (and parents) and makes it private (0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** Reads a file, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Writes atomically (temp file + rename). Only the owner bits of `mode` are kept: a cert dir is part
 * of a private data dir, where every file is 0600, certificates and public keys included.
 */
export async function writeFileAtomic(dir: string, name: string, data: string, mode: number): Promise<void> {
  const path = join(dir, name);
  // Unique per call: two writers in one process (parallel first starts) must not share a temp file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const ownerOnly = mode & 0o700;
  await writeFile(tmp, data, { mode: ownerOnly });
  await chmod(tmp, ownerOnly);
  await rename(tmp, path);
}
