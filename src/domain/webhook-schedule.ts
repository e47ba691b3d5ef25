/**
 * When webhook deliveries are attempted (Svix's documented schedule): the first attempt immediately,
 * then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, each delay with ±10 % jitter so endpoints
 * that failed together are not retried in lockstep. An attempt succeeds on a 2xx answer within
 * ATTEMPT_TIMEOUT_MS; after the last one the delivery is failed.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Attempts in all: the immediate one and one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** A 2xx must arrive within this. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** The fraction of a delay the jitter may add or take away. */
export const JITTER = 0.1;

/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/**
 * The delay before the next attempt after `attemptsMade` failed ones (`random` in [0, 1)), or null when
 * that was the last attempt.
 */
export function retryDelayMs(attemptsMade: number, random: number): number | null {
  const base = RETRY_DELAYS_MS[attemptsMade - 1];
  if (base === undefined || attemptsMade < 1) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}

/** Whether an endpoint failing since `failingSince` (null: not failing) is to be disabled at `now`. */
export function shouldDisable(failingSince: number | null, now: number): boolean {
  return failingSince !== null && now - failingSince >= DISABLE_AFTER_MS;
}
