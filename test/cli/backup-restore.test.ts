import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HubProc, hubEnv, joinRoot, startHubProc } from "../helpers/cluster.js";
import { api } from "../helpers/hub-harness.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { singleSpec } from "../helpers/specs.js";
import { ProcessSet } from "../helpers/team-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntil } from "../helpers/wait-until.js";
import { ensureBuilt } from "../node/helpers/build-once.js";

// `agenthub backup` while a hub process takes writes, then `agenthub restore` into a fresh data dir: the
// restored hub starts and has every write acknowledged before the backup began; restore refuses to
// touch the data dir of a hub that runs.

let dir: ReturnType<typeof tempDir>;
let procs: ProcessSet;

beforeAll(ensureBuilt, 120_000);
beforeEach(() => {
  dir = tempDir("agenthub-restore-");
  procs = new ProcessSet();
});
afterEach(async () => {
  await procs.stopAll();
  dir.cleanup();
});

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const p = spawnCli(args, env);
  const code = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Creates teams one after another until stopped; `acked` holds the names the hub answered 201 for. */
function writeLoop(hub: HubProc, token: string, prefix: string) {
  const acked: string[] = [];
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const name = `${prefix}-${i}`;
      const r = await api(hub.url, "POST", "/api/teams", { token, body: { name, spec: singleSpec() } });
      if (r.status !== 201) throw new Error(`POST /api/teams: ${r.status} ${JSON.stringify(r.body)}`);
      acked.push(name);
    }
  })();
  return {
    acked,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

const modeOf = (p: string) => statSync(p).mode & 0o777;

describe("backup and restore", () => {
  it("a backup taken under write load restores into a fresh data dir with every acknowledged write", async () => {
    const hub = procs.add("hub", await startHubProc(hubEnv(join(dir.path, "a"), [dir.path])));
    const token = await joinRoot(hub);
    const writers = [writeLoop(hub, token, "w1"), writeLoop(hub, token, "w2")];
    await waitUntil("writes acknowledged", async () => writers.every((w) => w.acked.length >= 20));

    // Everything acknowledged before the backup starts must be in it.
    const before = writers.flatMap((w) => [...w.acked]);
    const archive = join(dir.path, "hub.backup.tar");
    const backup = spawnCli(["backup", "--out", archive], hub.env);
    const backupCode = await backup.exit;
    const during = writers.reduce((n, w) => n + w.acked.length, 0) - before.length;
    await Promise.all(writers.map((w) => w.stop()));
    expect(backupCode, backup.stderr()).toBe(0);
    // The hub kept taking writes while the backup ran.
    expect(during).toBeGreaterThan(0);
    expect(backup.stdout()).toContain(`backup written to ${archive}`);
    expect(backup.stdout()).toContain("taken while the hub ran");
    expect(backup.stdout()).toContain("token_signing.key");
    expect(backup.stdout()).not.toContain("PRIVATE KEY");
    expect(modeOf(archive)).toBe(0o600);
    // A plain tar archive: the system's tar lists it, every member owner-only.
    const listing = execFileSync("tar", ["-tvf", archive], { encoding: "utf8" });
    expect(listing).toMatch(/^-rw------- .* agenthub\.db$/m);
    expect(listing).toMatch(/^-rw------- .* internal-grpc\/token_signing\.key$/m);
    expect(listing).toMatch(/^-rw------- .* internal-grpc\/ca\.key$/m);
    expect(listing).toMatch(/ manifest\.json$/m);

    // Restoring over the running hub's data is refused, and nothing changes there.
    const sourceHome = String(hub.env.AGENTHUB_HOME);
    const refused = await cli(["restore", archive], hub.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`a hub is running on ${sourceHome}`);
    expect(refused.stderr).toContain(`pid ${hub.proc.child.pid}`);
    expect(readdirSync(sourceHome).filter((n) => n.startsWith("before-restore"))).toEqual([]);
    expect((await api(hub.url, "GET", "/health")).status).toBe(200);

    // Into a fresh data dir.
    const fresh = hubEnv(join(dir.path, "b"), [dir.path]);
    const home = String(fresh.AGENTHUB_HOME);
    const restored = await cli(["restore", archive], fresh);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`into ${home}`);
    expect(restored.stdout).toContain(join(home, "agenthub.db"));
    expect(restored.stdout).not.toContain("PRIVATE KEY");
    const certDir = join(home, "internal-grpc");
    for (const f of ["agenthub.db", "internal-grpc/token_signing.key", "internal-grpc/ca.key"]) {
      expect(modeOf(join(home, f)), f).toBe(0o600);
    }
    expect(modeOf(certDir)).toBe(0o700);
    // The hub's own keys, byte for byte (its nodes and agents keep trusting it).
    for (const f of ["token_signing.key", "ca.key", "ca.crt"]) {
      expect(readFileSync(join(certDir, f)).equals(readFileSync(join(sourceHome, "internal-grpc", f)))).toBe(
        true,
      );
    }
    const copy = new BetterSqlite3(join(home, "agenthub.db"), { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      copy.close();
    }
    expect(existsSync(join(home, "agenthub.db-wal"))).toBe(false);

    const restoredHub = procs.add("restored", await startHubProc(fresh));
    const login = await api<{ token: string }>(restoredHub.url, "POST", "/api/login", {
      body: { username: "root", password: "long enough pw" },
    });
    expect(login.status).toBe(200);
    const teams = await api<{ teams: { name: string }[] }>(restoredHub.url, "GET", "/api/teams", {
      token: login.body.token,
    });
    const names = new Set(teams.body.teams.map((t) => t.name));
    expect(before.filter((n) => !names.has(n))).toEqual([]);

    // The restored hub runs there now: a second restore is refused too.
    const again = await cli(["restore", archive, "--force"], fresh);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`a hub is running on ${home}`);
  });

  it("refuses to replace existing data without --force, and moves it aside with --force", async () => {
    const hub = procs.add("hub", await startHubProc(hubEnv(join(dir.path, "a"), [dir.path])));
    await joinRoot(hub);
    const archive = join(dir.path, "b.tar");
    expect((await cli(["backup", "--out", archive], hub.env)).code).toBe(0);
    // Never over an existing file.
    const exists = await cli(["backup", "--out", archive], hub.env);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain(`${archive} already exists`);

    // The target already holds data (restored once).
    const other = hubEnv(join(dir.path, "c"), [dir.path]);
    expect((await cli(["restore", archive], other)).code).toBe(0);
    const home = String(other.AGENTHUB_HOME);
    const ownDb = readFileSync(join(home, "agenthub.db"));
    const refused = await cli(["restore", archive], other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${home} already holds hub data (agenthub.db`);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(join(home, "agenthub.db")).equals(ownDb)).toBe(true);

    const forced = await cli(["restore", archive, "--force"], other);
    expect(forced.code, forced.stderr).toBe(0);
    const aside = readdirSync(home).filter((n) => n.startsWith("before-restore-"));
    expect(aside).toHaveLength(1);
    expect(forced.stdout).toContain(`moved to ${join(home, aside[0]!)}`);
    expect(readFileSync(join(home, aside[0]!, "agenthub.db")).equals(ownDb)).toBe(true);
    expect(existsSync(join(home, aside[0]!, "internal-grpc", "token_signing.key"))).toBe(true);

    // Not an archive: refused with the reason.
    const bogus = await cli(["restore", join(home, aside[0]!, "agenthub.db"), "--force"], other);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain("is not an agenthub backup");
  });
});
