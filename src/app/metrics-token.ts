import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "../config/config-error.js";
import type { Logger } from "../util/logger.js";

/** Shortest token `[metrics] token_file` may hold: a guessable one would open the metrics to anyone. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * The bearer token scrapers of `/metrics` on the REST listener send: the file's content without
 * surrounding whitespace. A missing, unreadable or short token refuses the start (ConfigError, naming
 * the key and file, never the token); a file others can read is started with a warning.
 */
export function readMetricsToken(path: string, logger: Logger): string {
  let token: string;
  try {
    token = readFileSync(path, "utf8").trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`cannot read [metrics] token_file ${path}: ${code}`);
  }
  if (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      `[metrics] token_file ${path} must hold one token of at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. \`openssl rand -hex 32 > ${path}\`)`,
    );
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    logger.warn(
      { component: "metrics", path },
      "[metrics] token_file is readable by other users; chmod 600 it",
    );
  }
  return token;
}
