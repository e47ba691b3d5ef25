import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Config } from "../config/config-schema.js";
import { inspectDatabaseCopy } from "../store/online-backup.js";
import type { Clock } from "../util/clock.js";
import { ensurePrivateDirSync, PRIVATE_FILE_MODE } from "../util/private-files.js";
import { copyTarEntry, listTar, readTarEntry, TarFormatError } from "../util/tar-reader.js";
import { BackupError } from "./backup-error.js";
import {
  BACKUP_CERT_DIR,
  BACKUP_MANIFEST,
  type BackupFileRole,
  type BackupManifest,
  backupManifestSchema,
  isBackupMemberName,
} from "./backup-manifest.js";
import { compileHubOptions } from "./hub-options.js";
import { hubPidfilePath, runningHub } from "./hub-pidfile.js";

export interface RestoreBackupCommand {
  config: Config;
  archive: string;
  /** Replace existing data (moved aside first, never deleted). */
  force: boolean;
  clock: Clock;
}

export interface RestoredFile {
  role: BackupFileRole;
  /** Where it was restored. */
  target: string;
}

export interface RestoreRecord {
  archive: string;
  home: string;
  manifest: BackupManifest;
  restored: RestoredFile[];
  /** The folder the replaced files were moved to (with --force), if any were. */
  movedAsideTo: string | undefined;
  /** The backup's config, written beside the one in use instead of over it. */
  configBesideExisting: string | undefined;
}

/** Renames, or copies and unlinks across file systems (a cert dir may live elsewhere). */
function moveFile(from: string, to: string): void {
  ensurePrivateDirSync(dirname(to));
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

function readManifest(archive: string): { manifest: BackupManifest; entries: ReturnType<typeof listTar> } {
  let entries: ReturnType<typeof listTar>;
  try {
    entries = listTar(archive);
  } catch (err) {
    if (err instanceof TarFormatError)
      throw new BackupError(`${archive} is not an agenthub backup: ${err.message}`);
    throw err;
  }
  const m = entries.find((e) => e.name === BACKUP_MANIFEST && e.type === "file");
  if (!m) throw new BackupError(`${archive} is not an agenthub backup: it has no ${BACKUP_MANIFEST}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTarEntry(archive, m).toString("utf8"));
  } catch {
    throw new BackupError(`${archive} is not an agenthub backup: ${BACKUP_MANIFEST} is not JSON`);
  }
  const r = backupManifestSchema.safeParse(parsed);
  if (!r.success) {
    throw new BackupError(
      `${archive} is not an agenthub backup this version reads: ${r.error.issues[0]?.message}`,
    );
  }
  for (const f of r.data.files) {
    if (!isBackupMemberName(f.role, f.path)) {
      throw new BackupError(`${archive}: unexpected member ${JSON.stringify(f.path)} in ${BACKUP_MANIFEST}`);
    }
  }
  if (!r.data.files.some((f) => f.role === "database")) throw new BackupError(`${archive} holds no database`);
  return { manifest: r.data, entries };
}

/**
 * Restores a backup archive into the data dir `config` names. Refuses while a hub runs on it (its
 * pidfile names a live agenthub process) and, without `force`, when it already holds data. Every file
 * is checked against the manifest's SHA-256 and the database with `integrity_check` before anything
 * is replaced; replaced files are moved aside, never deleted.
 */
export function restoreBackup(cmd: RestoreBackupCommand): RestoreRecord {
  const { config } = cmd;
  const o = compileHubOptions(config);
  const archive = resolve(cmd.archive);
  const hub = runningHub(o.home);
  if (hub) {
    throw new BackupError(
      `a hub is running on ${o.home} (pid ${hub.pid}${hub.url ? `, ${hub.url}` : ""}): stop it first (e.g. systemctl stop agenthub); nothing was changed`,
    );
  }
  if (!existsSync(archive)) throw new BackupError(`${archive} does not exist`);
  const { manifest, entries } = readManifest(archive);
  const targetOf = (f: BackupManifest["files"][number]): string => {
    switch (f.role) {
      case "database":
        return o.databasePath;
      case "cert_dir":
        return join(o.internalGrpc.certDir, f.path.slice(BACKUP_CERT_DIR.length + 1));
      case "node_events":
        return join(o.mainNode.dataDir, "events", "events.jsonl");
      case "config":
        return config.config_path ?? join(o.home, "config.toml");
    }
  };

  ensurePrivateDirSync(o.home);
  const staging = mkdtempSync(join(o.home, ".restore-"));
  try {
    const staged = manifest.files.map((f, i) => {
      const entry = entries.find((e) => e.name === f.path && e.type === "file");
      if (!entry) throw new BackupError(`${archive} is damaged: ${f.path} is missing`);
      const path = join(staging, String(i));
      const hash = createHash("sha256");
      try {
        copyTarEntry(archive, entry, path, PRIVATE_FILE_MODE, (c) => hash.update(c));
      } catch (err) {
        if (err instanceof TarFormatError) throw new BackupError(`${archive} is damaged: ${err.message}`);
        throw err;
      }
      if (entry.size !== f.bytes || hash.digest("hex") !== f.sha256) {
        throw new BackupError(`${archive} is damaged: ${f.path} does not match its checksum`);
      }
      return { file: f, path, target: targetOf(f) };
    });
    const db = inspectDatabaseCopy(staged.find((s) => s.file.role === "database")!.path);
    if (!db.integrityOk) {
      throw new BackupError(`the backup's database fails PRAGMA integrity_check: ${db.problems.join("; ")}`);
    }
    if (db.schemaVersion > db.knownSchemaVersion) {
      throw new BackupError(
        `the backup's database is at schema version ${db.schemaVersion}, this agenthub knows up to ${db.knownSchemaVersion}: restore it with the agenthub that made it (${manifest.agenthub_version}) or newer`,
      );
    }

    // The config in use is never replaced: the backup's copy goes beside it.
    let configBesideExisting: string | undefined;
    for (const s of staged) {
      if (s.file.role === "config" && existsSync(s.target)) {
        configBesideExisting = join(o.home, "config.toml.from-backup");
        s.target = configBesideExisting;
      }
    }
    // A -wal or -shm left beside the old database would be applied to the restored one.
    const replaced = [
      ...staged.filter((s) => s.file.role !== "config").map((s) => s.target),
      `${o.databasePath}-wal`,
      `${o.databasePath}-shm`,
    ].filter((p) => existsSync(p));
    if (replaced.length > 0 && !cmd.force) {
      const names = replaced.map((p) => relative(o.home, p) || p).join(", ");
      throw new BackupError(
        `${o.home} already holds hub data (${names}): run again with --force to move it aside and restore; nothing was changed`,
      );
    }
    let movedAsideTo: string | undefined;
    if (replaced.length > 0) {
      const stamp = new Date(cmd.clock.now()).toISOString().replace(/[:.]/g, "-");
      movedAsideTo = join(o.home, `before-restore-${stamp}`);
      for (const p of replaced) {
        const rel = relative(o.home, p);
        const inside = rel !== "" && !rel.startsWith("..");
        moveFile(p, join(movedAsideTo, inside ? rel : join("outside-home", p)));
      }
    }
    for (const s of staged) moveFile(s.path, s.target);
    // A pidfile a crashed hub left would only confuse the next check.
    rmSync(hubPidfilePath(o.home), { force: true });
    return {
      archive,
      home: o.home,
      manifest,
      restored: staged.map((s) => ({ role: s.file.role, target: s.target })),
      movedAsideTo,
      configBesideExisting,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
