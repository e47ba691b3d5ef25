/** What every scenario gets from the runner. */
export interface BenchContext {
  log: (msg: string) => void;
}

export const HUB_TOKEN_AUDIENCE = { issuer: "agenthub", audience: "agenthub-internal" } as const;
