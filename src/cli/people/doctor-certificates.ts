import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../config/config-schema.js";
import { CERT_FILES } from "../../grpc/cert-files.js";
import { DEFAULT_SERVER_NAMES } from "../../grpc/cert-store.js";
import { SIGNING_KEY_FILE } from "../../grpc/signing-key.js";
import { describeCert } from "../../grpc/x509-issue.js";
import { type CheckResult, fail, ok, warn } from "./doctor-check.js";

const DAY_MS = 86_400_000;
/** The hub re-issues a leaf certificate expiring within this (cert-store's RENEW_BEFORE). */
const RENEW_DAYS = 30;

const RESTART_FIX =
  "restart the hub: at start it re-issues server and client certificates that expire within 30 days or lack a configured name";

function certificate(dir: string, file: string, config: Config, now: number): CheckResult {
  const name = `certificate ${file}`;
  let info: ReturnType<typeof describeCert>;
  try {
    info = describeCert(readFileSync(join(dir, file), "utf8"));
  } catch (err) {
    return fail(
      name,
      `${join(dir, file)} cannot be read as a certificate (${(err as Error).message})`,
      `remove it and ${RESTART_FIX}`,
    );
  }
  const left = info.notAfter.getTime() - now;
  const until = info.notAfter.toISOString().slice(0, 10);
  const isCa = file === CERT_FILES.caCert;
  const caFix = `move ${dir} away, restart the hub (a new CA is made) and re-run agenthub certs issue-node for every node`;
  if (left <= 0) return fail(name, `expired on ${until}`, isCa ? caFix : RESTART_FIX);
  if (file === CERT_FILES.serverCert) {
    const wanted = [...new Set([...DEFAULT_SERVER_NAMES, ...config.internal_grpc.tls_server_names])];
    const missing = wanted.filter((n) => !info.names.includes(n));
    if (missing.length > 0) {
      return fail(
        name,
        `does not cover ${missing.join(", ")} ([internal_grpc] tls_server_names); agents dialing that name fail TLS`,
        RESTART_FIX,
      );
    }
  }
  if (left < RENEW_DAYS * DAY_MS) {
    return warn(name, `expires on ${until}`, isCa ? caFix : RESTART_FIX);
  }
  const names = file === CERT_FILES.serverCert ? `, names ${info.names.join(", ")}` : "";
  return ok(name, `valid until ${until}${names}`);
}

/** The internal gRPC certificates: present, not expired or expiring, the server's covering every name. */
export function checkCertificates(config: Config, now = Date.now()): CheckResult[] {
  const sec = config.internal_grpc.security;
  if (!config.internal_grpc.enabled) return [ok("certificates", "internal gRPC is disabled")];
  if (sec.mode === "disabled") {
    return [
      warn(
        "certificates",
        'internal gRPC runs without TLS ([internal_grpc.security] mode = "disabled"): tokens cross the network in clear',
        'set mode = "tls" (or "mtls")',
      ),
    ];
  }
  const dir = sec.cert_dir;
  if (!existsSync(join(dir, CERT_FILES.caCert))) {
    return [ok("certificates", `none in ${dir} yet: the hub makes them at its first start`)];
  }
  const files = [
    CERT_FILES.caCert,
    CERT_FILES.serverCert,
    ...(sec.mode === "mtls" ? [CERT_FILES.clientCert] : []),
  ];
  const out = files.map((f) =>
    existsSync(join(dir, f))
      ? certificate(dir, f, config, now)
      : warn(`certificate ${f}`, `missing in ${dir}`, RESTART_FIX),
  );
  const key = join(dir, SIGNING_KEY_FILE);
  if (!existsSync(key))
    out.push(warn("token signing key", `${key} is missing`, "restart the hub: it generates one"));
  else if ((statSync(key).mode & 0o077) !== 0) {
    out.push(fail("token signing key", `${key} is readable by others`, `chmod 600 ${key}`));
  } else out.push(ok("token signing key", `${key} (0600)`));
  return out;
}
