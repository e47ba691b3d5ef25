import { AppError } from "../../errors/registry.js";
import { credentialsPath, readCredentials } from "./credentials.js";
import { HubClient, normalizeHubUrl } from "./hub-client.js";

/** The hub when none is named anywhere: a hub on this machine with the default `[server] listen`. */
export const DEFAULT_HUB = "http://127.0.0.1:8080";

/**
 * Which hub: `--hub`, else `AGENTHUB_HUB`, else the hub last logged in to, else the local default.
 */
export function resolveHub(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const named = flag ?? (env.AGENTHUB_HUB || undefined);
  if (named) return normalizeHubUrl(named);
  return readCredentials(credentialsPath(env)).default_hub ?? DEFAULT_HUB;
}

/**
 * A client for the hub with the caller's token: `AGENTHUB_TOKEN`, else the stored login for that hub.
 * NOT_LOGGED_IN (nothing is sent) when there is neither.
 */
export function openSession(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): HubClient {
  const hub = resolveHub(flag, env);
  const token = env.AGENTHUB_TOKEN || readCredentials(credentialsPath(env)).hubs[hub]?.token;
  if (!token) {
    throw new AppError(
      "NOT_LOGGED_IN",
      { hub },
      { message: `not logged in to ${hub}; run agenthub login --hub ${hub} (or set AGENTHUB_TOKEN)` },
    );
  }
  return new HubClient(hub, token);
}
