import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, freemem, loadavg, platform, release, totalmem } from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  disk: string;
  /** 1-minute load average at start (other work on the machine skews every figure). */
  loadAvg1: number;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? "unknown";
}

/** `df -T` of the directory (filesystem type, size, mount) — where the benchmarks' data dirs live. */
function disk(dir: string): string {
  try {
    const out = execFileSync("df", ["-PT", "-h", dir], { encoding: "utf8" }).trim().split("\n");
    const cols = (out[1] ?? "").split(/\s+/);
    const [dev, type, size, , avail, , mount] = cols;
    return `${dev} (${type}), ${size} total, ${avail} free, mounted on ${mount}; every hub/node/SQLite data dir is a temp dir under ${dir}`;
  } catch (err) {
    return `unknown (${(err as Error).message})`;
  }
}

export function describeMachine(dataDir: string): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    freeMemoryGiB: freemem() / 2 ** 30,
    os: `${platform()} ${release()}`,
    node: process.version,
    disk: disk(dataDir),
    loadAvg1: loadavg()[0] ?? Number.NaN,
  };
}
