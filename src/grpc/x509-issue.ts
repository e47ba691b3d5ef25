import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

/** A certificate with its private key, both as PEM (the key is PKCS#8). */
export interface PemPair {
  cert: string;
  key: string;
}

export interface LeafOptions {
  commonName: string;
  /** Subject alternative names; an IP literal becomes an IP SAN, anything else a DNS SAN. */
  names?: readonly string[];
  usage: "server" | "client";
  validDays?: number;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const b64 = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN PRIVATE KEY-----\n${b64}-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  return webcrypto.subtle.importKey("pkcs8", Buffer.from(b64, "base64"), EC, false, ["sign"]);
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // Back-date a little so small clock skew between machines does not reject a fresh certificate.
  const now = Date.now();
  return { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** A new self-signed CA (10 years by default). */
export async function createCa(commonName: string, validDays = 3650): Promise<PemPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }, { O: ["agenthub"] }],
    keys,
    signingAlgorithm: EC,
    ...validity(validDays),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

/** A server or client certificate signed by `ca` (2 years by default). */
export async function issueLeaf(ca: PemPair, opts: LeafOptions): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const keys = await newKeys();
  const names = [...new Set(opts.names ?? [])];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(
      [opts.usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (names.length > 0) {
    const san = names.map((value) => ({ type: isIP(value) ? ("ip" as const) : ("dns" as const), value }));
    extensions.push(new x509.SubjectAlternativeNameExtension(san, false));
  }
  const cert = await x509.X509CertificateGenerator.create({
    subject: [{ CN: [opts.commonName] }, { O: ["agenthub"] }],
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.key),
    signingAlgorithm: EC,
    ...validity(opts.validDays ?? 730),
    extensions,
  });
  return { cert: cert.toString("pem"), key: await keyPem(keys.privateKey) };
}

/** The SAN names of a PEM certificate (DNS names and IP addresses), its subject CN and its expiry. */
export function describeCert(pem: string): {
  names: string[];
  commonName: string | undefined;
  notAfter: Date;
} {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san ? san.names.items.map((n) => n.value) : [];
  const commonName = new x509.Name(cert.subject).getField("CN")[0];
  return { names, commonName, notAfter: cert.notAfter };
}
