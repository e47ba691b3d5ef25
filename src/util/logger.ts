import { type Logger, pino } from "pino";

export type { Logger };

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACT_PATHS = [
  "password",
  "pin",
  "token",
  "join_token",
  "shared_secret",
  "secret",
  "authorization",
  "*.password",
  "*.pin",
  "*.token",
  "*.join_token",
  "*.shared_secret",
  "*.secret",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
];

export interface LoggerOptions {
  level: string;
  format: "json" | "pretty";
  /** Where lines go; defaults to stdout. Tests pass a stream to capture output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = { level: opts.level, redact: { paths: REDACT_PATHS, censor: "[redacted]" } };
  if (opts.format === "pretty" && !opts.destination) {
    return pino({ ...base, transport: { target: "pino-pretty", options: { colorize: false } } });
  }
  return pino(base, (opts.destination ?? process.stdout) as pino.DestinationStream);
}
