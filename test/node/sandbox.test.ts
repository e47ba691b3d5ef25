import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { AppError } from "../../src/errors/registry.js";
import {
  type BwrapArgvInput,
  BwrapSandbox,
  bwrapArgv,
  bwrapExitMessage,
  isolationWarning,
  resolveIsolation,
} from "../../src/node/sandbox.js";
import { tempDir } from "../helpers/temp-dir.js";

const base: BwrapArgvInput = {
  secret: ["/srv/hub/.agenthub"],
  workspaces: ["/srv/projects", "/srv/hub/.agenthub/worktrees"],
  tools: [],
  workdir: "/srv/projects/team-a",
  command: "/usr/bin/node",
  args: ["agent.js", "--flag"],
};

/** The mount options after the fixed prefix, as [option, path] pairs (binds keep their source). */
function mounts(argv: string[]): string[][] {
  const out: string[][] = [];
  const start = argv.indexOf("--die-with-parent") + 1;
  const end = argv.indexOf("--chdir");
  for (let i = start; i < end; ) {
    const opt = argv[i]!;
    if (opt === "--tmpfs") {
      out.push([opt, argv[i + 1]!]);
      i += 2;
    } else {
      if (argv[i + 1] !== "/dev/null") expect(argv[i + 1]).toBe(argv[i + 2]);
      out.push([opt, argv[i + 2]!]);
      i += 3;
    }
  }
  return out;
}

describe("bwrapArgv", () => {
  it("keeps the machine (read-only) and network, hides data dir and workspaces, maps the workdir back", () => {
    const argv = bwrapArgv(base);
    expect(argv.slice(0, 9)).toEqual([
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--unshare-pid",
      "--die-with-parent",
    ]);
    expect(argv).not.toContain("--unshare-net");
    expect(argv).not.toContain("--unshare-all");
    // The worktree root needs no tmpfs of its own: the data dir's already hides it.
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/srv/projects"],
      ["--bind", "/srv/projects/team-a"],
      ["--tmpfs", "/srv/hub/.agenthub"],
    ]);
    expect(argv.slice(argv.indexOf("--chdir"))).toEqual([
      "--chdir",
      "/srv/projects/team-a",
      "--",
      "/usr/bin/node",
      "agent.js",
      "--flag",
    ]);
  });

  it("orders parents first: a worktree under the data dir is mapped back after both hides", () => {
    const argv = bwrapArgv({ ...base, workdir: "/srv/hub/.agenthub/worktrees/impl-1a2b" });
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/srv/projects"],
      ["--tmpfs", "/srv/hub/.agenthub"],
      ["--bind", "/srv/hub/.agenthub/worktrees/impl-1a2b"],
    ]);
  });

  it("hides a data dir inside the workdir again after mapping the workdir", () => {
    const argv = bwrapArgv({
      secret: ["/home/op/.agenthub"],
      workspaces: ["/home/op"],
      tools: [],
      workdir: "/home/op",
      command: "a",
      args: [],
    });
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/home/op"],
      ["--bind", "/home/op"],
      ["--tmpfs", "/home/op/.agenthub"],
    ]);
  });

  it("a secret dir equal to another mount path wins (hidden last)", () => {
    const argv = bwrapArgv({
      ...base,
      secret: ["/srv/projects/shared-certs"],
      tools: ["/srv/projects/shared-certs"],
      gitDirs: ["/srv/projects/shared-certs"],
    });
    expect(mounts(argv).filter((m) => m[1] === "/srv/projects/shared-certs")).toEqual([
      ["--ro-bind", "/srv/projects/shared-certs"],
      ["--tmpfs", "/srv/projects/shared-certs"],
    ]);
  });

  it("refuses a workdir inside a data dir unless it is inside a workspace root below it", () => {
    expect(() => bwrapArgv({ ...base, workdir: "/srv/hub/.agenthub" })).toThrow(AppError);
    expect(() => bwrapArgv({ ...base, workdir: "/srv/hub/.agenthub/internal-grpc" })).toThrow(
      /inside agenthub's data directory/,
    );
    // safe_paths = ["~"] with the data dir under it: the data dir itself is still refused.
    expect(() =>
      bwrapArgv({ ...base, workspaces: ["/srv/hub"], workdir: "/srv/hub/.agenthub/node-main" }),
    ).toThrow(AppError);
  });

  // The contract changed: "/" used to be bound writable and tools were re-bound read-only only when a
  // hidden root covered them, so an agent could rewrite this installation, node or a PATH dir the
  // daemon runs git from. Now "/" is read-only and a tool is read-only wherever it is: mapped back
  // from a hidden root, bound read-only again inside a writable bind (a workdir of ~ holding it).
  it("keeps tools read-only wherever they are: mapped back when hidden, bound again inside a writable bind", () => {
    const argv = bwrapArgv({
      ...base,
      workdir: "/srv/projects/team-a",
      tools: ["/srv/projects/agenthub", "/srv/projects/team-a/node", "/usr/local", "/"],
    });
    const m = mounts(argv);
    expect(m).toContainEqual(["--ro-bind", "/srv/projects/agenthub"]);
    expect(m).toContainEqual(["--ro-bind", "/srv/projects/team-a/node"]);
    // Under the read-only root nothing more is needed; "/" is never bound again.
    expect(argv).not.toContain("/usr/local");
    expect(m.filter((x) => x[1] === "/")).toEqual([]);
    const order = m.map((x) => x[1]);
    expect(order.indexOf("/srv/projects/agenthub")).toBeGreaterThan(order.indexOf("/srv/projects"));
    expect(order.indexOf("/srv/projects/team-a/node")).toBeGreaterThan(order.indexOf("/srv/projects/team-a"));
  });

  it("a read-only path wins over a writable bind of the same path (a workdir that is the installation)", () => {
    const argv = bwrapArgv({ ...base, workdir: "/srv/projects/agenthub", tools: ["/srv/projects/agenthub"] });
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/srv/projects"],
      ["--bind", "/srv/projects/agenthub"],
      ["--ro-bind", "/srv/projects/agenthub"],
      ["--tmpfs", "/srv/hub/.agenthub"],
    ]);
  });

  it("keeps the daemon's PATH dirs read-only: bound again under writable binds, mapped back only from a private tmpfs", () => {
    const argv = bwrapArgv({
      ...base,
      daemonPath: [
        "/srv/projects/team-a/bin", // inside the writable workdir
        "/home/op/.cache/bin", // inside a writable HOME cache
        "/tmp/tools/bin", // under the private /tmp
        "/srv/projects/team-b/bin", // under a workspace root: stays hidden
        "/srv/hub/.agenthub/bin", // under the data dir: stays hidden
        "/usr/bin", // under the read-only root: nothing to do
      ],
      homeWritable: ["/home/op/.cache"],
      privateTmp: ["/tmp"],
    });
    const ro = mounts(argv)
      .filter((m) => m[0] === "--ro-bind")
      .map((m) => m[1]);
    expect(ro).toEqual(["/tmp/tools/bin", "/srv/projects/team-a/bin", "/home/op/.cache/bin"]);
    const order = mounts(argv).map((m) => m[1]);
    expect(order.indexOf("/srv/projects/team-a/bin")).toBeGreaterThan(order.indexOf("/srv/projects/team-a"));
    expect(order.indexOf("/home/op/.cache/bin")).toBeGreaterThan(order.indexOf("/home/op/.cache"));
  });

  it("private tmpfs at /tmp and /run/user/<uid> first; hidden dirs under /tmp stay empty dirs, masks go", () => {
    const argv = bwrapArgv({
      secret: ["/tmp/t1/hub/.agenthub"],
      secretFiles: ["/tmp/t1/config.toml"],
      workspaces: ["/tmp/t1/safe"],
      tools: [],
      privateTmp: ["/tmp", "/run/user/1000"],
      workdir: "/tmp/t1/safe/team-a",
      command: "sh",
      args: [],
    });
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/tmp"],
      ["--tmpfs", "/run/user/1000"],
      ["--tmpfs", "/tmp/t1/safe"],
      ["--bind", "/tmp/t1/safe/team-a"],
      ["--tmpfs", "/tmp/t1/hub/.agenthub"],
    ]);
    // The daemon's TMPDIR may be read-only in here: the agent's is its private /tmp.
    const i = argv.indexOf("--setenv");
    expect(argv.slice(i, i + 3)).toEqual(["--setenv", "TMPDIR", "/tmp"]);
    expect(i).toBeLessThan(argv.indexOf("--chdir"));
  });

  it("binds HOME caches writable, but not inside a secret, nor one holding the workdir", () => {
    const argv = bwrapArgv({
      secret: ["/home/op/.agenthub"],
      workspaces: ["/home/op/projects"],
      tools: [],
      homeWritable: [
        "/home/op/.cache",
        "/home/op/.claude.json",
        "/home/op/.agenthub/.npm",
        "/home/op/projects",
      ],
      daemonPath: ["/home/op/.claude.json"],
      workdir: "/home/op/projects/app",
      command: "sh",
      args: [],
    });
    expect(mounts(argv)).toEqual([
      ["--tmpfs", "/home/op/projects"],
      ["--bind", "/home/op/.cache"],
      ["--bind", "/home/op/.claude.json"],
      // Read-only wins at one path.
      ["--ro-bind", "/home/op/.claude.json"],
      ["--tmpfs", "/home/op/.agenthub"],
      ["--bind", "/home/op/projects/app"],
    ]);
  });

  it("maps a worktree's git dirs back writable, never one that overlaps a secret, is a workspace root or contains the workdir", () => {
    const argv = bwrapArgv({
      ...base,
      workdir: "/srv/hub/.agenthub/worktrees/impl-1",
      gitDirs: [
        "/srv/projects/repo/.git/worktrees/impl-1",
        "/srv/projects/repo/.git",
        "/srv/hub/.agenthub/internal-grpc",
        "/srv/hub",
        "/srv/projects",
        "/usr/lib/not-hidden.git",
        "/srv/hub/.agenthub/worktrees/impl-1/.git",
      ],
    });
    const binds = mounts(argv)
      .filter((m) => m[0] === "--bind")
      .map((m) => m[1]);
    // Also one no hidden root covers: "/" is read-only now.
    expect(binds).toEqual([
      "/usr/lib/not-hidden.git",
      "/srv/projects/repo/.git",
      "/srv/hub/.agenthub/worktrees/impl-1",
      "/srv/projects/repo/.git/worktrees/impl-1",
    ]);
  });

  it("masks a secret file outside the data dir with /dev/null, unless a hidden dir covers it already", () => {
    const argv = bwrapArgv({
      ...base,
      secretFiles: ["/etc/agenthub/config.toml", "/srv/hub/.agenthub/config.toml"],
    });
    const i = argv.indexOf("/etc/agenthub/config.toml");
    expect(argv.slice(i - 2, i + 1)).toEqual(["--ro-bind", "/dev/null", "/etc/agenthub/config.toml"]);
    expect(argv).not.toContain("/srv/hub/.agenthub/config.toml");
  });

  it("never hides / (the machine stays visible)", () => {
    const argv = bwrapArgv({ ...base, workspaces: ["/", "/srv/projects"] });
    expect(mounts(argv).filter((m) => m[1] === "/")).toEqual([]);
  });
});

describe("resolveIsolation", () => {
  const works = async () => ({ works: true, path: "/usr/bin/bwrap" });
  const broken = async () => ({
    works: false,
    path: "/usr/bin/bwrap",
    reason: "No permissions to create new namespace",
  });

  it("auto uses bwrap when it works, none otherwise", async () => {
    expect(await resolveIsolation("auto", works)).toEqual({
      isolation: "bwrap",
      bwrapPath: "/usr/bin/bwrap",
    });
    const none = await resolveIsolation("auto", broken);
    expect(none.isolation).toBe("none");
    expect(none.reason).toContain("No permissions to create new namespace");
  });

  it('"bwrap" without a working bwrap refuses to start, naming the package', async () => {
    const err = await resolveIsolation("bwrap", broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/isolation = "bwrap".*bubblewrap/);
  });

  it('"none" does not probe', async () => {
    const r = await resolveIsolation("none", () => Promise.reject(new Error("probed")));
    expect(r.isolation).toBe("none");
  });

  it("warns once about unisolated agents and what that means", async () => {
    const w = isolationWarning(await resolveIsolation("none"), "/srv/hub/.agenthub");
    expect(w).toMatch(/agents are NOT isolated/);
    expect(w).toContain("/srv/hub/.agenthub");
    expect(w).toContain("bubblewrap");
    expect(w).not.toContain("\n");
    expect(isolationWarning(await resolveIsolation("auto", works), "/x")).toBeUndefined();
  });
});

describe("bwrapExitMessage", () => {
  it("turns bwrap's failed exec back into the unsandboxed messages", () => {
    const explain = bwrapExitMessage("nope-cmd");
    expect(explain(1, null, ["bwrap: execvp nope-cmd: No such file or directory"])).toBe(
      "command not found: nope-cmd",
    );
    expect(explain(1, null, ["bwrap: execvp nope-cmd: Permission denied"])).toBe(
      "command is not executable: nope-cmd",
    );
    expect(explain(1, null, ["the agent's own error"])).toBeUndefined();
    expect(explain(2, null, ["bwrap: execvp nope-cmd: No such file or directory"])).toBeUndefined();
  });
});

describe("BwrapSandbox.wrap", () => {
  it("keeps the daemon's PATH dirs read-only and binds the HOME caches that exist, by their real paths", async () => {
    const t = tempDir();
    try {
      const work = join(t.path, "safe", "app");
      const home = join(t.path, "home");
      const realCache = join(t.path, "cache-elsewhere");
      for (const d of [join(work, "bin"), join(home, ".claude"), realCache])
        mkdirSync(d, { recursive: true });
      symlinkSync(realCache, join(home, ".cache"));
      // A HOME entry linked to HOME itself would make all of HOME writable.
      symlinkSync(home, join(home, ".codex"));
      const sandbox = new BwrapSandbox({
        bwrapPath: "/usr/bin/bwrap",
        secret: [join(t.path, "data")],
        safePaths: [join(t.path, "safe")],
        worktreeRoot: join(t.path, "worktrees"),
        tools: [],
        // A relative entry and a missing one are never bound.
        daemonPath: ["relative/bin", join(t.path, "missing"), join(work, "bin")].join(":"),
        home,
      });
      const { args } = await sandbox.wrap({ command: "sh", args: [], workdir: work, freshWorktree: false });
      const m = mounts(args);
      expect(m).toContainEqual(["--ro-bind", join(work, "bin")]);
      expect(m.map((x) => x[1])).not.toContain(join(t.path, "missing"));
      expect(args).not.toContain("relative/bin");
      const writable = m.filter((x) => x[0] === "--bind").map((x) => x[1]);
      expect(writable.sort()).toEqual([realCache, join(home, ".claude"), work].sort());
      expect(m).toContainEqual(["--tmpfs", "/tmp"]);
    } finally {
      t.cleanup();
    }
  });

  it("still wraps an agent when the worktree root cannot be created (a file stands in its way)", async () => {
    const t = tempDir();
    try {
      const work = join(t.path, "safe", "app");
      mkdirSync(work, { recursive: true });
      writeFileSync(join(t.path, "not-a-dir"), "");
      const sandbox = new BwrapSandbox({
        bwrapPath: "/usr/bin/bwrap",
        secret: [join(t.path, "data")],
        safePaths: [join(t.path, "safe")],
        worktreeRoot: join(t.path, "not-a-dir", "worktrees"),
        tools: [],
      });
      const wrapped = await sandbox.wrap({
        command: "sh",
        args: ["-c", "true"],
        workdir: work,
        freshWorktree: false,
      });
      expect(wrapped.command).toBe("/usr/bin/bwrap");
      expect(wrapped.args).toContain("--chdir");
      expect(wrapped.args.slice(-3)).toEqual(["sh", "-c", "true"]);
    } finally {
      t.cleanup();
    }
  });
});
