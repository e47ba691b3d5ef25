import type { ErrorBody } from "./hub-types.js";

/**
 * An error the hub answered: its code, HTTP status and message as the API gave them (the CLI prints
 * them, never interprets the text). Other validation problems of the same request are kept too.
 */
export class HubError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, body: Partial<ErrorBody> | undefined) {
    super(body?.error ?? `the hub answered HTTP ${status}`);
    this.name = "HubError";
    this.status = status;
    this.code = body?.code ?? `HTTP_${status}`;
    this.details = body?.details;
  }

  /** The message and, when the hub listed several problems (a spec), the others after it. */
  get fullMessage(): string {
    const errors = this.details?.errors;
    if (!Array.isArray(errors) || errors.length < 2) return this.message;
    const rest = errors
      .slice(1)
      .map((e) => (e as { message?: unknown }).message)
      .filter((m): m is string => typeof m === "string");
    return [this.message, ...rest].join("; ");
  }
}
