import { z } from "zod";
import { CERT_FILES } from "../grpc/cert-files.js";
import { SIGNING_KEY_FILE, VERIFY_KEY_FILE } from "../grpc/signing-key.js";

/** The archive member names of a backup, and what each is restored as. */
export const BACKUP_DATABASE = "agenthub.db";
export const BACKUP_CERT_DIR = "internal-grpc";
export const BACKUP_NODE_EVENTS = "node-main/events/events.jsonl";
export const BACKUP_CONFIG = "config.toml";
export const BACKUP_MANIFEST = "manifest.json";

/** The cert dir files the hub needs: its CA, server and client pairs, and its token-signing key pair. */
export const BACKED_UP_CERT_FILES: readonly string[] = [
  ...Object.values(CERT_FILES),
  SIGNING_KEY_FILE,
  VERIFY_KEY_FILE,
];

const fileRole = z.enum(["database", "cert_dir", "node_events", "config"]);
export type BackupFileRole = z.infer<typeof fileRole>;

/** The member name a role's file must have (anything else in a manifest is refused). */
export function isBackupMemberName(role: BackupFileRole, name: string): boolean {
  switch (role) {
    case "database":
      return name === BACKUP_DATABASE;
    case "cert_dir":
      return BACKED_UP_CERT_FILES.some((f) => name === `${BACKUP_CERT_DIR}/${f}`);
    case "node_events":
      return name === BACKUP_NODE_EVENTS;
    case "config":
      return name === BACKUP_CONFIG;
  }
}

export const backupManifestSchema = z.object({
  format: z.literal("agenthub-backup"),
  format_version: z.literal(1),
  created_at: z.string(),
  agenthub_version: z.string(),
  /** A hub was running on the data dir while the copy was taken. */
  hub_was_running: z.boolean(),
  database: z.object({
    schema_version: z.number().int(),
    page_count: z.number().int(),
    page_size: z.number().int(),
    /** How often the hub's writes made SQLite start the copy over. */
    restarts: z.number().int(),
    counts: z.object({ users: z.number(), teams: z.number(), runs: z.number(), agents: z.number() }),
  }),
  files: z.array(z.object({ path: z.string(), role: fileRole, bytes: z.number().int(), sha256: z.string() })),
});

/** manifest.json, the archive's last member: what the backup holds and each file's SHA-256. */
export type BackupManifest = z.infer<typeof backupManifestSchema>;
