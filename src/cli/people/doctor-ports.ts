import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:tls";
import type { Config } from "../../config/config-schema.js";
import { envName } from "../../config/env-overrides.js";
import { assertCanListen, ListenError, type ListenKey, tomlKey } from "../../config/listen.js";
import { CERT_FILES } from "../../grpc/cert-files.js";
import { type CheckResult, fail, ok, skip } from "./doctor-check.js";

/** `0.0.0.0:8080` -> an address to connect to on this machine. */
export function localTarget(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(i + 1));
  if (host === "0.0.0.0") return { host: "127.0.0.1", port };
  if (host === "::") return { host: "::1", port };
  return { host, port };
}

/** The version of the agenthub hub answering `GET /health` there, if one does. */
export async function hubVersionAt(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json()) as { status?: unknown; version?: unknown };
    return body.status === "ok" && typeof body.version === "string" ? body.version : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a TLS server there presents a certificate of this hub's CA. */
function servesOurCertificate(host: string, port: number, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, ca, servername: "localhost", timeout: 3000 });
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.once("secureConnect", () => done(socket.authorized));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

const fixFor = (key: ListenKey) =>
  `stop the program using it or set another address (${tomlKey(key)} in config.toml, or ${envName(key)})`;

async function checkPort(
  key: ListenKey,
  address: string,
  ours: (host: string, port: number) => Promise<string | undefined>,
): Promise<CheckResult> {
  const name = `port ${tomlKey(key)}`;
  if (localTarget(address).port === 0) return skip(name, `${address}: any free port`);
  try {
    await assertCanListen(address, key);
    return ok(name, `${address} is free (no hub listens there now)`);
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    if (err.code !== "EADDRINUSE") return fail(name, `${address}: ${err.reason}`, "set another address");
    const { host, port } = localTarget(address);
    const who = await ours(host, port);
    if (who) return ok(name, `${address} is used by this hub (${who})`);
    return fail(name, `${address} is in use by another program`, fixFor(key));
  }
}

/** Each address the hub listens on: free, or used by this hub; anything else fails naming the key. */
export async function checkPorts(config: Config): Promise<CheckResult[]> {
  const out = [
    await checkPort("server.listen", config.server.listen, async (host, port) => {
      const v = await hubVersionAt(`http://${host.includes(":") ? `[${host}]` : host}:${port}`);
      return v && `agenthub ${v} answers /health`;
    }),
  ];
  const ig = config.internal_grpc;
  if (!ig.enabled) {
    out.push(skip(`port ${tomlKey("internal_grpc.listen")}`, "internal gRPC is disabled"));
    return out;
  }
  out.push(
    await checkPort("internal_grpc.listen", ig.listen, async (host, port) => {
      if (ig.security.mode === "disabled") {
        // No certificate to recognise it by: this hub answering on its REST port is the best sign.
        const { host: h, port: p } = localTarget(config.server.listen);
        const v = await hubVersionAt(`http://${h.includes(":") ? `[${h}]` : h}:${p}`);
        return v && "internal gRPC without TLS; this hub answers on [server] listen";
      }
      let ca: string;
      try {
        ca = readFileSync(join(ig.security.cert_dir, CERT_FILES.caCert), "utf8");
      } catch {
        return undefined;
      }
      return (await servesOurCertificate(host, port, ca))
        ? "its TLS certificate is from this hub's CA"
        : undefined;
    }),
  );
  return out;
}
