import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { killGroup, waitGroupGone } from "./agent-process.js";

/** Env var set on every agent process so a pid recorded earlier can be recognised as ours. */
export const AGENT_MARKER_ENV = "AGENTHUB_NODE_AGENT_ID";

export interface PidRecord {
  agent_id: string;
  pid: number;
  pgid: number;
  command: string;
  started_at: string;
}

export interface ReapResult {
  agent_id: string;
  pgid: number;
  /** The group still existed and was killed. */
  killed: boolean;
}

/** `<dataDir>/agents/<id>.pid` files: one JSON record per running agent. */
export class Pidfiles {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "agents");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  write(rec: PidRecord): void {
    writeFileSync(this.file(rec.agent_id), `${JSON.stringify(rec)}\n`, { mode: 0o600 });
  }

  remove(agentId: string): void {
    rmSync(this.file(agentId), { force: true });
  }

  list(): PidRecord[] {
    const out: PidRecord[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".pid")) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), "utf8")) as PidRecord);
      } catch {
        rmSync(join(this.dir, name), { force: true });
      }
    }
    return out;
  }

  /**
   * Kills the process groups recorded by a previous run (SIGTERM, then SIGKILL after `graceMs`)
   * and removes their pidfiles. A live leader whose environment lacks our marker is a reused pid
   * and left alone.
   */
  async reap(graceMs = 2000): Promise<ReapResult[]> {
    const results: ReapResult[] = [];
    for (const rec of this.list()) {
      const ours = isOurs(rec);
      const killed = ours && killGroup(rec.pgid, "SIGTERM");
      if (killed && !(await waitGroupGone(rec.pgid, graceMs))) {
        killGroup(rec.pgid, "SIGKILL");
        await waitGroupGone(rec.pgid, 2000);
      }
      this.remove(rec.agent_id);
      results.push({ agent_id: rec.agent_id, pgid: rec.pgid, killed });
    }
    return results;
  }

  private file(agentId: string): string {
    return join(this.dir, `${encodeURIComponent(agentId)}.pid`);
  }
}

function isOurs(rec: PidRecord): boolean {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${rec.pgid}/environ`, "utf8");
  } catch (err) {
    // leader gone (group members may remain) or no /proc: trust the record; unreadable: not ours
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
  return environ.split("\0").includes(`${AGENT_MARKER_ENV}=${rec.agent_id}`);
}
