import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { consoleDir } from "../../src/api/console-static.js";

/** The console's size budget: the JavaScript a browser downloads stays under 300 KB gzipped. */
const JS_BUDGET_GZIP_BYTES = 300 * 1024;

describe("the console's size budget", () => {
  it("ships under 300 KB of gzipped JavaScript (npm run build)", () => {
    const dir = consoleDir();
    expect(dir, "web/dist is missing: run npm run build").toBeDefined();
    const assets = join(dir!, "assets");
    const js = readdirSync(assets).filter((f) => f.endsWith(".js"));
    expect(js.length).toBeGreaterThan(0);
    const sizes = js.map((f) => ({ f, gzip: gzipSync(readFileSync(join(assets, f)), { level: 9 }).length }));
    const total = sizes.reduce((n, s) => n + s.gzip, 0);
    process.stdout.write(
      `console JS: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map((s) => s.f).join(", ")})\n`,
    );
    expect(total).toBeLessThan(JS_BUDGET_GZIP_BYTES);
  });
});
