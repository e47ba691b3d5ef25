import { parseArgs } from "node:util";
import { z } from "zod";
import { ONE_OF, oneOfMessage } from "./actor-arguments.js";
import type { ActorCommandName } from "./actor-command-docs.js";
import { type AuthorityClient, connectAuthority } from "./actor-connection.js";
import { actorFailure } from "./actor-failure.js";
import {
  ACTOR_OPERATIONS,
  type ActorOperation,
  actorScope,
  performActorOperation,
} from "./actor-operations.js";
import { UsageError } from "./usage.js";

const OPTIONS = {
  json: { type: "boolean" },
  "run-id": { type: "string" },
  "actor-id": { type: "string" },
  limit: { type: "string" },
  "message-id": { type: "string", multiple: true },
  "to-actor-id": { type: "string" },
  "to-leader": { type: "boolean" },
  broadcast: { type: "boolean" },
  text: { type: "string" },
  "payload-json": { type: "string" },
  "idempotency-key": { type: "string" },
  status: { type: "string" },
  title: { type: "string" },
  "assigned-member-id": { type: "string" },
  priority: { type: "string" },
  "task-id": { type: "string" },
  output: { type: "string" },
  "error-text": { type: "string" },
  code: { type: "string" },
  "step-key": { type: "string" },
  "request-id": { type: "string" },
  "option-id": { type: "string" },
  outcome: { type: "string" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>
>["values"];

/** Options of every command, not arguments of one. */
const COMMON = new Set(["json", "run-id", "actor-id"]);
/** Flags whose argument is named otherwise (the MCP tools' names); the others are the flag with `_` for `-`. */
const ARG_OF_FLAG: Record<string, string> = { "payload-json": "payload", "message-id": "message_ids" };
const FLAG_OF_ARG = Object.fromEntries(Object.entries(ARG_OF_FLAG).map(([f, a]) => [a, f]));

const flagOf = (arg: string) => `--${FLAG_OF_ARG[arg] ?? arg.replaceAll("_", "-")}`;

function wantsNumber(schema: z.core.$ZodType | undefined): boolean {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodNumber;
}

/** The flags given, as the command's arguments: numbers and JSON parsed, the rest for its schema to judge. */
function argsOf(op: ActorOperation, values: Values): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(values)) {
    if (value === undefined || COMMON.has(flag)) continue;
    const name = ARG_OF_FLAG[flag] ?? flag.replaceAll("-", "_");
    if (name === "payload") {
      try {
        args[name] = JSON.parse(value as string);
      } catch {
        throw new UsageError(`${flagOf(name)} must be valid JSON`);
      }
    } else if (typeof value === "string" && wantsNumber(op.args.shape[name])) {
      const n = Number(value);
      args[name] = value.trim() !== "" && Number.isFinite(n) ? n : value;
    } else args[name] = value;
  }
  return args;
}

/** The schema's first objection, naming the flags. */
function usageErrorOf(cmd: string, issue: z.core.$ZodIssue): UsageError {
  if (issue.code === "unrecognized_keys") {
    return new UsageError(`${cmd} has no option ${issue.keys.map(flagOf).join(", ")}`);
  }
  const group = issue.code === "custom" ? issue.params?.[ONE_OF] : undefined;
  if (Array.isArray(group)) return new UsageError(oneOfMessage(group.map((a) => flagOf(String(a)))));
  const arg = issue.path[0];
  return new UsageError(arg === undefined ? issue.message : `${flagOf(String(arg))} ${issue.message}`);
}

function human(cmd: string, r: Record<string, unknown>): string {
  if (Array.isArray(r.messages)) {
    const msgs = r.messages as {
      message_id: string;
      from_actor_id: string;
      kind: string;
      payload: unknown;
    }[];
    if (msgs.length === 0) return "no messages";
    return msgs
      .map((m) => `${m.message_id}  from ${m.from_actor_id}  [${m.kind}]  ${JSON.stringify(m.payload)}`)
      .join("\n");
  }
  if (Array.isArray(r.members)) {
    return (r.members as { member_id: string; role: string; description: string }[])
      .map((m) => `${m.member_id}${m.role === "MEMBER_ROLE_LEADER" ? " (leader)" : ""}  ${m.description}`)
      .join("\n");
  }
  if (Array.isArray(r.tasks)) {
    const tasks = r.tasks as { task_id: string; title: string; status: string }[];
    return tasks.length === 0
      ? "no tasks"
      : tasks
          .map((t) => `${t.task_id}  ${t.status.replace("TASK_STATUS_", "").toLowerCase()}  ${t.title}`)
          .join("\n");
  }
  if (cmd === "send")
    return `sent ${String(r.message_id)} to ${(r.recipients as string[]).join(", ")}${r.duplicate ? " (duplicate)" : ""}`;
  return Object.entries(r)
    .map(([k, val]) => `${k}: ${typeof val === "object" ? JSON.stringify(val) : String(val)}`)
    .join("\n");
}

/** `agenthub actor <cmd> …` for one of the commands: its flags checked, its call made, its answer printed. */
export async function actorCallCommand(cmd: ActorCommandName, rest: string[]): Promise<number> {
  const op = ACTOR_OPERATIONS[cmd];
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false });
  // Usage errors first, before any connection.
  const parsed = op.args.safeParse(argsOf(op, values));
  if (!parsed.success) throw usageErrorOf(cmd, parsed.error.issues[0]!);
  let client: AuthorityClient | undefined;
  try {
    const scope = actorScope(process.env, values["run-id"], values["actor-id"]);
    client = await connectAuthority(process.env, scope.actorId || undefined);
    const result = await performActorOperation(op, client, scope, parsed.data);
    process.stdout.write(`${values.json ? JSON.stringify(result) : human(cmd, result)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const failure = actorFailure(err);
    if (values.json) process.stdout.write(`${JSON.stringify(failure.record)}\n`);
    process.stderr.write(`agenthub actor ${cmd}: ${failure.text}\n`);
    return 1;
  } finally {
    client?.close();
  }
}
