import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PRIVATE_FILE_MODE } from "../util/private-files.js";

/** In the data dir while a hub runs on it: what `agenthub restore` checks before touching anything. */
export const HUB_PIDFILE = "agenthub.pid";

export interface HubPidRecord {
  pid: number;
  /** The REST API's address. */
  url: string;
  started_at: string;
}

export function hubPidfilePath(home: string): string {
  return join(home, HUB_PIDFILE);
}

/** Records this process as the hub running on `home` (atomically, 0600). */
export function writeHubPidfile(home: string, record: HubPidRecord): void {
  const path = hubPidfilePath(home);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`, { mode: PRIVATE_FILE_MODE });
  renameSync(tmp, path);
}

/** Removes the pidfile if it still names this process (a newer hub's is left alone). */
export function removeHubPidfile(home: string): void {
  if (readRecord(hubPidfilePath(home))?.pid === process.pid) rmSync(hubPidfilePath(home), { force: true });
}

function readRecord(path: string): HubPidRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as Partial<HubPidRecord>;
    return typeof r.pid === "number" && Number.isInteger(r.pid) && r.pid > 0
      ? { pid: r.pid, url: String(r.url ?? ""), started_at: String(r.started_at ?? "") }
      : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** On Linux: whether the process's command line names agenthub (a reused pid does not). */
function looksLikeAgenthub(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return true; // no /proc (or not readable): trust the pid
  }
  return cmdline.includes("agenthub");
}

/**
 * The hub running on `home`, if any: its pidfile names a live process that is an agenthub (a pidfile a
 * crash left behind, naming a dead or reused pid, is not a running hub).
 */
export function runningHub(home: string): HubPidRecord | undefined {
  const r = readRecord(hubPidfilePath(home));
  if (!r || !processExists(r.pid) || !looksLikeAgenthub(r.pid)) return undefined;
  return r;
}
