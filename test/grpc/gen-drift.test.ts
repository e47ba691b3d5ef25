import { execFile } from "node:child_process";
import { appendFile, cp, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function git(cwd: string, ...args: string[]) {
  await run("git", ["-c", "user.email=t@example.invalid", "-c", "user.name=t", ...args], { cwd });
}

describe("scripts/check-gen-drift.sh", () => {
  it("passes on committed code and fails when a .proto changes without regeneration", async () => {
    const t = tempDir("agenthub-drift-");
    cleanup = t.cleanup;
    const repo = t.path;
    for (const p of ["proto", "src/gen", "scripts", "buf.yaml", "buf.gen.yaml"]) {
      await cp(join(ROOT, p), join(repo, p), { recursive: true });
    }
    await symlink(join(ROOT, "node_modules"), join(repo, "node_modules"));
    await appendFile(join(repo, ".gitignore"), "node_modules\n");
    await git(repo, "init", "-q");
    await git(repo, "add", ".");
    await git(repo, "commit", "-qm", "init");
    const script = join(repo, "scripts/check-gen-drift.sh");

    const ok = await run(script, [], { cwd: repo });
    expect(ok.stdout).toContain("up to date");

    await appendFile(
      join(repo, "proto/agenthub/internal/v1/node.proto"),
      "\n// DriftProbe exists only in this test.\nmessage DriftProbe {\n  string x = 1;\n}\n",
    );
    const failed = await run(script, [], { cwd: repo }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("out of date");
    expect(failed?.stderr).toContain("src/gen/agenthub/internal/v1/node_pb.ts");
  }, 60_000);
});
