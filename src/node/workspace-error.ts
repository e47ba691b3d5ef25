/**
 * A workspace could not be prepared (e.g. `git worktree add` failed). A run failure code rather
 * than an HTTP error, so it lives outside the REST registry; `gitText` is git's own stderr.
 */
export class WorkspaceError extends Error {
  readonly code = "WORKSPACE_ERROR" as const;
  readonly gitText: string;

  constructor(message: string, gitText: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WorkspaceError";
    this.gitText = gitText;
  }
}

export function isWorkspaceError(err: unknown): err is WorkspaceError {
  return err instanceof WorkspaceError;
}
