import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `command` can be started as an agent would start it: a name is looked up on `pathVar`
 * (the agent's PATH), a path (with a "/") relative to `cwd`. Checked before a start so a missing
 * agent binary is named as such instead of surfacing as an exit.
 */
export async function commandExists(
  command: string,
  pathVar: string | undefined,
  cwd: string,
): Promise<boolean> {
  if (command.includes("/")) return isExecutable(isAbsolute(command) ? command : resolve(cwd, command));
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (dir !== "" && (await isExecutable(join(dir, command)))) return true;
  }
  return false;
}
