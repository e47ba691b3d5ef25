import { ERRORS, type ErrorCode } from "./registry.js";

/**
 * A registry message whose template names parameters (`agent "{provider}" needs credentials: {hint}`)
 * with them filled in; a parameter not given stays as written.
 */
export function fillMessage(code: ErrorCode, params: Readonly<Record<string, string>>): string {
  const template: string = ERRORS[code].message;
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => params[name] ?? whole);
}
