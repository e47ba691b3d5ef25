import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { api, parseBanner } from "../helpers/hub-harness.js";
import { type CliProcess, spawnCli } from "../helpers/spawn-cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let proc: CliProcess | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await proc?.kill("SIGKILL");
  proc = undefined;
  dir?.cleanup();
});

function env(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AGENTHUB_HOME: join(home, ".agenthub"),
    AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
    AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
  };
}

describe("agenthub process", () => {
  it("serves on port 0, prints a join challenge, joins root, and exits 0 on SIGTERM", async () => {
    dir = tempDir();
    proc = spawnCli(["serve"], env(dir.path));
    const [, url] = await proc.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    await proc.waitFor(/pin:\s+\d{6}/);
    const { join_token, pin } = parseBanner(proc.stderr());
    const joined = await api<{ token: string }>(url!, "POST", "/api/join", {
      body: { join_token, pin, username: "root", password: "long enough pw" },
    });
    expect(joined.status).toBe(201);
    const me = await api(url!, "GET", "/api/me", { token: joined.body.token });
    expect(me.body).toMatchObject({ username: "root", is_root: true });
    expect(await proc.kill("SIGTERM")).toBe(0);
    expect(proc.stdout()).not.toContain(pin);
    expect(proc.stdout()).not.toContain(joined.body.token);

    // With root present, `agenthub join-challenge` refuses and exits non-zero.
    const jc = spawnCli(["join-challenge"], env(dir.path));
    expect(await jc.exit).toBe(1);
    expect(jc.stderr()).toContain("root already initialized");
  });

  it("join-challenge issues a fresh root challenge while no root exists", async () => {
    dir = tempDir();
    const jc = spawnCli(["join-challenge"], env(dir.path));
    expect(await jc.exit).toBe(0);
    expect(jc.stdout()).toMatch(/pin:\s+\d{6}/);
  });

  it("prints the version, and usage with exit 2 for unknown commands or flags", async () => {
    dir = tempDir();
    const v = spawnCli(["--version"], env(dir.path));
    expect(await v.exit).toBe(0);
    expect(v.stdout()).toMatch(/^agenthub \d+\.\d+\.\d+/);
    const bad = spawnCli(["frobnicate"], env(dir.path));
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain("usage: agenthub");
    const badFlag = spawnCli(["serve", "--no-such-flag"], env(dir.path));
    expect(await badFlag.exit).toBe(2);
  });

  it("refuses to start on an invalid config, naming the key", async () => {
    dir = tempDir();
    const cfg = join(dir.path, "bad.toml");
    writeFileSync(cfg, '[internal_grpc.security]\nmode = "tls"\nbogus = 1\n');
    const p = spawnCli(["serve", "--config", cfg], env(dir.path));
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toContain('unknown config key "internal_grpc.security.bogus"');
  });
});
