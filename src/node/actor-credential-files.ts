import { chmodSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ActorCredentials } from "../contracts/node-client.js";
import { AppError } from "../errors/registry.js";

/** The agent's actor token, as the hub minted it at start (what the actor CLI falls back to). */
export const TOKEN_ENV = "AGENTHUB_INTERNAL_GRPC_TOKEN";
/** The file holding the agent's current actor token, rewritten by the node when the hub renews it. */
export const TOKEN_FILE_ENV = "AGENTHUB_INTERNAL_GRPC_TOKEN_FILE";
/** mTLS: the per-actor client certificate and key, inline (`_PEM`) or as files (without the suffix). */
const CERT_ENV = "AGENTHUB_INTERNAL_GRPC_CLIENT_CERT";
const KEY_ENV = "AGENTHUB_INTERNAL_GRPC_CLIENT_KEY";

const FILES = { token: "token", cert: "client.crt", key: "client.key" } as const;

/** Agent ids name folders here: never a path. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path); // readers see the old file or the new one, never half of one
}

/**
 * Member agents' actor credentials as files (`<root>/<agent_id>/token`, 0600 in 0700 folders), so the
 * node can replace them while the agent runs: the hub renews a token before it expires and the actor
 * CLI reads the file at each call. The node's data dir is hidden from sandboxed agents; each agent's
 * own folder is mapped back into its sandbox read-only ({@link PreparedCredentials.dir}).
 */
export class ActorCredentialFiles {
  constructor(private readonly root: string) {}

  private dirOf(agentId: string): string {
    if (!SAFE_ID.test(agentId)) {
      throw new AppError("BAD_REQUEST", { agent_id: agentId }, { message: "invalid agent id" });
    }
    return join(this.root, agentId);
  }

  /** At node start: the agents of a previous run are gone, and so are their credentials. */
  clear(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * For an agent starting with an actor token in `env`: writes its credential files and returns the
   * environment pointing at them (the token stays in `env` too, for older actor CLIs), or undefined
   * for an agent without one.
   */
  prepare(agentId: string, env: Readonly<Record<string, string>>): PreparedCredentials | undefined {
    const token = env[TOKEN_ENV];
    if (!token) return undefined;
    mkdirSync(this.dirOf(agentId), { recursive: true, mode: 0o700 });
    chmodSync(this.root, 0o700);
    // Resolved: the sandbox maps the real path in, and the agent must find its files there.
    const dir = realpathSync(this.dirOf(agentId));
    chmodSync(dir, 0o700);
    const out: Record<string, string> = { ...env, [TOKEN_FILE_ENV]: join(dir, FILES.token) };
    const cert = env[`${CERT_ENV}_PEM`];
    const key = env[`${KEY_ENV}_PEM`];
    this.write(dir, { token, client_cert_pem: cert, client_key_pem: key });
    if (cert && key) {
      // As files only: a renewed certificate must win over the one the agent started with.
      delete out[`${CERT_ENV}_PEM`];
      delete out[`${KEY_ENV}_PEM`];
      out[CERT_ENV] = join(dir, FILES.cert);
      out[KEY_ENV] = join(dir, FILES.key);
    }
    return { env: out, dir };
  }

  /** Replaces a running agent's credentials; its folder must exist (it started with a token). */
  renew(agentId: string, credentials: ActorCredentials): void {
    const dir = this.dirOf(agentId);
    if (!existsSync(join(dir, FILES.token))) {
      throw new AppError(
        "CONFLICT",
        { agent_id: agentId },
        { message: "agent has no actor token file (it was not started as a team member)" },
      );
    }
    this.write(dir, credentials);
  }

  remove(agentId: string): void {
    rmSync(this.dirOf(agentId), { recursive: true, force: true });
  }

  private write(dir: string, c: ActorCredentials): void {
    // Certificate and key before the token: a reader that sees the new token finds the matching pair.
    if (c.client_cert_pem && c.client_key_pem) {
      writeAtomic(join(dir, FILES.key), c.client_key_pem);
      writeAtomic(join(dir, FILES.cert), c.client_cert_pem);
    }
    writeAtomic(join(dir, FILES.token), c.token);
  }
}

export interface PreparedCredentials {
  /** The agent's environment, with TOKEN_FILE_ENV (and in mTLS the certificate files) set. */
  env: Record<string, string>;
  /** The agent's credential folder: readable (read-only) inside its sandbox. */
  dir: string;
}
