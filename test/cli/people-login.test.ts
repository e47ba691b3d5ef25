import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, startHubWithRoot } from "../helpers/hub-harness.js";
import { tempDir } from "../helpers/temp-dir.js";
import { people } from "./people-cli.js";

let h: Awaited<ReturnType<typeof startHubWithRoot>>;
let dir: ReturnType<typeof tempDir>;

beforeEach(async () => {
  h = await startHubWithRoot();
  dir = tempDir("agenthub-people-");
});
afterEach(async () => {
  await h.close();
  dir.cleanup();
});

const credentials = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as {
    default_hub: string | null;
    hubs: Record<string, { token: string; username: string }>;
  };

describe("agenthub login / logout", () => {
  it("logs in with the password on stdin, keeps the token 0600 per hub, uses it, and logout revokes it", async () => {
    const login = await people(
      dir.path,
      ["login", "--hub", h.url, "--username", "root", "--password-stdin"],
      {
        stdin: `${h.rootPassword}\n`,
      },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`logged in to ${h.url} as root (root)`);
    expect(login.stdout).not.toContain("aht_");

    const file = join(dir.path, "xdg", "agenthub", "credentials");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.path, "xdg", "agenthub")).mode & 0o777).toBe(0o700);
    const stored = credentials(file);
    expect(stored.default_hub).toBe(h.url);
    expect(stored.hubs[h.url]?.username).toBe("root");
    const token = stored.hubs[h.url]!.token;
    expect((await api(h.url, "GET", "/api/me", { token })).body).toMatchObject({
      username: "root",
      is_root: true,
    });

    // The stored hub is the default: no --hub, no AGENTHUB_* variable.
    const list = await people(dir.path, ["teams", "list", "--json"]);
    expect([list.code, list.stderr]).toEqual([0, ""]);
    expect(JSON.parse(list.stdout)).toEqual([]);

    const logout = await people(dir.path, ["logout"]);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toContain(`logged out of ${h.url}`);
    expect((await api(h.url, "GET", "/api/me", { token })).status).toBe(401);
    expect(credentials(file).hubs).toEqual({});

    const after = await people(dir.path, ["teams", "list"], { env: { AGENTHUB_HUB: h.url } });
    expect(after.code).toBe(4);
    expect(after.stderr).toBe(
      `agenthub: NOT_LOGGED_IN: not logged in to ${h.url}; run agenthub login --hub ${h.url} (or set AGENTHUB_TOKEN)\n`,
    );
  });

  it("a wrong password prints the API's code and message on one line (exit 4) and stores nothing", async () => {
    const r = await people(dir.path, ["login", "--hub", h.url, "--username", "root", "--password-stdin"], {
      stdin: "not the password",
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("agenthub: INVALID_CREDENTIALS: invalid username or password\n");
    expect(() => statSync(join(dir.path, "xdg", "agenthub", "credentials"))).toThrow();
  });

  it("without a terminal, a login needs --password-stdin (usage, exit 2); AGENTHUB_HUB and AGENTHUB_TOKEN override the store", async () => {
    const r = await people(dir.path, ["login", "--hub", h.url, "--username", "root"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "agenthub: no terminal to ask the password on: pass it on stdin with --password-stdin",
    );

    // Without XDG_CONFIG_HOME the store is ~/.config/agenthub/credentials.
    const noXdg = await people(dir.path, ["login", "--username", "root", "--password-stdin"], {
      env: { XDG_CONFIG_HOME: "", AGENTHUB_HUB: h.url },
      stdin: h.rootPassword,
    });
    expect(noXdg.code, noXdg.stderr).toBe(0);
    expect(credentials(join(dir.path, ".config", "agenthub", "credentials")).hubs[h.url]?.username).toBe(
      "root",
    );

    const other = await startHubWithRoot();
    try {
      await api(other.url, "POST", "/api/teams", {
        token: other.rootToken,
        body: { name: "elsewhere", spec: { spec_version: 1, members: [{ member_id: "m", role: "leader" }] } },
      });
      const r2 = await people(dir.path, ["teams", "list", "--json"], {
        env: { XDG_CONFIG_HOME: "", AGENTHUB_HUB: other.url, AGENTHUB_TOKEN: other.rootToken },
      });
      expect(r2.code, r2.stderr).toBe(0);
      expect((JSON.parse(r2.stdout) as { name: string }[]).map((t) => t.name)).toEqual(["elsewhere"]);
    } finally {
      await other.close();
    }
  });
});
