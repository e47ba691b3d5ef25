import { AppError, type ErrorCode } from "../errors/registry.js";

export interface Problem {
  field: string;
  message: string;
  code: ErrorCode;
}

/**
 * Collects every validation problem so a user fixes a spec in one round trip. The first problem
 * decides the error's code and message (the contract's exact strings); all are in details.errors.
 */
export class ProblemList {
  /** At most this many problems are kept (a hostile spec could have thousands); the rest are counted. */
  static readonly MAX = 100;
  readonly items: Problem[] = [];
  /** Problems beyond MAX, counted only. */
  more = 0;

  add(field: string, message: string, code: ErrorCode = "SPEC_INVALID"): void {
    if (this.items.length < ProblemList.MAX) this.items.push({ field, message, code });
    else this.more++;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(): void {
    const first = this.items[0];
    if (!first) return;
    throw new AppError(
      first.code,
      {
        errors: this.items.map(({ field, message }) => ({ field, message })),
        ...(this.more > 0 ? { more_errors: this.more } : {}),
      },
      { message: first.message },
    );
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

/**
 * Ids that end up in actor ids, tokens, branch and directory names: a safe character set keeps
 * them unambiguous (no `human:` look-alikes, no path separators).
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_RULE = 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
