import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load-config.js";
import { AppError } from "../errors/registry.js";
import { AuthorityService } from "../gen/agenthub/internal/v1/authority_pb.js";
import { clientCredentials } from "../grpc/credentials.js";
import { readSigningKey, SIGNING_KEY_FILE } from "../grpc/signing-key.js";
import { mintActorToken } from "../grpc/token-auth.js";
import { makeClient } from "../grpc/typed-client.js";
import { type AuthorityClient, splitTarget } from "./actor-connection.js";

/**
 * The actor CLI on the hub's machine, without an agent's environment: the hub's config and signing key
 * (acting as the actor named by --actor-id / AGENTHUB_ACTOR_ID).
 */
export async function connectFromHubConfig(
  env: NodeJS.ProcessEnv,
  actorId: string | undefined,
): Promise<AuthorityClient> {
  const config = loadConfig({ env });
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
