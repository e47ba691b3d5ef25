import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VERSION } from "../../src/util/version.js";
import { startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { people } from "./people-cli.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function home(): string {
  const d = tempDir("agenthub-doctor-");
  cleanups.push(d.cleanup);
  return d.path;
}

const doctor = (dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  people(dir, ["doctor", ...args], { env: { AGENTHUB_HOME: join(dir, "data"), ...env } });

const lines = (out: string) => out.trim().split("\n");

describe("agenthub doctor", () => {
  it("fails on a broken config with one line naming the problem and how to fix it", async () => {
    const dir = home();
    const config = join(dir, "agenthub.toml");
    writeFileSync(config, '[server]\nlisten = "127.0.0.1:0"\nlisen = 3\n');
    const unknown = await doctor(dir, ["--config", config]);
    expect(unknown.code).toBe(1);
    expect(lines(unknown.stdout)[0]).toBe(
      `FAIL  config: invalid config (${config}): unknown config key "server.lisen"; fix: correct ${config} (every key is documented in config.example.toml)`,
    );
    expect(lines(unknown.stdout).at(-1)).toBe("1 failed check");

    writeFileSync(config, "[server\nlisten = 1\n");
    const syntax = await doctor(dir, ["--config", config]);
    expect(syntax.code).toBe(1);
    expect(lines(syntax.stdout)[0]).toMatch(
      new RegExp(`^FAIL  config: ${config}:1:\\d+: TOML syntax error: `),
    );
  });

  it("fails on a port another program holds, naming the key to change", async () => {
    const dir = home();
    const other: Server = createServer((_req, res) => res.writeHead(404).end("not a hub"));
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => other.close(() => r())));
    const port = (other.address() as AddressInfo).port;
    const data = join(dir, "data");
    mkdirSync(data);
    writeFileSync(
      join(data, "config.toml"),
      `[server]\nlisten = "127.0.0.1:${port}"\n[internal_grpc]\nlisten = "127.0.0.1:0"\n`,
    );
    const r = await doctor(dir);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toContain(
      `FAIL  port [server] listen: 127.0.0.1:${port} is in use by another program; fix: stop the program using it or set another address ([server] listen in config.toml, or AGENTHUB_SERVER_LISTEN)`,
    );
  });

  it("passes on a running hub's set-up, checking the hub and (as root) each node with its clock", async () => {
    const h = await startHubWithRoot();
    cleanups.push(() => h.close());
    const dir = home();
    const r = await doctor(dir, ["--hub", h.url], { AGENTHUB_HOME: h.home, AGENTHUB_TOKEN: h.rootToken });
    expect(r.code, r.stdout).toBe(0);
    const out = lines(r.stdout);
    expect(out.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    expect(out).toContain(`ok    config: ${join(h.home, "config.toml")} is valid`);
    expect(out.find((l) => l.startsWith("ok    database: "))).toContain("integrity ok");
    expect(out.find((l) => l.startsWith("ok    certificate server.crt: valid until "))).toContain(
      "hub.internal",
    );
    expect(out).toContain(`ok    hub: agenthub ${VERSION} answers at ${h.url}`);
    // The built-in node runs on the hub's own clock.
    expect(out.find((l) => l.startsWith("ok    node main: online"))).toContain("clock +0.0 s from the hub's");

    // Without root's login, nodes are skipped, not failed.
    const anon = await doctor(dir, ["--hub", h.url, "--json"], { AGENTHUB_HOME: h.home });
    expect(anon.code).toBe(0);
    const report = JSON.parse(anon.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === "nodes")?.status).toBe("skip");
  });
});
