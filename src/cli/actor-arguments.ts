import { z } from "zod";
import { TASK_STATUSES } from "../domain/task-state.js";

/**
 * The rules of actor command arguments, one zod schema per command, shared by the CLI (flags mapped
 * to these names) and the MCP server (the tools' input schemas). Messages say what is wrong without
 * naming the argument: each surface names it its own way (`--task-id`, `task_id`).
 */

/** A non-empty string the command cannot do without. */
export function required(about: string) {
  return z
    .string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") })
    .min(1, { error: "is required" })
    .describe(about);
}

export function optionalText(about: string) {
  return z.string({ error: "must be a string" }).optional().describe(about);
}

export function flag(about: string) {
  return z.boolean({ error: "must be true or false" }).optional().describe(about);
}

export function integer(about: string) {
  return z.int({ error: "must be an integer" }).optional().describe(about);
}

export function limit(about: string) {
  return z
    .int({ error: "must be an integer" })
    .min(1, { error: "must be at least 1" })
    .optional()
    .describe(about);
}

export function taskStatus(about: string) {
  return z.enum(TASK_STATUSES, { error: `must be one of: ${TASK_STATUSES.join(", ")}` }).describe(about);
}

/** Only this value (when given). */
export function constant<V extends string>(value: V, about: string) {
  return z
    .literal(value, { error: `must be ${value}` })
    .optional()
    .describe(about);
}

/** A JSON object (a mailbox payload). */
export function jsonObject(about: string) {
  return z.record(z.string(), z.unknown(), { error: "must be a JSON object" }).optional().describe(about);
}

/** The parameter a one-of issue carries: the argument names of which exactly one must be given. */
export const ONE_OF = "one_of";

/** The message of a one-of issue, with the arguments named as the surface names them. */
export function oneOfMessage(names: readonly string[]): string {
  return `give exactly one of ${names.join(", ")}`;
}

function given(value: unknown): boolean {
  return value !== undefined && value !== false;
}

/**
 * The command's schema: exactly `shape` (unknown arguments are refused) and, for each group, exactly
 * one of its arguments given (a flag set to false counts as not given).
 */
export function commandSchema<S extends z.ZodRawShape>(shape: S, groups: readonly (keyof S & string)[][]) {
  return z.strictObject(shape).superRefine((args, ctx) => {
    for (const group of groups) {
      const count = group.filter((name) => given((args as Record<string, unknown>)[name])).length;
      if (count !== 1)
        ctx.addIssue({ code: "custom", message: oneOfMessage(group), params: { [ONE_OF]: group } });
    }
  });
}
