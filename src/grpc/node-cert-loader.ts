import type { KeyObject } from "node:crypto";
import { join } from "node:path";
import { OperatorError } from "../errors/operator-error.js";
import { CERT_FILES, readIfExists } from "./cert-files.js";
import { readVerifyKey, VERIFY_KEY_FILE } from "./signing-key.js";

/** What a node serves with and verifies the hub's tokens with. Nothing here can sign a token. */
export interface NodeCertificates {
  caCert: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  /** The hub's Ed25519 public key (`token_signing.pub`). */
  verifyKey: KeyObject;
}

const ISSUE_HINT =
  "Issue them on the hub with `agenthub certs issue-node --name HOST --out DIR` " +
  "and point [internal_grpc.security] cert_dir at DIR (a node never generates its own CA)";

/** Thrown when a node's cert_dir lacks files; `missing` lists the absolute paths looked for. */
export class MissingCertificatesError extends OperatorError {
  constructor(readonly missing: string[]) {
    super(`node certificates missing: ${missing.join(", ")}. ${ISSUE_HINT}`);
    this.name = "MissingCertificatesError";
  }
}

/**
 * Loads a node's material from `certDir`; never generates anything. With `tls: false` (security mode
 * disabled) only the hub's public key is needed: tokens are checked in every mode.
 */
export async function loadNodeCertificates(
  certDir: string,
  opts: { tls: boolean } = { tls: true },
): Promise<NodeCertificates> {
  const pemFiles = opts.tls
    ? ([CERT_FILES.caCert, CERT_FILES.serverCert, CERT_FILES.serverKey] as const)
    : [];
  const pems = await Promise.all(pemFiles.map((name) => readIfExists(join(certDir, name))));
  const verifyKey = await readVerifyKey(join(certDir, VERIFY_KEY_FILE));
  const missing = pemFiles.filter((_, i) => pems[i] === undefined).map((f) => join(certDir, f));
  if (!verifyKey) missing.push(join(certDir, VERIFY_KEY_FILE));
  if (missing.length > 0 || !verifyKey) throw new MissingCertificatesError(missing);
  const [ca, cert, key] = pems.map((p) => Buffer.from(p ?? ""));
  return {
    caCert: ca ?? Buffer.alloc(0),
    serverCert: cert ?? Buffer.alloc(0),
    serverKey: key ?? Buffer.alloc(0),
    verifyKey,
  };
}
