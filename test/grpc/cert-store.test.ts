import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { NodeService } from "../../src/gen/agenthub/internal/v1/node_pb.js";
import { requireHubCertificate, tokenAuthenticator } from "../../src/grpc/call-auth.js";
import {
  ensureCertificates,
  HUB_CLIENT_CN,
  issueActorCertificate,
  issueNodeCertificates,
} from "../../src/grpc/cert-store.js";
import { clientCredentials, serverCredentials } from "../../src/grpc/credentials.js";
import { GrpcServer } from "../../src/grpc/grpc-server.js";
import { loadNodeCertificates, MissingCertificatesError } from "../../src/grpc/node-cert-loader.js";
import { ensureSigningKeys, SIGNING_KEY_FILE, VERIFY_KEY_FILE } from "../../src/grpc/signing-key.js";
import { mintActorToken, nodeAudience } from "../../src/grpc/token-auth.js";
import { makeClient } from "../../src/grpc/typed-client.js";
import { describeCert } from "../../src/grpc/x509-issue.js";
import { tempDir } from "../helpers/temp-dir.js";
import { failure, stubService } from "./fixtures.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function tmp(): string {
  const t = tempDir("agenthub-certs-");
  cleanups.push(t.cleanup);
  return t.path;
}
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe("certificate store", () => {
  it("generates CA, server and client certificates once; keys 0600, dir 0700", async () => {
    const certDir = join(tmp(), "internal-grpc");
    const first = await ensureCertificates({
      certDir,
      serverNames: ["hub.internal", "10.1.2.3"],
      mode: "mtls",
    });
    expect(first.generated.sort()).toEqual(
      ["ca.crt", "ca.key", "client.crt", "client.key", "server.crt", "server.key"].sort(),
    );
    expect(await modeOf(certDir)).toBe(0o700);
    for (const key of [first.paths.caKey, first.paths.serverKey, first.paths.clientKey]) {
      expect(await modeOf(key)).toBe(0o600);
    }
    const san = describeCert(await readFile(first.paths.serverCert, "utf8")).names;
    expect(san).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", "hub.internal", "10.1.2.3"]));
    expect(san.some((n) => n === "::1" || n === "0:0:0:0:0:0:0:1")).toBe(true);

    const again = await ensureCertificates({
      certDir,
      serverNames: ["hub.internal", "10.1.2.3"],
      mode: "mtls",
    });
    expect(again.generated).toEqual([]);
    // A newly configured name re-issues only the server certificate, from the same CA.
    const more = await ensureCertificates({ certDir, serverNames: ["hub2.internal"], mode: "tls" });
    expect(more.generated).toEqual(["server.crt", "server.key"]);
  });

  it("disabled mode generates nothing", async () => {
    const certDir = join(tmp(), "none");
    const res = await ensureCertificates({ certDir, serverNames: [], mode: "disabled" });
    expect(res.generated).toEqual([]);
    await expect(stat(certDir)).rejects.toThrow();
  });

  it("node certificates issued from the hub CA: the hub's client passes, an agent's certificate does not (mTLS)", async () => {
    const hubDir = tmp();
    const hub = await ensureCertificates({ certDir: hubDir, serverNames: [], mode: "mtls" });
    const keys = await ensureSigningKeys(hubDir);
    const nodeDir = join(tmp(), "node-certs");
    await issueNodeCertificates({ caDir: hubDir, name: "node-01.lan", ips: ["192.0.2.7"], outDir: nodeDir });
    expect(await modeOf(join(nodeDir, "server.key"))).toBe(0o600);
    // Nothing that signs a certificate or a token reaches a node.
    for (const f of ["ca.key", "client.key", "client.crt", SIGNING_KEY_FILE, "auth_secret.txt"]) {
      await expect(stat(join(nodeDir, f))).rejects.toThrow();
    }
    expect(await readFile(join(nodeDir, VERIFY_KEY_FILE), "utf8")).toBe(
      await readFile(join(hubDir, VERIFY_KEY_FILE), "utf8"),
    );

    const certs = await loadNodeCertificates(nodeDir);
    const server = new GrpcServer().addService(
      NodeService,
      stubService(NodeService, { getInfo: () => ({ nodeId: "node-01" }) }),
      {
        authenticate: tokenAuthenticator({
          verifyKey: certs.verifyKey,
          issuer: "agenthub",
          audience: nodeAudience("agenthub-internal", "node-01"),
          maxTtlSeconds: 3600,
          roles: ["hub"],
          checkPeer: requireHubCertificate,
        }),
      },
    );
    const port = await server.listen("127.0.0.1:0", serverCredentials("mtls", certs));
    cleanups.push(() => server.shutdown(1_000));
    const token = await mintActorToken(keys.privateKey, {
      issuer: "agenthub",
      audience: nodeAudience("agenthub-internal", "node-01"),
      ttlSeconds: 60,
      claims: { role: "hub", permissions: [] },
    });

    const caCert = await readFile(hub.paths.caCert);
    const dial = (clientCert: Buffer, clientKey: Buffer) => {
      const sec = clientCredentials({
        mode: "mtls",
        caCert,
        clientCert,
        clientKey,
        tlsServerName: "node-01.lan",
      });
      const client = makeClient(NodeService, `127.0.0.1:${port}`, sec.credentials, {
        channelOptions: sec.options,
        token,
      });
      cleanups.push(() => client.close());
      return client;
    };
    expect(describeCert(await readFile(hub.paths.clientCert, "utf8")).commonName).toBe(HUB_CLIENT_CN);
    const asHub = dial(await readFile(hub.paths.clientCert), await readFile(hub.paths.clientKey));
    expect((await asHub.getInfo({})).nodeId).toBe("node-01");

    // An agent's per-actor certificate passes the TLS handshake (same CA) but not the node's identity check.
    const actor = await issueActorCertificate(hubDir, "team-1/impl");
    const asAgent = dial(Buffer.from(actor.cert), Buffer.from(actor.key));
    const err = await failure<{ code: string }>(asAgent.getInfo({}));
    expect(err.code).toBe("UNTRUSTED_PEER");
  });

  it("issuing node certificates without a hub CA names the files looked for", async () => {
    const empty = tmp();
    await expect(
      issueNodeCertificates({ caDir: empty, name: "n", outDir: join(empty, "out") }),
    ).rejects.toThrow(join(empty, "ca.key"));
  });

  it("the node certificate loader names the missing files and never generates", async () => {
    const dir = tmp();
    await issueNodeCertificates({
      caDir: (await ensureCertificates({ certDir: tmp(), serverNames: [], mode: "tls" })).paths.certDir,
      name: "n1",
      outDir: dir,
    });
    await rm(join(dir, "server.key"));
    await rm(join(dir, "ca.crt"));
    const err = await failure<MissingCertificatesError>(loadNodeCertificates(dir));
    expect(err).toBeInstanceOf(MissingCertificatesError);
    expect(err.missing).toEqual([join(dir, "ca.crt"), join(dir, "server.key")]);
    expect(err.message).toContain(join(dir, "server.key"));
    expect(err.message).toContain("agenthub certs issue-node");
    await expect(stat(join(dir, "ca.crt"))).rejects.toThrow();
  });

  it("ensureSigningKeys generates one Ed25519 key and its public half (both 0600), then reuses them", async () => {
    const dir = join(tmp(), "cd");
    const [a, b] = await Promise.all([ensureSigningKeys(dir), ensureSigningKeys(dir)]);
    const pem = (k: typeof a.publicKey) => k.export({ format: "pem", type: "spki" }).toString();
    expect(pem(a.publicKey)).toBe(pem(b.publicKey));
    expect(a.privateKey.asymmetricKeyType).toBe("ed25519");
    expect(pem((await ensureSigningKeys(dir)).publicKey)).toBe(pem(a.publicKey));
    expect(await modeOf(join(dir, SIGNING_KEY_FILE))).toBe(0o600);
    expect(await modeOf(join(dir, VERIFY_KEY_FILE))).toBe(0o600);
    expect(await modeOf(dir)).toBe(0o700);
  });
});

describe("credentials", () => {
  it("refuse to build TLS credentials without the material they need", () => {
    expect(() => serverCredentials("tls")).toThrow(/server certificate/);
    expect(() => clientCredentials({ mode: "tls" })).toThrow(/CA certificate/);
    expect(() => clientCredentials({ mode: "mtls", caCert: Buffer.from("x") })).toThrow(/client certificate/);
    expect(clientCredentials({ mode: "disabled" }).credentials).toBeInstanceOf(grpc.ChannelCredentials);
  });
});
