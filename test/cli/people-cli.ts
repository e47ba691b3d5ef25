import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnCli } from "../helpers/spawn-cli.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the people's CLI (`agenthub <noun> …`, the built bin) as its own process, with a private HOME
 * and XDG_CONFIG_HOME under `home` and only what `env` adds (AGENTHUB_HUB, AGENTHUB_TOKEN, …).
 */
export async function people(
  home: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliResult> {
  mkdirSync(home, { recursive: true });
  const p = spawnCli(
    args,
    { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, "xdg"), ...opts.env },
    opts.stdin === undefined ? {} : { stdin: opts.stdin },
  );
  const code = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
