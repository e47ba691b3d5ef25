/** How an agent process ended: exit code or signal, its last stderr lines and a readable message. */
export interface AgentExit {
  code: number | null;
  signal: string | null;
  stderr_tail: string[];
  message: string;
}

/** The agent process ended while something was waiting on it (start, a turn). */
export class AgentExitedError extends Error {
  readonly code = "AGENT_EXITED" as const;
  readonly exit: AgentExit;

  constructor(exit: AgentExit, options?: { cause?: unknown }) {
    super(exit.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AgentExitedError";
    this.exit = exit;
  }
}

/** Human summary: `agent exited with code 3: <last stderr line>`. */
export function describeExit(code: number | null, signal: string | null, tail: readonly string[]): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${String(code)}`;
  const last = tail.at(-1);
  return last ? `agent ${how}: ${last}` : `agent ${how}`;
}
