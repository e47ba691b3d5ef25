import { existsSync, readFileSync, statSync } from "node:fs";
import { AuthorityService } from "../gen/agenthub/internal/v1/authority_pb.js";
import type { SecurityMode } from "../grpc/cert-store.js";
import { clientCredentials } from "../grpc/credentials.js";
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

export function splitTarget(target: string): { host: string; insecure: boolean } {
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
  // Only the hub's own machine reads its config and signs a token (TOML, the config schema, JWT signing).
  return (await import("./actor-hub-connection.js")).connectFromHubConfig(env, actorId);
}
