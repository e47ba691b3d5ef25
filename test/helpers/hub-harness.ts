import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { stringify } from "smol-toml";
import { HubDaemon } from "../../src/app/hub-daemon.js";
import type { ConfigInput } from "../../src/config/config-schema.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { SyncFile } from "../../src/store/group-commit.js";
import type { Clock } from "../../src/util/clock.js";
import { createLogger } from "../../src/util/logger.js";
import { tempDir } from "./temp-dir.js";

/**
 * The hub's clock in tests: frozen at its creation (only `advance` moves it), or, `running`, real time
 * plus whatever `advance` added (for tests that measure real durations, e.g. step timings).
 */
export class FakeClock implements Clock {
  private readonly base = Date.now();
  private added = 0;
  constructor(private readonly running = false) {}
  now(): number {
    return (this.running ? Date.now() : this.base) + this.added;
  }
  advance(ms: number): void {
    this.added += ms;
  }
}

export interface HarnessOptions {
  /** The hub's clock runs in real time instead of being frozen (still advanceable). */
  runningClock?: boolean;
  /** Replaces the fdatasync of the database's WAL file (to hold it and see what waits for the disk). */
  syncFile?: SyncFile;
}

export interface Harness {
  hub: HubDaemon;
  url: string;
  home: string;
  clock: FakeClock;
  banner: string;
  logs: () => string;
  /** Stops the hub and starts a new one on the same data dir (restart persistence). */
  restart: () => Promise<Harness>;
  close: () => Promise<void>;
}

/** An in-process hub on 127.0.0.1:0 in a temp AGENTHUB_HOME, logging at debug into a captured buffer. */
export async function startHub(
  overrides: ConfigInput = {},
  existingHome?: string,
  opts: HarnessOptions = {},
): Promise<Harness> {
  const dir = existingHome ? { path: existingHome, cleanup: () => {} } : tempDir();
  const home = dir.path;
  const toml = {
    ...overrides,
    server: { listen: "127.0.0.1:0", ...(overrides.server ?? {}) },
    internal_grpc: { listen: "127.0.0.1:0", ...(overrides.internal_grpc ?? {}) },
  };
  writeFileSync(join(home, "config.toml"), stringify(toml));
  const config = loadConfig({ env: { AGENTHUB_HOME: home, HOME: home } });
  const sink = new PassThrough();
  let captured = "";
  sink.on("data", (c: Buffer) => {
    captured += c.toString("utf8");
  });
  const logger = createLogger({ level: "debug", format: "json", destination: sink });
  const clock = new FakeClock(opts.runningClock);
  let banner = "";
  const hub = new HubDaemon({
    config,
    logger,
    clock,
    console: (t) => (banner += t),
    ...(opts.syncFile ? { syncFile: opts.syncFile } : {}),
  });
  await hub.start();
  const h: Harness = {
    hub,
    url: hub.url,
    home,
    clock,
    banner,
    logs: () => captured,
    restart: async () => {
      await hub.stop();
      return startHub(overrides, home, opts).then((next) => {
        const close = next.close;
        next.close = async () => {
          await close();
          dir.cleanup();
        };
        return next;
      });
    },
    close: async () => {
      await hub.stop();
      dir.cleanup();
    },
  };
  return h;
}

export function parseBanner(banner: string): { join_token: string; pin: string } {
  const token = /join_token: (\S+)/.exec(banner)?.[1];
  const pin = /pin:\s+(\d{6})/.exec(banner)?.[1];
  if (!token || !pin) throw new Error(`no challenge in banner: ${banner}`);
  return { join_token: token, pin };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** Small JSON client for tests. */
export async function api<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${url}${path}`, {
    method,
    headers,
    body:
      opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
          ? opts.body
          : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}

/** Starts a hub and joins as root; returns the root token too. */
export async function startHubWithRoot(
  overrides: ConfigInput = {},
  opts: HarnessOptions = {},
): Promise<Harness & { rootToken: string; rootPassword: string }> {
  const h = await startHub(overrides, undefined, opts);
  const { join_token, pin } = parseBanner(h.banner);
  const rootPassword = "correct horse battery";
  const res = await api<{ token: string }>(h.url, "POST", "/api/join", {
    body: { join_token, pin, username: "root", password: rootPassword },
  });
  if (res.status !== 201) throw new Error(`root join failed: ${JSON.stringify(res.body)}`);
  return Object.assign(h, { rootToken: res.body.token, rootPassword });
}

/** Root invites a user; returns that user's token. */
export async function addUser(h: { url: string }, rootToken: string, username: string): Promise<string> {
  const ch = await api<{ join_token: string; pin: string }>(h.url, "POST", "/api/admin/join-challenges", {
    token: rootToken,
  });
  const res = await api<{ token: string }>(h.url, "POST", "/api/join", {
    body: { join_token: ch.body.join_token, pin: ch.body.pin, username, password: `password-of-${username}` },
  });
  if (res.status !== 201) throw new Error(`join failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}
