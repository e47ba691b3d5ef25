import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../usage.js";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Flags every people's command takes. */
const COMMON = {
  json: { type: "boolean" },
  hub: { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

/** Parses a command's flags (strict: an unknown flag is a usage error) and its positional arguments. */
export function parseFlags<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  return parseArgs<{ args: string[]; options: typeof COMMON & O; allowPositionals: true; strict: true }>({
    args,
    options: { ...COMMON, ...options },
    allowPositionals: true,
    strict: true,
  });
}

/** The positional arguments a verb needs, by name; a missing or extra one is a usage error. */
export function positionals(given: string[], names: string[], usage: string): string[] {
  if (given.length < names.length) throw new UsageError(`missing ${names[given.length]}; usage: ${usage}`);
  if (given.length > names.length)
    throw new UsageError(`unexpected argument "${given[names.length]}"; usage: ${usage}`);
  return given;
}
