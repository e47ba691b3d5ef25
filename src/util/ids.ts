import { randomBytes, randomInt } from "node:crypto";

/** Opaque, URL-safe id with a type prefix so a wrong id is recognisable at a glance (`run_…` vs `team_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

/** A bearer secret: 32 random bytes. */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function newPin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}
