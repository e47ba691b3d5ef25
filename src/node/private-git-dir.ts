import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runGit } from "./git-command.js";

/**
 * Runs `fn` with the environment of a private, empty GIT_DIR over the worktree at `path` that borrows
 * only the repository's objects and the worktree's index. An agent can write the source repository's
 * git dir (config, info/attributes): with the repository's config, a daemon-side git call that reads
 * or writes file contents (a checkout, a `git status` comparing contents) would run whatever filter
 * driver (`filter.<name>.clean/smudge/process`) that config names, as the daemon, outside the sandbox.
 * Overriding the filter names found in the config first would leave a race (an agent adds one between
 * the scan and the call); here no repository, global or system config is read, so no driver is
 * defined whatever `.gitattributes` names. The cost: such calls ignore the repository's own config
 * (line-ending settings, LFS, `info/exclude`).
 *
 * `head` is what the private HEAD holds: a commit sha (detached), or undefined for an unborn branch.
 */
export async function withPrivateGitDir<T>(
  path: string,
  head: string | undefined,
  fn: (env: Readonly<Record<string, string>>) => Promise<T>,
): Promise<T> {
  const [objects = "", index = "", format = ""] = (
    await runGit(
      [
        "rev-parse",
        "--path-format=absolute",
        "--git-path",
        "objects",
        "--git-path",
        "index",
        "--show-object-format",
      ],
      { cwd: path },
    )
  )
    .trim()
    .split("\n");
  const gitDir = await mkdtemp(join(tmpdir(), "agenthub-git-"));
  try {
    await mkdir(join(gitDir, "refs"));
    await mkdir(join(gitDir, "objects"));
    await writeFile(join(gitDir, "HEAD"), head ? `${head}\n` : "ref: refs/heads/checkout\n");
    const sha256 = format === "sha256";
    await writeFile(
      join(gitDir, "config"),
      `[core]\n\trepositoryformatversion = ${sha256 ? 1 : 0}\n\tbare = false\n${sha256 ? "[extensions]\n\tobjectformat = sha256\n" : ""}`,
    );
    return await fn({
      GIT_DIR: gitDir,
      GIT_WORK_TREE: path,
      GIT_INDEX_FILE: index,
      GIT_OBJECT_DIRECTORY: objects,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_ATTR_NOSYSTEM: "1",
    });
  } finally {
    await rm(gitDir, { recursive: true, force: true });
  }
}
