import { join } from "node:path";
import { CERT_FILES, readIfExists } from "./cert-files.js";

/** PEM material a node serves (and dials the hub's actor service) with. */
export interface NodeCertificates {
  caCert: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer | undefined;
  clientKey: Buffer | undefined;
}

/** Thrown when a node's cert_dir lacks files; `missing` lists the absolute paths looked for. */
export class MissingCertificatesError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `node certificates missing: ${missing.join(", ")}. ` +
        "Issue them on the hub with `agenthub certs issue-node --name HOST --out DIR` " +
        "and point [internal_grpc.security] cert_dir at DIR (a node never generates its own CA)",
    );
    this.name = "MissingCertificatesError";
  }
}

/** Loads a node's certificates from `certDir`; never generates anything. */
export async function loadNodeCertificates(certDir: string): Promise<NodeCertificates> {
  const required = [CERT_FILES.caCert, CERT_FILES.serverCert, CERT_FILES.serverKey] as const;
  const read = (name: string) => readIfExists(join(certDir, name));
  const [ca, cert, key] = await Promise.all(required.map(read));
  const missing = required.filter((_, i) => [ca, cert, key][i] === undefined).map((f) => join(certDir, f));
  if (ca === undefined || cert === undefined || key === undefined)
    throw new MissingCertificatesError(missing);
  const [clientCert, clientKey] = await Promise.all([
    read(CERT_FILES.clientCert),
    read(CERT_FILES.clientKey),
  ]);
  const both = clientCert !== undefined && clientKey !== undefined;
  return {
    caCert: Buffer.from(ca),
    serverCert: Buffer.from(cert),
    serverKey: Buffer.from(key),
    clientCert: both ? Buffer.from(clientCert) : undefined,
    clientKey: both ? Buffer.from(clientKey) : undefined,
  };
}
