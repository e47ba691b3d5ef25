import { readFile } from "node:fs/promises";
import * as grpc from "@grpc/grpc-js";
import type { SecurityMode } from "./cert-store.js";

/** PEM material for a server. `caCert` is required in mtls mode (client certificates are checked against it). */
export interface ServerTlsMaterial {
  caCert?: Buffer | undefined;
  serverCert: Buffer;
  serverKey: Buffer;
}

/**
 * Server credentials for a security mode. `disabled` returns insecure credentials; the caller must log
 * a warning at every start. In `mtls` a client without a certificate signed by the CA fails the handshake.
 */
export function serverCredentials(mode: SecurityMode, material?: ServerTlsMaterial): grpc.ServerCredentials {
  if (mode === "disabled") return grpc.ServerCredentials.createInsecure();
  if (!material) throw new Error(`internal gRPC security mode "${mode}" needs a server certificate and key`);
  const keyCerts = [{ private_key: material.serverKey, cert_chain: material.serverCert }];
  if (mode === "tls") return grpc.ServerCredentials.createSsl(null, keyCerts, false);
  if (!material.caCert) throw new Error('internal gRPC security mode "mtls" needs the CA certificate');
  return grpc.ServerCredentials.createSsl(material.caCert, keyCerts, true);
}

/** What a client needs to reach a server. */
export interface ClientTlsOptions {
  mode: SecurityMode;
  /** CA certificate to trust (PEM); required unless mode is disabled. */
  caCert?: Buffer | undefined;
  /** Client certificate and key (PEM); required in mtls mode. */
  clientCert?: Buffer | undefined;
  clientKey?: Buffer | undefined;
  /** Name to verify the server certificate against, when it differs from the target's host. */
  tlsServerName?: string | undefined;
}

export interface ClientChannelSecurity {
  credentials: grpc.ChannelCredentials;
  /** Extra channel options (`grpc.ssl_target_name_override` when a TLS server name was given). */
  options: grpc.ChannelOptions;
}

export function clientCredentials(opts: ClientTlsOptions): ClientChannelSecurity {
  if (opts.mode === "disabled") return { credentials: grpc.credentials.createInsecure(), options: {} };
  if (!opts.caCert) throw new Error("internal gRPC client needs the CA certificate to trust");
  if (opts.mode === "mtls" && (!opts.clientCert || !opts.clientKey)) {
    throw new Error('internal gRPC security mode "mtls" needs a client certificate and key');
  }
  const credentials = grpc.credentials.createSsl(
    opts.caCert,
    opts.clientKey ?? null,
    opts.clientCert ?? null,
  );
  const options: grpc.ChannelOptions = {};
  if (opts.tlsServerName) {
    options["grpc.ssl_target_name_override"] = opts.tlsServerName;
    options["grpc.default_authority"] = opts.tlsServerName;
  }
  return { credentials, options };
}

/** Reads PEM files into a ClientTlsOptions (absent paths stay undefined). */
export async function readClientTls(
  mode: SecurityMode,
  files: { caCert?: string; clientCert?: string; clientKey?: string; tlsServerName?: string },
): Promise<ClientTlsOptions> {
  const read = (p: string | undefined) => (p ? readFile(p) : Promise.resolve(undefined));
  const [caCert, clientCert, clientKey] = await Promise.all([
    read(files.caCert),
    read(files.clientCert),
    read(files.clientKey),
  ]);
  return { mode, caCert, clientCert, clientKey, tlsServerName: files.tlsServerName };
}
