import { execFile } from "node:child_process";
import type { Config } from "../../config/config-schema.js";
import { runBwrapProbe } from "../../node/sandbox.js";
import { type CheckResult, fail, ok, warn } from "./doctor-check.js";

const INSTALL_BWRAP =
  'install bubblewrap (e.g. apt-get install bubblewrap) and set [agents] isolation = "auto"';

/** The sandbox agents would run in here: bubblewrap working, or why not. */
export async function checkIsolation(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const setting = config.agents.isolation;
  if (setting === "none") {
    return warn(
      "isolation",
      'isolation = "none": agents run unsandboxed and can read the hub\'s keys',
      INSTALL_BWRAP,
    );
  }
  const s = await runBwrapProbe(env);
  if (s.works) return ok("isolation", `bubblewrap works (${s.path ?? "bwrap"}); agents are sandboxed`);
  if (setting === "bwrap")
    return fail(
      "isolation",
      `isolation = "bwrap" but ${s.reason ?? "bwrap does not work"}; the hub refuses to start`,
      INSTALL_BWRAP,
    );
  return warn(
    "isolation",
    `isolation = "auto" and ${s.reason ?? "bwrap does not work"}: agents run unsandboxed`,
    INSTALL_BWRAP,
  );
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 10_000 }, (err, stdout) =>
      err ? reject(err) : resolve(String(stdout).trim()),
    );
  });
}

/** git is needed for create_worktree members. */
export async function checkGit(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  try {
    return ok("git", await run("git", ["--version"], env));
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === "ENOENT"
        ? "git is not installed (not found on PATH)"
        : (err as Error).message;
    return fail("git", why, 'install git (members with worktree_mode = "create_worktree" need it)');
  }
}
