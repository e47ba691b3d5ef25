import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { restoreBackup } from "../app/restore-backup.js";
import { loadConfig } from "../config/load-config.js";
import { systemClock } from "../util/clock.js";
import { UsageError } from "./usage.js";

/**
 * `agenthub restore FILE [--force] [--config PATH]`: restores a backup into the data dir the config
 * names, refusing while a hub runs there. Prints what went where (names, never contents).
 */
export async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { force: { type: "boolean" }, config: { type: "string", short: "c" } },
    allowPositionals: true,
    strict: true,
  });
  const [archive, ...extra] = positionals;
  if (!archive || extra.length > 0)
    throw new UsageError("usage: agenthub restore FILE [--force] [--config PATH]");
  const config = loadConfig({ path: values.config });
  const r = restoreBackup({ config, archive, force: values.force === true, clock: systemClock });
  const m = r.manifest;
  const db = m.database;
  const lines = [
    `restored ${r.archive} (made ${m.created_at} by agenthub ${m.agenthub_version}) into ${r.home}:`,
    `  schema ${db.schema_version}, integrity ok: ${db.counts.users} users, ${db.counts.teams} teams, ${db.counts.runs} runs, ${db.counts.agents} agents`,
  ];
  const at = (role: string) => r.restored.filter((f) => f.role === role).map((f) => f.target);
  lines.push(`  database      ${at("database").join(", ")}`);
  const certs = at("cert_dir");
  if (certs.length > 0) {
    const names = certs.map((p) => basename(p)).join(", ");
    lines.push(`  keys & certs  ${certs.length} files (0600) into ${dirname(certs[0]!)}: ${names}`);
  }
  for (const p of at("node_events")) lines.push(`  node-main     ${p}`);
  for (const p of at("config")) lines.push(`  config        ${p}`);
  if (r.configBesideExisting) {
    lines.push(
      `The config in use was kept; the backup's is ${r.configBesideExisting} (compare and merge by hand).`,
    );
  }
  if (r.movedAsideTo) lines.push(`The data it replaced was moved to ${r.movedAsideTo}.`);
  lines.push(
    "Next: start the hub (agenthub serve, or systemctl start agenthub). Started teams start their agents again;",
    "remote nodes keep their certificates (same CA and token key).",
    "",
  );
  process.stdout.write(lines.join("\n"));
  return 0;
}
