#!/usr/bin/env node
// Installs the pinned real ACP agents (Claude Code, Codex, Gemini) OUTSIDE the project's dependencies,
// into a cache folder keyed by the pinned versions, for the opt-in suite `npm run test:agents`.
// Idempotent: a folder whose marker file exists is left as it is. Prints the folder and how long it took.
//
//   node scripts/install-real-agents.mjs            install (or skip) and print the cache folder
//   AGENTHUB_REAL_AGENTS_DIR=/path node scripts/...  use another cache folder
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { realAgentPackages, realAgentsDir } from "../test/real-agents/pinned.mjs";

const dir = realAgentsDir();
const marker = join(dir, ".installed");
const started = Date.now();

if (existsSync(marker)) {
  console.log(`real agents already installed in ${dir} (${Date.now() - started} ms)`);
  process.exit(0);
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, "package.json"),
  `${JSON.stringify({ name: "agenthub-real-agents", private: true }, null, 2)}\n`,
);
const specs = realAgentPackages.map((p) => `${p.name}@${p.version}`);
console.log(`installing ${specs.join(" ")} into ${dir}`);
const r = spawnSync(
  "npm",
  ["install", "--prefix", dir, "--no-audit", "--no-fund", "--save-exact", "--loglevel=error", ...specs],
  { stdio: "inherit", cwd: dirname(fileURLToPath(import.meta.url)) },
);
if (r.status !== 0) {
  console.error(`npm install of the real agents failed (exit ${r.status ?? r.signal})`);
  process.exit(1);
}
writeFileSync(marker, `${new Date().toISOString()}\n`);
console.log(`real agents installed in ${dir} (${Date.now() - started} ms)`);
