import { unknownEnvWarnings } from "../config/env-overrides.js";
import type { Logger } from "../util/logger.js";

/** Resolves with the exit code once SIGTERM/SIGINT arrived and `stop` finished. */
export function runUntilSignal(
  logger: Logger,
  component: string,
  stop: () => Promise<void>,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ component, signal }, "shutting down");
      stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
}

/** Daemons warn at start about `AGENTHUB_*` variables that override nothing (a typo keeps the default). */
export function warnUnknownEnv(logger: Logger, env: NodeJS.ProcessEnv = process.env): void {
  for (const message of unknownEnvWarnings(env)) logger.warn({ component: "config" }, message);
}
