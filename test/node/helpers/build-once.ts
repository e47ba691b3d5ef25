import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");
export const SCRIPTED_AGENT = join(ROOT, "dist", "src", "node", "scripted-agent", "main.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestSource(p) : entry.name.endsWith(".ts") ? statSync(p).mtimeMs : 0;
    newest = Math.max(newest, t);
  }
  return newest;
}

function fresh(): boolean {
  return (
    existsSync(SCRIPTED_AGENT) && statSync(SCRIPTED_AGENT).mtimeMs >= newestSource(join(ROOT, "src", "node"))
  );
}

/**
 * Makes sure dist/ holds a build of src/node (npm test builds first; a direct `vitest run` may
 * not have). Test files run in parallel processes, so the build is serialised with a lock file.
 * Type errors elsewhere in the project do not stop tsc from emitting, so its exit code is ignored
 * and freshness is checked instead.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(ROOT, "dist", ".node-test-build.lock");
  const deadline = Date.now() + 120_000;
  while (!fresh()) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, "wx");
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
        {
          cwd: ROOT,
          stdio: "ignore",
        },
      );
    } catch {
      // checked below
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
    if (!fresh()) throw new Error(`build did not produce an up-to-date ${SCRIPTED_AGENT}`);
  }
}
