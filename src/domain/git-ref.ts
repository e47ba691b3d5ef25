import { AppError } from "../errors/registry.js";

/**
 * Why a `worktree_ref` may not be handed to git, or undefined when it may. A ref is data: one
 * starting with `-` would be read as an option (`-m` once renamed a repository's branch), and control
 * characters are never part of a ref name. The one rule, used by the team spec, agent creation and
 * the node itself.
 */
export function worktreeRefProblem(ref: string): string | undefined {
  if (ref.startsWith("-"))
    return `must be a git ref, not an option (starts with "-"): ${JSON.stringify(ref)}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(ref)) return `must not contain control characters: ${JSON.stringify(ref)}`;
  return undefined;
}

/** Throws WORKTREE_REF_INVALID naming `field` when the ref may not be handed to git. */
export function assertWorktreeRef(ref: string | undefined, field = "worktree_ref"): void {
  if (ref === undefined) return;
  const problem = worktreeRefProblem(ref);
  if (problem) {
    throw new AppError(
      "WORKTREE_REF_INVALID",
      { field, worktree_ref: ref },
      { message: `${field} ${problem}` },
    );
  }
}
