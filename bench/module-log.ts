/**
 * Bench-only preload (no production code): `node --import dist/bench/module-log.js …` appends the URL
 * of every module the ESM loader loads to the file named by AGENTHUB_BENCH_MODULE_LOG, and at exit the
 * CommonJS modules `require` loaded (whose own requires bypass the ESM loader). S6 counts what an idle
 * hub has loaded with it.
 */
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const HOOKS = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(process.env.AGENTHUB_BENCH_MODULE_LOG, url + "\\n");
  return next(url, context);
}`;

const log = process.env.AGENTHUB_BENCH_MODULE_LOG;
if (log) {
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
  const require = createRequire(process.execPath);
  process.on("exit", () => {
    appendFileSync(
      log,
      Object.keys(require.cache)
        .map((p) => `file://${p}\n`)
        .join(""),
    );
  });
}
