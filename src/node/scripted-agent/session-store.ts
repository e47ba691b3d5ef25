import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The scripted agent's sessions on disk, so `session/load` can restore one in a later process (as a
 * real agent keeps its conversations): one JSON file per session id with the conversation and what the
 * session was told to `remember`. Only with SCRIPTED_LOAD_SESSION=1 (the agent then advertises
 * `loadSession`); the folder is SCRIPTED_STATE_DIR, else `.scripted-agent/sessions` in the session's cwd
 * (the one place a sandboxed agent may write that outlives its process).
 */
export interface StoredSession {
  cwd: string;
  history: { role: "user" | "agent"; text: string }[];
  facts: string[];
}

/** Session ids this agent makes (UUIDs); anything else names no file. */
const SESSION_ID = /^[A-Za-z0-9-]{1,100}$/;

export function loadSessionEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.SCRIPTED_LOAD_SESSION === "1";
}

function folder(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.SCRIPTED_STATE_DIR || join(cwd, ".scripted-agent", "sessions");
}

/** The stored session, or undefined when there is none (or the id is not one of ours). */
export function readSession(env: NodeJS.ProcessEnv, cwd: string, id: string): StoredSession | undefined {
  if (!SESSION_ID.test(id)) return undefined;
  try {
    return JSON.parse(readFileSync(join(folder(env, cwd), `${id}.json`), "utf8")) as StoredSession;
  } catch {
    return undefined;
  }
}

/** Writes the session (whole, through a rename, so a process killed mid-write leaves the last one). */
export function writeSession(env: NodeJS.ProcessEnv, id: string, s: StoredSession): void {
  if (!SESSION_ID.test(id)) return;
  const dir = folder(env, s.cwd);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(s));
  renameSync(`${file}.tmp`, file);
}
