import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config.js";
import { AUTH_SECRET_FILE, ensureAuthSecret } from "../grpc/auth-secret.js";
import { issueNodeCertificates } from "../grpc/cert-store.js";
import { UsageError } from "./usage.js";

/**
 * `agenthub certs issue-node --name HOST [--ip IP]... --out DIR`: run on the hub. Writes a node's server
 * and client certificates signed by the hub's CA, the CA certificate, and the hub's shared secret, so
 * a node whose cert_dir is DIR is trusted by the hub with no further step.
 */
export async function certsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "issue-node")
    throw new UsageError("usage: agenthub certs issue-node --name HOST [--ip IP] --out DIR");
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: "string" },
      ip: { type: "string", multiple: true },
      out: { type: "string" },
      config: { type: "string", short: "c" },
    },
    strict: true,
  });
  if (!values.name || !values.out) throw new UsageError("--name and --out are required");
  const config = loadConfig({ path: values.config });
  const caDir = config.internal_grpc.security.cert_dir;
  const paths = await issueNodeCertificates({
    caDir,
    name: values.name,
    ips: values.ip ?? [],
    outDir: values.out,
  });
  // The node verifies the hub's calls with the same HS256 secret.
  const secret = config.internal_grpc.auth.shared_secret;
  const secretFile = join(caDir, AUTH_SECRET_FILE);
  if (!secret) {
    if (!existsSync(secretFile)) await ensureAuthSecret(caDir);
    copyFileSync(secretFile, join(values.out, AUTH_SECRET_FILE));
  }
  process.stdout.write(
    [
      `issued node certificates for ${values.name} into ${values.out}:`,
      `  ${paths.caCert}`,
      `  ${paths.serverCert} (+ key)`,
      `  ${paths.clientCert} (+ key, for mtls)`,
      secret
        ? "  (shared_secret is set in config: give the node the same value)"
        : `  ${join(values.out, AUTH_SECRET_FILE)}`,
      "copy the folder to the node and set its [internal_grpc.security] cert_dir to it",
      "",
    ].join("\n"),
  );
  return 0;
}
