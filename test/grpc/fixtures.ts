import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import { AppError } from "../../src/errors/registry.js";
import { AuthorityService } from "../../src/gen/agenthub/internal/v1/authority_pb.js";
import { type Principal, requireSelf, tokenAuthenticator } from "../../src/grpc/call-auth.js";
import { type CertPaths, ensureCertificates, type SecurityMode } from "../../src/grpc/cert-store.js";
import { type ClientTlsOptions, clientCredentials, serverCredentials } from "../../src/grpc/credentials.js";
import { GrpcServer } from "../../src/grpc/grpc-server.js";
import type { ServiceImpl } from "../../src/grpc/service-adapter.js";
import { type ClientOptions, makeClient, type TypedClient } from "../../src/grpc/typed-client.js";
import { requirePermission } from "../../src/hub/actor-permissions.js";
import { tempDir } from "../helpers/temp-dir.js";

/** The test "hub"'s Ed25519 token key pair. */
export const KEYS = generateKeyPairSync("ed25519");
export const AUD = { issuer: "agenthub", audience: "agenthub-internal" };
export const VERIFY = { ...AUD, maxTtlSeconds: 3600 };

/** Fills every method of a service with a handler that fails as "not found", then applies overrides. */
export function stubService<M extends GenServiceMethods, P>(
  desc: GenService<M>,
  overrides: Partial<ServiceImpl<M, P>>,
): ServiceImpl<M, P> {
  const impl: Record<string, unknown> = {};
  for (const m of desc.methods) {
    impl[m.localName] = () => {
      throw new AppError("NOT_FOUND", { method: m.name });
    };
  }
  return { ...impl, ...overrides } as ServiceImpl<M, P>;
}

/** An AuthorityService whose GetInbox checks auth like the real one and echoes who asked. */
export function authorityStub(): ServiceImpl<(typeof AuthorityService)["method"], Principal> {
  return stubService<(typeof AuthorityService)["method"], Principal>(AuthorityService, {
    getInbox: (req, ctx) => {
      requirePermission(ctx.principal, "mailbox:read");
      const self = requireSelf(ctx.principal, { actor_id: req.actorId, run_id: req.runId });
      return {
        messages: [
          { messageId: `m-${self.actor_id}`, runId: self.run_id, fromActorId: "lead", kind: "message" },
        ],
      };
    },
  });
}

export interface Fixture {
  dir: string;
  paths: CertPaths;
  port: number;
  target: string;
  server: GrpcServer;
  client(
    tls: Partial<ClientTlsOptions>,
    opts?: ClientOptions,
  ): TypedClient<(typeof AuthorityService)["method"]>;
  close(): Promise<void>;
}

/** Certificates in a temp dir + a GrpcServer serving the AuthorityService stub on 127.0.0.1:0. */
export async function startAuthority(mode: SecurityMode, serverNames: string[] = []): Promise<Fixture> {
  const tmp = tempDir("agenthub-grpc-");
  const { paths } = await ensureCertificates({ certDir: tmp.path, serverNames, mode });
  const server = new GrpcServer();
  server.addService(AuthorityService, authorityStub(), {
    authenticate: tokenAuthenticator({ verifyKey: KEYS.publicKey, ...VERIFY }),
  });
  const material =
    mode === "disabled"
      ? undefined
      : {
          caCert: await readFile(paths.caCert),
          serverCert: await readFile(paths.serverCert),
          serverKey: await readFile(paths.serverKey),
        };
  const port = await server.listen("127.0.0.1:0", serverCredentials(mode, material));
  const clients: TypedClient<(typeof AuthorityService)["method"]>[] = [];
  const target = `127.0.0.1:${port}`;
  return {
    dir: tmp.path,
    paths,
    port,
    target,
    server,
    client(tls, opts = {}) {
      const sec = clientCredentials({ mode, ...tls });
      const c = makeClient(AuthorityService, target, sec.credentials, {
        ...opts,
        channelOptions: { ...sec.options, ...opts.channelOptions },
      });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.shutdown(1_000);
      tmp.cleanup();
    },
  };
}

/** Resolves with the rejection of `p` (typed as T); fails the test when `p` resolves. */
export function failure<T = Error>(p: Promise<unknown>): Promise<T> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err as T,
  );
}
