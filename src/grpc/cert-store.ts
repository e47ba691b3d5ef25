import { X509Certificate } from "node:crypto";
import { chmod, copyFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { CERT_FILES, ensurePrivateDir, readIfExists, writeFileAtomic } from "./cert-files.js";
import { ensureSigningKeys, VERIFY_KEY_FILE } from "./signing-key.js";
import type { PemPair } from "./x509-issue.js";

/** The certificate issuer (@peculiar/x509 and its ASN.1 stack): loaded only when something is issued. */
const issuer = () => import("./x509-issue.js");

export type SecurityMode = "tls" | "mtls" | "disabled";

/** Names every generated server certificate covers, besides the configured ones. */
export const DEFAULT_SERVER_NAMES = ["localhost", "127.0.0.1", "::1"] as const;

/** The hub's client certificate's common name: in mTLS mode nodes accept calls from this identity only. */
export const HUB_CLIENT_CN = "agenthub hub";

/** Re-issue a leaf certificate this long before it expires. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface CertPaths {
  certDir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export interface EnsureResult {
  paths: CertPaths;
  /** File names written by this call (empty when everything already existed). */
  generated: string[];
}

export function certPaths(certDir: string): CertPaths {
  const p = (name: string) => join(certDir, name);
  return {
    certDir,
    caCert: p(CERT_FILES.caCert),
    caKey: p(CERT_FILES.caKey),
    serverCert: p(CERT_FILES.serverCert),
    serverKey: p(CERT_FILES.serverKey),
    clientCert: p(CERT_FILES.clientCert),
    clientKey: p(CERT_FILES.clientKey),
  };
}

async function readPair(dir: string, cert: string, key: string): Promise<PemPair | undefined> {
  const [c, k] = await Promise.all([readIfExists(join(dir, cert)), readIfExists(join(dir, key))]);
  return c !== undefined && k !== undefined ? { cert: c, key: k } : undefined;
}

async function writePair(dir: string, cert: string, key: string, pair: PemPair): Promise<void> {
  await writeFileAtomic(dir, key, pair.key, 0o600);
  await writeFileAtomic(dir, cert, pair.cert, 0o644);
}

/**
 * An existing certificate still serves: not expiring soon, covering every name (as a TLS client checks
 * it) and, when given, with that subject CN. Read with Node's own X.509 parser (nothing is loaded to
 * check what is already there).
 */
function usable(pair: PemPair | undefined, names: readonly string[], commonName?: string): boolean {
  if (!pair) return false;
  const cert = new X509Certificate(pair.cert);
  if (commonName !== undefined && /^CN=(.*)$/m.exec(cert.subject)?.[1] !== commonName) return false;
  const covers = (n: string) =>
    (isIP(n) ? cert.checkIP(n) : cert.checkHost(n, { subject: "never" })) !== undefined;
  return Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS && names.every(covers);
}

/**
 * Makes sure `certDir` holds a CA, a server certificate covering localhost, 127.0.0.1, ::1 and
 * `serverNames`, and a client certificate for mTLS. Only missing (or expiring, or name-lacking)
 * files are generated; a new CA re-issues both leaves. `disabled` generates nothing.
 */
export async function ensureCertificates(opts: {
  certDir: string;
  serverNames: readonly string[];
  mode: SecurityMode;
}): Promise<EnsureResult> {
  const paths = certPaths(opts.certDir);
  const generated: string[] = [];
  if (opts.mode === "disabled") return { paths, generated };
  await ensurePrivateDir(opts.certDir);
  const dir = opts.certDir;
  let ca = await readPair(dir, CERT_FILES.caCert, CERT_FILES.caKey);
  const newCa = !ca;
  if (!ca) {
    ca = await (await issuer()).createCa("agenthub internal CA");
    await writePair(dir, CERT_FILES.caCert, CERT_FILES.caKey, ca);
    generated.push(CERT_FILES.caCert, CERT_FILES.caKey);
  }
  const names = [...new Set([...DEFAULT_SERVER_NAMES, ...opts.serverNames])];
  const server = await readPair(dir, CERT_FILES.serverCert, CERT_FILES.serverKey);
  if (newCa || !usable(server, names)) {
    const pair = await (await issuer()).issueLeaf(ca, { commonName: "agenthub hub", names, usage: "server" });
    await writePair(dir, CERT_FILES.serverCert, CERT_FILES.serverKey, pair);
    generated.push(CERT_FILES.serverCert, CERT_FILES.serverKey);
  }
  const client = await readPair(dir, CERT_FILES.clientCert, CERT_FILES.clientKey);
  // Older hubs named their client certificate "agenthub client": re-issue under the identity nodes check.
  if (newCa || !usable(client, [], HUB_CLIENT_CN)) {
    const pair = await (await issuer()).issueLeaf(ca, { commonName: HUB_CLIENT_CN, usage: "client" });
    await writePair(dir, CERT_FILES.clientCert, CERT_FILES.clientKey, pair);
    generated.push(CERT_FILES.clientCert, CERT_FILES.clientKey);
  }
  return { paths, generated };
}

/**
 * A short-lived client certificate for one agent's actor CLI (mTLS mode): signed by the hub's CA so the
 * hub's AuthorityService accepts the TLS handshake, but named `actor:…`, so NodeService refuses it.
 */
export async function issueActorCertificate(caDir: string, actor: string, validDays = 2): Promise<PemPair> {
  const ca = await readPair(caDir, CERT_FILES.caCert, CERT_FILES.caKey);
  if (!ca) throw new Error(`hub CA not found in ${caDir}; start the hub once to generate it`);
  return (await issuer()).issueLeaf(ca, { commonName: `actor:${actor}`, usage: "client", validDays });
}

/**
 * Issues a node's certificates from the hub's CA in `caDir` into `outDir`: server cert/key for
 * `name` (+ `ips`, localhost, 127.0.0.1, ::1), the CA certificate and the hub's public token key. No
 * client certificate (a node never calls other nodes; its agents get per-actor ones) and nothing that
 * signs. Existing files in `outDir` are replaced.
 */
export async function issueNodeCertificates(opts: {
  caDir: string;
  name: string;
  ips?: readonly string[];
  outDir: string;
}): Promise<CertPaths> {
  const ca = await readPair(opts.caDir, CERT_FILES.caCert, CERT_FILES.caKey);
  if (!ca) {
    const files = [CERT_FILES.caCert, CERT_FILES.caKey].map((f) => join(opts.caDir, f)).join(", ");
    throw new Error(`hub CA not found (looked for ${files}); start the hub once to generate it`);
  }
  await ensurePrivateDir(opts.outDir);
  const names = [...new Set([opts.name, ...(opts.ips ?? []), ...DEFAULT_SERVER_NAMES])];
  const server = await (await issuer()).issueLeaf(ca, { commonName: opts.name, names, usage: "server" });
  await writePair(opts.outDir, CERT_FILES.serverCert, CERT_FILES.serverKey, server);
  const caOut = join(opts.outDir, CERT_FILES.caCert);
  await copyFile(join(opts.caDir, CERT_FILES.caCert), caOut);
  await chmod(caOut, 0o644);
  await ensureSigningKeys(opts.caDir);
  const pubOut = join(opts.outDir, VERIFY_KEY_FILE);
  await copyFile(join(opts.caDir, VERIFY_KEY_FILE), pubOut);
  await chmod(pubOut, 0o600);
  return certPaths(opts.outDir);
}
