import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config.js";
import { issueNodeCertificates } from "../grpc/cert-store.js";
import { VERIFY_KEY_FILE } from "../grpc/signing-key.js";
import { UsageError } from "./usage.js";

/**
 * `agenthub certs issue-node --name HOST [--ip IP]... --out DIR`: run on the hub. Writes a node's server
 * certificate and key signed by the hub's CA, the CA certificate, and the hub's public token key, so a
 * node whose cert_dir is DIR is trusted by the hub with no further step. Nothing written can sign a
 * token or a certificate: a compromised node cannot act as the hub.
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
  const pubOut = join(values.out, VERIFY_KEY_FILE);
  process.stdout.write(
    [
      `issued node certificates for ${values.name} into ${values.out}:`,
      `  ${paths.caCert}`,
      `  ${paths.serverCert} (+ key)`,
      `  ${pubOut} (the hub's public token key; it verifies, it cannot sign)`,
      "copy the folder to the node and set its [internal_grpc.security] cert_dir to it;",
      `register the node on the hub with the same id as its [node] id`,
      "",
    ].join("\n"),
  );
  return 0;
}
