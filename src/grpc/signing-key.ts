import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ensurePrivateDir, readIfExists, writeFileAtomic } from "./cert-files.js";

/** The hub's token-signing key (Ed25519, PKCS#8 PEM, 0600): only the hub's cert dir holds it. */
export const SIGNING_KEY_FILE = "token_signing.key";
/** Its public half (SPKI PEM): what nodes verify the hub's tokens with (0600 like every data file). */
export const VERIFY_KEY_FILE = "token_signing.pub";
/** The HS256 secret of earlier versions: a signing secret nodes held, removed at hub start. */
export const RETIRED_SECRET_FILE = "auth_secret.txt";

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Returns the hub's signing key pair from `certDir`, generating it when missing. The public half is
 * re-derived and rewritten when absent, so a deleted `.pub` never strands a hub.
 */
export async function ensureSigningKeys(certDir: string): Promise<SigningKeys> {
  await ensurePrivateDir(certDir);
  const keyPath = join(certDir, SIGNING_KEY_FILE);
  let pem = await readIfExists(keyPath);
  if (pem === undefined) {
    const fresh = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" });
    // Exclusive create: concurrent first starts (hub + `certs issue-node`) agree on one key.
    await writeFile(keyPath, fresh, { mode: 0o600, flag: "wx" }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
    pem = (await readIfExists(keyPath)) ?? "";
    // The winner of the exclusive create may still be writing: a short wait, not "delete it".
    for (let i = 0; i < 20 && pem.trim() === ""; i++) {
      await new Promise((r) => setTimeout(r, 25));
      pem = (await readIfExists(keyPath)) ?? "";
    }
  }
  const privateKey = parsePrivate(pem, keyPath);
  const publicKey = createPublicKey(privateKey);
  const pubPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  if ((await readIfExists(join(certDir, VERIFY_KEY_FILE))) !== pubPem) {
    await writeFileAtomic(certDir, VERIFY_KEY_FILE, pubPem, 0o600);
  }
  return { privateKey, publicKey };
}

/** Reads the hub's private signing key without creating one (the hub machine's admin CLI). */
export async function readSigningKey(certDir: string): Promise<KeyObject | undefined> {
  const path = join(certDir, SIGNING_KEY_FILE);
  const pem = await readIfExists(path);
  return pem === undefined ? undefined : parsePrivate(pem, path);
}

/** Reads a public verification key; undefined when the file does not exist. */
export async function readVerifyKey(path: string): Promise<KeyObject | undefined> {
  let pem: string;
  try {
    pem = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${path} is not a PEM public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(
      `${path} holds a ${key.asymmetricKeyType} key; agenthub tokens are verified with Ed25519`,
    );
  }
  return key;
}

/** Deletes the retired shared secret so no copy of a signing secret lingers; true when one was removed. */
export async function removeRetiredSecret(certDir: string): Promise<boolean> {
  try {
    await unlink(join(certDir, RETIRED_SECRET_FILE));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

function parsePrivate(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`${path} is not a PEM private key: ${(err as Error).message}; delete it to regenerate`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`${path} holds a ${key.asymmetricKeyType} key, not Ed25519; delete it to regenerate`);
  }
  return key;
}
