import { createServer } from "node:net";
import { OperatorError } from "../errors/operator-error.js";
import { envName } from "./env-overrides.js";

/** Config keys of the addresses daemons listen on (dotted path, as in ENV_KEYS). */
export type ListenKey = "server.listen" | "internal_grpc.listen" | "metrics.listen" | "node.metrics_listen";

/** `server.listen` -> `[server] listen`, as the key appears in config.toml. */
export function tomlKey(path: ListenKey): string {
  const i = path.lastIndexOf(".");
  return `[${path.slice(0, i)}] ${path.slice(i + 1)}`;
}

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "no such address on this machine",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name not found (DNS lookup failed)",
};

/**
 * A daemon cannot listen where its config says: one line naming the address, the config key and how to
 * change it. The CLI prints it without a stack trace and exits 1.
 */
export class ListenError extends OperatorError {
  constructor(
    readonly address: string,
    readonly key: ListenKey,
    readonly reason: string,
    readonly code?: string,
  ) {
    const fix =
      code === "EADDRINUSE" ? "stop the program using it or set another address" : "set another address";
    super(
      `cannot listen on ${address} (${tomlKey(key)}): ${reason}; ${fix} ` +
        `(${tomlKey(key)} in config.toml, or ${envName(key)})`,
    );
    this.name = "ListenError";
  }
}

/** `err` from binding `address` as a ListenError: a system error by its code, anything else by its first line. */
export function listenErrorFrom(err: unknown, address: string, key: ListenKey): ListenError {
  if (err instanceof ListenError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") return new ListenError(address, key, REASONS[code] ?? code, code);
  const message = err instanceof Error ? err.message : String(err);
  return new ListenError(address, key, message.split("\n")[0]!);
}

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(":");
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(address.slice(i + 1)) };
}

/**
 * Binds `address` for a moment and lets it go, so a daemon refuses to start with a ListenError before
 * it does anything else (or before a listener that reports failures without a code, like gRPC's).
 * Port 0 (any free port) always succeeds and is not tried.
 */
export async function assertCanListen(address: string, key: ListenKey): Promise<void> {
  const { host, port } = splitHostPort(address);
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (err) => reject(listenErrorFrom(err, address, key)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
