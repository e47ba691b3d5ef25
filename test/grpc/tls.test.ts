import { readFile } from "node:fs/promises";
import { status } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { isAppError } from "../../src/errors/registry.js";
import { mintActorToken } from "../../src/grpc/token-auth.js";
import { createCa } from "../../src/grpc/x509-issue.js";
import { AUD, type Fixture, KEYS, startAuthority } from "./fixtures.js";

const token = () =>
  mintActorToken(KEYS.privateKey, {
    ...AUD,
    ttlSeconds: 60,
    claims: { role: "worker", team_id: "t1", run_id: "r1", actor_id: "impl", permissions: ["mailbox:read"] },
  });

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

async function expectTransportFailure(p: Promise<unknown>): Promise<string> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: number; details?: string } | undefined;
  expect(err, "call should fail").toBeDefined();
  expect(isAppError(err)).toBe(false);
  expect(err?.code).toBe(status.UNAVAILABLE);
  return err?.details ?? "";
}

describe("internal gRPC over TLS", () => {
  it("round-trips a call over TLS, trusting the generated CA", async () => {
    fx = await startAuthority("tls");
    const client = fx.client({ caCert: await readFile(fx.paths.caCert) }, { token: await token() });
    const res = await client.getInbox({});
    expect(res.messages[0]?.messageId).toBe("m-impl");
    expect(res.messages[0]?.runId).toBe("r1");
  });

  it("verifies a configured TLS server name via ssl_target_name_override", async () => {
    fx = await startAuthority("tls", ["hub.internal"]);
    const ca = await readFile(fx.paths.caCert);
    const ok = fx.client({ caCert: ca, tlsServerName: "hub.internal" }, { token: await token() });
    expect((await ok.getInbox({})).messages).toHaveLength(1);
    const wrong = fx.client({ caCert: ca, tlsServerName: "other.internal" }, { token: await token() });
    const details = await expectTransportFailure(wrong.getInbox({}, { deadlineMs: 3_000 }));
    expect(details).toMatch(/other\.internal|altnames|Hostname/i);
  });

  it("a client trusting another CA fails with a certificate error", async () => {
    fx = await startAuthority("tls");
    const otherCa = await createCa("some other CA");
    const client = fx.client({ caCert: Buffer.from(otherCa.cert) }, { token: await token() });
    const details = await expectTransportFailure(client.getInbox({}, { deadlineMs: 3_000 }));
    expect(details).toMatch(/certificate/i);
  });

  it("round-trips over mTLS with the generated client certificate", async () => {
    fx = await startAuthority("mtls");
    const [caCert, clientCert, clientKey] = await Promise.all(
      [fx.paths.caCert, fx.paths.clientCert, fx.paths.clientKey].map((p) => readFile(p)),
    );
    const client = fx.client({ caCert, clientCert, clientKey }, { token: await token() });
    expect((await client.getInbox({})).messages[0]?.messageId).toBe("m-impl");
  });

  it("refuses an mTLS client without a certificate at the handshake", async () => {
    fx = await startAuthority("mtls");
    const caCert = await readFile(fx.paths.caCert);
    // Plain TLS credentials (no client cert) against the mTLS server.
    const client = fx.client({ mode: "tls", caCert }, { token: await token() });
    await expectTransportFailure(client.getInbox({}, { deadlineMs: 3_000 }));
  });

  it("refuses an mTLS client whose certificate another CA signed", async () => {
    fx = await startAuthority("mtls");
    const caCert = await readFile(fx.paths.caCert);
    const { issueLeaf } = await import("../../src/grpc/x509-issue.js");
    const rogueCa = await createCa("rogue");
    const rogue = await issueLeaf(rogueCa, { commonName: "rogue client", usage: "client" });
    const client = fx.client(
      { caCert, clientCert: Buffer.from(rogue.cert), clientKey: Buffer.from(rogue.key) },
      { token: await token() },
    );
    await expectTransportFailure(client.getInbox({}, { deadlineMs: 3_000 }));
  });

  it("serves plaintext in disabled mode", async () => {
    fx = await startAuthority("disabled");
    const client = fx.client({}, { token: await token() });
    expect((await client.getInbox({})).messages).toHaveLength(1);
  });
});
