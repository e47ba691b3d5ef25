/**
 * Turn ids the executor gives the prompts it dispatches. They carry what the turn is for, so a
 * `turn_ended` event read back after a hub restart still finds its step, and the node's turn-id
 * dedup makes a retried dispatch of the same step attempt a no-op (the dispatch's idempotency key).
 */
export type TurnRef =
  | { kind: "step"; runId: string; attempt: number; stepKey: string }
  | { kind: "mail"; runId: string; seq: number; memberId: string };

const SEP = "|";

export function stepTurnId(runId: string, stepKey: string, attempt: number): string {
  // The step key goes last: it is the only part that may contain the separator.
  return ["step", runId, String(attempt), stepKey].join(SEP);
}

export function mailTurnId(runId: string, memberId: string, lastSeq: number): string {
  return ["mail", runId, String(lastSeq), memberId].join(SEP);
}

export function parseTurnId(turnId: unknown): TurnRef | undefined {
  if (typeof turnId !== "string") return undefined;
  const parts = turnId.split(SEP);
  if (parts.length < 4) return undefined;
  const [kind, runId, num] = parts as [string, string, string];
  const rest = parts.slice(3).join(SEP);
  const n = Number(num);
  if (!runId || !rest || !Number.isInteger(n) || n < 0) return undefined;
  if (kind === "step") return { kind, runId, attempt: n, stepKey: rest };
  if (kind === "mail") return { kind, runId, seq: n, memberId: rest };
  return undefined;
}
