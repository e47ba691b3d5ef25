import { execFile } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, "web/scripts/gen-api.mjs");
const COMMITTED = join(ROOT, "web/src/api/schema.d.ts");

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe("web/src/api/schema.d.ts (the console's API types)", () => {
  it("is what openapi-typescript makes of the hub's OpenAPI document now, and a stale copy is caught", async () => {
    const ok = await run(process.execPath, [SCRIPT, "--check"], { cwd: ROOT });
    expect(ok.stdout).toContain("web/src/api/schema.d.ts is up to date");

    const t = tempDir("agenthub-api-types-");
    cleanup = t.cleanup;
    const stale = join(t.path, "schema.d.ts");
    copyFileSync(COMMITTED, stale);
    writeFileSync(stale, readFileSync(stale, "utf8").replace('"/api/attention"', '"/api/attention-old"'));
    const failed = await run(process.execPath, [SCRIPT, "--check", "--file", stale], { cwd: ROOT }).then(
      () => undefined,
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(
      "is out of date with the hub's OpenAPI document; run npm run gen:web-api",
    );
  }, 60_000);
});
