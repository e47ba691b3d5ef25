import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config-schema.js";
import { loadConfig } from "../config/load-config.js";
import { AppError } from "../errors/registry.js";
import { AuthorityService } from "../gen/agenthub/internal/v1/authority_pb.js";
import type { SecurityMode } from "../grpc/cert-store.js";
import { clientCredentials } from "../grpc/credentials.js";
import { readSigningKey, SIGNING_KEY_FILE } from "../grpc/signing-key.js";
import { mintActorToken } from "../grpc/token-auth.js";
import { makeClient, type TypedClient } from "../grpc/typed-client.js";
import { UsageError } from "./usage.js";

export type AuthorityClient = TypedClient<(typeof AuthorityService)["method"]>;

function pem(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const inline = env[`${name}_PEM`];
  if (inline) return Buffer.from(inline);
  const path = env[name];
  if (!path) return undefined;
  if (!existsSync(path)) throw new UsageError(`${name} points at a missing file: ${path}`);
  return readFileSync(path);
}

/**
 * The agent's actor token: read from AGENTHUB_INTERNAL_GRPC_TOKEN_FILE at every call (the node rewrites
 * it when the hub renews the token, so a long-lived agent, or `actor mcp`, keeps working), falling back
 * to AGENTHUB_INTERNAL_GRPC_TOKEN (the token the agent started with) when there is no such file.
 */
function actorToken(env: NodeJS.ProcessEnv): string | (() => string) | undefined {
  const file = env.AGENTHUB_INTERNAL_GRPC_TOKEN_FILE;
  const fallback = env.AGENTHUB_INTERNAL_GRPC_TOKEN;
  if (!file) return fallback;
  return () => {
    try {
      const t = readFileSync(file, "utf8").trim();
      if (t) return t;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (fallback) return fallback;
    throw new UsageError(`AGENTHUB_INTERNAL_GRPC_TOKEN_FILE points at a missing file: ${file}`);
  };
}

/**
 * What the connection's TLS client identity was read from (mTLS: the certificate file the node
 * rewrites on renewal): a long-lived client reconnects when it changes.
 */
export function clientCertStamp(env: NodeJS.ProcessEnv): string {
  const path = env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT;
  if (!path || env.AGENTHUB_INTERNAL_GRPC_CLIENT_CERT_PEM) return "";
  try {
    const st = statSync(path);
    return `${st.ino}:${st.mtimeMs}`;
  } catch {
    return "";
  }
}

function splitTarget(target: string): { host: string; insecure: boolean } {
  const insecure = target.startsWith("http://");
  return { host: target.replace(/^[a-z]+:\/\//, ""), insecure };
}

/**
 * Connects the actor CLI: from AGENTHUB_* variables (inside an agent), or on the hub's own machine from
 * its config and signing key (acting as the actor named by --actor-id / AGENTHUB_ACTOR_ID). Agents
 * never see that key: their sandbox hides the hub's data directory.
 */
export async function connectAuthority(
  env: NodeJS.ProcessEnv,
  actorId: string | undefined,
): Promise<AuthorityClient> {
  const target = env.AGENTHUB_INTERNAL_GRPC_TARGET;
  const token = actorToken(env);
  if (target && token) {
    const { host, insecure } = splitTarget(target);
    const mode =
      (env.AGENTHUB_INTERNAL_GRPC_SECURITY_MODE as SecurityMode | undefined) ??
      (insecure ? "disabled" : "tls");
    const sec = clientCredentials({
      mode,
      caCert: pem(env, "AGENTHUB_INTERNAL_GRPC_CA_CERT"),
      clientCert: pem(env, "AGENTHUB_INTERNAL_GRPC_CLIENT_CERT"),
      clientKey: pem(env, "AGENTHUB_INTERNAL_GRPC_CLIENT_KEY"),
    });
    return makeClient(AuthorityService, host, sec.credentials, { channelOptions: sec.options, token });
  }
  return connectFromConfig(loadConfig({ env }), actorId);
}

async function connectFromConfig(config: Config, actorId: string | undefined): Promise<AuthorityClient> {
  const ig = config.internal_grpc;
  if (!ig.enabled) {
    throw new AppError("INTERNAL_GRPC_UNAVAILABLE", {
      hint: 'enable it in ~/.agenthub/config.toml: [internal_grpc] enabled = true, listen = "127.0.0.1:50051"',
    });
  }
  const dir = ig.security.cert_dir;
  const key = await readSigningKey(dir).catch(() => undefined);
  if (!key) {
    throw new AppError("INTERNAL_GRPC_UNAVAILABLE", {
      hint: `no AGENTHUB_INTERNAL_GRPC_TOKEN and no readable hub signing key at ${join(dir, SIGNING_KEY_FILE)}: run on the hub's machine as the hub's user after it started once, or inside an agent`,
    });
  }
  const token = await mintActorToken(key, {
    issuer: ig.auth.issuer,
    audience: ig.auth.audience,
    ttlSeconds: 300,
    claims: { role: "admin", actor_id: actorId, permissions: [] },
  });
  const mode = ig.security.mode;
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
  const sec = clientCredentials({
    mode,
    caCert: read("ca.crt"),
    clientCert: mode === "mtls" ? read("client.crt") : undefined,
    clientKey: mode === "mtls" ? read("client.key") : undefined,
  });
  return makeClient(AuthorityService, splitTarget(ig.advertise_target).host, sec.credentials, {
    channelOptions: sec.options,
    token,
  });
}
