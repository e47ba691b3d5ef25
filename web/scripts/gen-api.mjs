// Generates web/src/api/schema.d.ts (the console's API types) from the hub's own OpenAPI document:
// starts the built hub (`npm run build` first) in a temporary home on port 0, reads
// GET /api/openapi.json, stops it, and runs openapi-typescript on the document.
//   node web/scripts/gen-api.mjs           write the file
//   node web/scripts/gen-api.mjs --check   exit 1 when the committed file differs (drift)
//   --file <path>                          another file than web/src/api/schema.d.ts (tests)
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const fileArg = process.argv.indexOf("--file");
const target = fileArg > 0 ? process.argv[fileArg + 1] : join(root, "web", "src", "api", "schema.d.ts");
const HEADER =
  "// Generated from the hub's OpenAPI document (GET /api/openapi.json) by web/scripts/gen-api.mjs.\n" +
  "// Do not edit: run `npm run gen:web-api` after changing a route or schema (a test fails on drift).\n\n";

async function openapiDocument() {
  const home = mkdtempSync(join(tmpdir(), "agenthub-openapi-"));
  const hub = spawn(process.execPath, [join(root, "bin", "agenthub.js"), "serve"], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AGENTHUB_HOME: join(home, ".agenthub"),
      AGENTHUB_SERVER_LISTEN: "127.0.0.1:0",
      AGENTHUB_INTERNAL_GRPC_LISTEN: "127.0.0.1:0",
      AGENTHUB_SAFE_PATHS: home,
      AGENTHUB_AGENTS_ISOLATION: "none",
      AGENTHUB_LOGGING_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  try {
    const url = await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        out += chunk.toString();
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
        if (m) resolve(m[1]);
      };
      hub.stdout.on("data", onData);
      hub.stderr.on("data", onData);
      hub.once("exit", (code) => reject(new Error(`the hub exited (${code}) before listening:\n${out}`)));
    });
    const res = await fetch(`${url}/api/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return await res.json();
  } finally {
    if (hub.exitCode === null && hub.signalCode === null) {
      const exited = once(hub, "exit");
      hub.kill("SIGTERM");
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  }
}

const doc = await openapiDocument();
const text = HEADER + astToString(await openapiTS(doc));
const name = relative(root, target);
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    // missing: drift
  }
  if (committed !== text) {
    process.stderr.write(`${name} is out of date with the hub's OpenAPI document; run npm run gen:web-api\n`);
    process.exit(1);
  }
  process.stdout.write(`${name} is up to date\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${name}\n`);
}
