import { parseArgs } from "node:util";
import { createBackup } from "../app/create-backup.js";
import { loadConfig } from "../config/load-config.js";
import { systemClock } from "../util/clock.js";
import { formatBytes } from "./format-bytes.js";
import { UsageError } from "./usage.js";

/** How often a long copy reports its progress (stderr). */
const PROGRESS_EVERY_MS = 1_000;

/**
 * `agenthub backup --out FILE [--config PATH]`: a consistent backup of a hub's data dir, also while the
 * hub runs. The summary names files, never their contents.
 */
export async function backupCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: "string", short: "o" }, config: { type: "string", short: "c" } },
    strict: true,
  });
  if (!values.out) throw new UsageError("usage: agenthub backup --out FILE [--config PATH]");
  const config = loadConfig({ path: values.config });
  let lastReport = Date.now();
  const r = await createBackup({
    config,
    out: values.out,
    clock: systemClock,
    onProgress: (p) => {
      if (p.restarted) {
        process.stderr.write("backup: the hub wrote meanwhile; copying the rest in one step\n");
      }
      if (Date.now() - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = Date.now();
      const done = p.totalPages - p.remainingPages;
      const pct = p.totalPages === 0 ? 100 : Math.floor((done * 100) / p.totalPages);
      process.stderr.write(`backup: ${pct}% (${done}/${p.totalPages} pages)\n`);
    },
  });
  const m = r.manifest;
  const db = m.database;
  const certs = m.files.filter((f) => f.role === "cert_dir").map((f) => f.path.split("/").pop());
  const lines = [
    `backup written to ${r.path} (${formatBytes(r.bytes)}, mode 0600)${m.hub_was_running ? ", taken while the hub ran" : ""}:`,
    `  database      schema ${db.schema_version}, ${formatBytes(db.page_count * db.page_size)}, integrity ok: ${db.counts.users} users, ${db.counts.teams} teams, ${db.counts.runs} runs, ${db.counts.agents} agents`,
    `  keys & certs  ${certs.length} files from ${r.certDir}: ${certs.join(", ")}`,
  ];
  if (m.files.some((f) => f.role === "node_events"))
    lines.push("  node-main     the built-in node's event log");
  if (m.files.some((f) => f.role === "config")) lines.push(`  config        ${config.config_path}`);
  lines.push(
    "It holds the hub's private keys (CA and token signing): store it like a secret.",
    "Not included: agents' worktrees and remote nodes' data dirs. Restore: agenthub restore FILE (hub stopped).",
    "",
  );
  process.stdout.write(lines.join("\n"));
  return 0;
}
