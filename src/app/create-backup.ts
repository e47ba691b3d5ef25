import { createHash } from "node:crypto";
import { existsSync, linkSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Config } from "../config/config-schema.js";
import { type BackupProgress, backupDatabase, inspectDatabaseCopy } from "../store/online-backup.js";
import type { Clock } from "../util/clock.js";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../util/private-files.js";
import { TarWriter } from "../util/tar-writer.js";
import { VERSION } from "../util/version.js";
import { BackupError } from "./backup-error.js";
import {
  BACKED_UP_CERT_FILES,
  BACKUP_CERT_DIR,
  BACKUP_CONFIG,
  BACKUP_DATABASE,
  BACKUP_MANIFEST,
  BACKUP_NODE_EVENTS,
  type BackupFileRole,
  type BackupManifest,
} from "./backup-manifest.js";
import { compileHubOptions } from "./hub-options.js";
import { runningHub } from "./hub-pidfile.js";

/** Moves the finished archive to `out`; a hard link never replaces a file that appeared meanwhile. */
function publish(partial: string, out: string): void {
  try {
    linkSync(partial, out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new BackupError(`${out} already exists: choose another file or remove it`);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
    renameSync(partial, out); // a file system without hard links
  }
}

export interface CreateBackupCommand {
  config: Config;
  /** The archive to write; must not exist. */
  out: string;
  clock: Clock;
  onProgress?: (p: BackupProgress) => void;
}

export interface BackupRecord {
  path: string;
  bytes: number;
  manifest: BackupManifest;
  /** Where the cert dir files came from. */
  certDir: string;
}

/**
 * Writes a backup archive (tar, 0600) of the hub's data dir, safe while the hub runs: the database as
 * one consistent snapshot (SQLite online backup), checked with `integrity_check`; the cert dir's keys
 * and certificates (the CA and token-signing keys among them: the archive is a secret); the built-in
 * node's event log, taken after the database so it covers every event the copy has; the config file.
 */
export async function createBackup(cmd: CreateBackupCommand): Promise<BackupRecord> {
  const { config } = cmd;
  const o = compileHubOptions(config);
  const out = resolve(cmd.out);
  if (!existsSync(o.databasePath)) {
    throw new BackupError(
      `no database at ${o.databasePath}: nothing to back up (is AGENTHUB_HOME or --config the hub's?)`,
    );
  }
  if (existsSync(out)) throw new BackupError(`${out} already exists: choose another file or remove it`);
  if (!existsSync(dirname(out))) throw new BackupError(`folder ${dirname(out)} does not exist`);
  const hubWasRunning = runningHub(o.home) !== undefined;
  const staging = mkdtempSync(join(dirname(out), `.${basename(out)}.`));
  const partial = join(staging, "archive.tar");
  try {
    const dbCopy = join(staging, BACKUP_DATABASE);
    const copied = await backupDatabase(o.databasePath, dbCopy, cmd.onProgress);
    const db = inspectDatabaseCopy(dbCopy);
    if (!db.integrityOk) {
      throw new BackupError(
        `the database copy fails PRAGMA integrity_check (${db.problems.join("; ")}): the hub's database ${o.databasePath} is damaged; nothing was written`,
      );
    }
    const files: BackupManifest["files"] = [];
    const tar = new TarWriter(partial, PRIVATE_FILE_MODE);
    try {
      const add = (name: string, source: string, role: BackupFileRole) => {
        const hash = createHash("sha256");
        const bytes = tar.addFile(name, source, PRIVATE_FILE_MODE, (c) => hash.update(c));
        files.push({ path: name, role, bytes, sha256: hash.digest("hex") });
      };
      add(BACKUP_DATABASE, dbCopy, "database");
      tar.addDirectory(BACKUP_CERT_DIR, PRIVATE_DIR_MODE);
      for (const name of BACKED_UP_CERT_FILES) {
        const source = join(o.internalGrpc.certDir, name);
        if (existsSync(source)) add(`${BACKUP_CERT_DIR}/${name}`, source, "cert_dir");
      }
      // After the database: the log then holds every event the copy has seen (and maybe more).
      const events = join(o.mainNode.dataDir, "events", "events.jsonl");
      if (existsSync(events)) add(BACKUP_NODE_EVENTS, events, "node_events");
      if (config.config_path && existsSync(config.config_path))
        add(BACKUP_CONFIG, config.config_path, "config");
      const manifest: BackupManifest = {
        format: "agenthub-backup",
        format_version: 1,
        created_at: new Date(cmd.clock.now()).toISOString(),
        agenthub_version: VERSION,
        hub_was_running: hubWasRunning,
        database: {
          schema_version: db.schemaVersion,
          page_count: db.pageCount,
          page_size: db.pageSize,
          restarts: copied.restarts,
          counts: db.counts,
        },
        files,
      };
      tar.addBuffer(
        BACKUP_MANIFEST,
        Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
        PRIVATE_FILE_MODE,
      );
      tar.finish();
      publish(partial, out);
      return { path: out, bytes: statSync(out).size, manifest, certDir: o.internalGrpc.certDir };
    } finally {
      tar.close();
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
