import { setTimeout as delay } from "node:timers/promises";

/**
 * Polls `check` until it returns a truthy value, for state that has no event to await (e.g. another
 * process's status seen over REST). Fails with `what` after `timeoutMs`.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}
