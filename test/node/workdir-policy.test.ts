import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { expandHome, isWithin, resolveWorkdir } from "../../src/node/workdir-policy.js";
import { tempDir } from "../helpers/temp-dir.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const t = tempDir("agenthub-wd-");
  cleanups.push(t.cleanup);
  const safe = join(t.path, "safe");
  const outside = join(t.path, "outside");
  mkdirSync(join(safe, "proj"), { recursive: true });
  mkdirSync(outside);
  return { root: t.path, safe, outside };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("isWithin / expandHome", () => {
  it("is not fooled by prefixes", () => {
    expect(isWithin("/a/b", "/a/b")).toBe(true);
    expect(isWithin("/a/b/c", "/a/b")).toBe(true);
    expect(isWithin("/a/bc", "/a/b")).toBe(false);
    expect(isWithin("/a", "/a/b")).toBe(false);
    expect(isWithin("/a/b/..c", "/a/b")).toBe(true);
  });

  it("expands ~", () => {
    expect(expandHome("~")).toBe(homedir());
    expect(expandHome("~/x")).toBe(join(homedir(), "x"));
    expect(expandHome("/x/~")).toBe("/x/~");
  });
});

describe("resolveWorkdir", () => {
  it("accepts a directory inside a safe path and returns its real path", async () => {
    const { safe } = setup();
    const got = await resolveWorkdir({
      worktreeMode: "use_existing",
      workdir: join(safe, "proj"),
      safePaths: [safe],
    });
    expect(got).toMatch(/safe\/proj$/);
  });

  it("requires a workdir for use_existing, not for create_worktree", async () => {
    const { safe } = setup();
    const err = await errorOf(resolveWorkdir({ worktreeMode: "use_existing", safePaths: [safe] }));
    expect(err.code).toBe("WORKDIR_REQUIRED");
    expect(err.message).toBe("workdir is required");
    expect(
      await resolveWorkdir({ worktreeMode: "create_worktree", workdir: " ", safePaths: [safe] }),
    ).toBeUndefined();
  });

  it("refuses a .. escape", async () => {
    const { safe } = setup();
    const err = await errorOf(
      resolveWorkdir({
        worktreeMode: "use_existing",
        workdir: join(safe, "proj", "..", "..", "outside"),
        safePaths: [safe],
      }),
    );
    expect(err.code).toBe("WORKDIR_NOT_SAFE");
    expect(err.message).toBe("workdir path must be within allowed safe paths");
    expect(err.details?.resolved).toMatch(/outside$/);
  });

  it("refuses a symlink escape", async () => {
    const { safe, outside } = setup();
    symlinkSync(outside, join(safe, "link"));
    const err = await errorOf(
      resolveWorkdir({ worktreeMode: "use_existing", workdir: join(safe, "link"), safePaths: [safe] }),
    );
    expect(err.code).toBe("WORKDIR_NOT_SAFE");
  });

  it("refuses a sibling sharing the safe path's prefix", async () => {
    const { safe } = setup();
    mkdirSync(`${safe}2`);
    const err = await errorOf(
      resolveWorkdir({ worktreeMode: "use_existing", workdir: `${safe}2`, safePaths: [safe] }),
    );
    expect(err.code).toBe("WORKDIR_NOT_SAFE");
  });

  it("reports a missing directory (inside safe paths) with its path", async () => {
    const { safe } = setup();
    const err = await errorOf(
      resolveWorkdir({
        worktreeMode: "use_existing",
        workdir: join(safe, "nope", "deeper"),
        safePaths: [safe],
      }),
    );
    expect(err.code).toBe("WORKDIR_MISSING");
    expect(err.message).toMatch(/workdir does not exist: .*safe\/nope\/deeper$/);
  });

  it("reports a missing directory outside safe paths as not safe", async () => {
    const { safe, outside } = setup();
    const err = await errorOf(
      resolveWorkdir({ worktreeMode: "use_existing", workdir: join(outside, "nope"), safePaths: [safe] }),
    );
    expect(err.code).toBe("WORKDIR_NOT_SAFE");
  });

  it("refuses a file", async () => {
    const { safe } = setup();
    writeFileSync(join(safe, "f"), "x");
    const err = await errorOf(
      resolveWorkdir({ worktreeMode: "use_existing", workdir: join(safe, "f"), safePaths: [safe] }),
    );
    expect(err.code).toBe("WORKDIR_MISSING");
  });

  it("allows the worktree root", async () => {
    const { root, safe } = setup();
    const wt = join(root, "wt", "a");
    mkdirSync(wt, { recursive: true });
    const got = await resolveWorkdir({
      worktreeMode: "create_worktree",
      workdir: wt,
      safePaths: [safe],
      worktreeRoot: join(root, "wt"),
    });
    expect(got).toMatch(/wt\/a$/);
  });
});
