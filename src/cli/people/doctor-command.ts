import { join } from "node:path";
import { ConfigError } from "../../config/config-error.js";
import type { Config } from "../../config/config-schema.js";
import { agenthubHome, loadConfig } from "../../config/load-config.js";
import { credentialsPath, readCredentials } from "./credentials.js";
import { checkCertificates } from "./doctor-certificates.js";
import { type CheckResult, fail, formatCheck, ok, skip } from "./doctor-check.js";
import { checkDatabase } from "./doctor-database.js";
import { checkHub, checkNodes } from "./doctor-hub.js";
import { checkGit, checkIsolation } from "./doctor-machine.js";
import { checkPorts, localTarget } from "./doctor-ports.js";
import { checkProviders } from "./doctor-providers.js";
import { EXIT } from "./exit-codes.js";
import { HubClient, normalizeHubUrl } from "./hub-client.js";
import { print, printJson } from "./output.js";
import { parseFlags, positionals } from "./people-flags.js";

export const DOCTOR_USAGE = `usage: agenthub doctor [--config PATH] [--hub URL] [--json]
  checks this machine's hub set-up, one line per check with a fix for each problem: the config, the
  ports, the internal certificates, the database, agent isolation (bubblewrap), git, each provider's
  command and credentials, the running hub and (logged in as root) each node's reachability and clock.
  Exit 1 when any check fails (WARN lines do not).`;

function loadChecked(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
): { config?: Config; result: CheckResult } {
  const file = path ?? join(agenthubHome(env), "config.toml");
  try {
    const config = loadConfig({ path, env });
    const detail = config.config_path ? `${config.config_path} is valid` : `no ${file}: built-in defaults`;
    return { config, result: ok("config", detail) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return {
      result: fail("config", err.message, `correct ${file} (every key is documented in config.example.toml)`),
    };
  }
}

/** The hub to ask: --hub, AGENTHUB_HUB, else the address this config makes the hub listen on. */
function hubUrl(flag: string | undefined, config: Config, env: NodeJS.ProcessEnv): string | undefined {
  const named = flag ?? (env.AGENTHUB_HUB || undefined);
  if (named) return normalizeHubUrl(named);
  const { host, port } = localTarget(config.server.listen);
  return port === 0 ? undefined : `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

async function hubChecks(
  url: string | undefined,
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<CheckResult[]> {
  if (!url) return [skip("hub", "[server] listen uses port 0: pass --hub URL to check a running hub")];
  const { result, up } = await checkHub(url);
  if (!up) return [result];
  const token = env.AGENTHUB_TOKEN || readCredentials(credentialsPath(env)).hubs[url]?.token;
  const client = token ? new HubClient(url, token) : undefined;
  return [result, ...(await checkNodes(client, config.internal_grpc.auth.clock_skew_seconds * 1000))];
}

/** `agenthub doctor`. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values, positionals: pos } = parseFlags(args, { config: { type: "string", short: "c" } });
  positionals(pos, [], DOCTOR_USAGE.split("\n")[0]!.replace("usage: ", ""));
  const env = process.env;
  const { config, result } = loadChecked(values.config, env);
  const results: CheckResult[] = [result];
  const emit = (rs: CheckResult[]) => {
    results.push(...rs);
    if (!values.json) for (const r of rs) print(formatCheck(r));
  };
  if (!values.json) print(formatCheck(result));
  if (config) {
    emit(await checkPorts(config));
    emit(checkCertificates(config));
    emit([checkDatabase(config)]);
    emit([await checkIsolation(config, env)]);
  } else {
    emit([skip("the rest of the set-up", "not checked until the config is valid")]);
  }
  emit([await checkGit(env)]);
  if (config) {
    emit(await checkProviders(config, env));
    emit(await hubChecks(hubUrl(values.hub, config, env), config, env));
  }
  const count = (status: CheckResult["status"], what: string) => {
    const n = results.filter((r) => r.status === status).length;
    return n === 0 ? undefined : `${n} ${what}${n > 1 ? "s" : ""}`;
  };
  const failed = results.filter((r) => r.status === "fail").length;
  if (values.json) printJson({ ok: failed === 0, checks: results });
  else {
    const tally = [count("fail", "failed check"), count("warn", "warning")].filter(Boolean);
    print(tally.length === 0 ? "no problems found" : tally.join(", "));
  }
  return failed === 0 ? EXIT.ok : EXIT.error;
}
