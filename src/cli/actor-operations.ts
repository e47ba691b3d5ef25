import { createRegistry, type Message, toJson } from "@bufbuild/protobuf";
import type { z } from "zod";
import { checkPayloadDepth } from "../domain/json-depth.js";
import { file_agenthub_internal_v1_authority, TaskStatus } from "../gen/agenthub/internal/v1/authority_pb.js";
import { routeCodec, taskStatusCodec } from "../grpc/enum-codecs.js";
import {
  commandSchema,
  constant,
  flag,
  integer,
  jsonObject,
  limit,
  optionalText,
  required,
  taskStatus,
} from "./actor-arguments.js";
import { ACTOR_COMMAND_DOCS, type ActorCommandDoc, type ActorCommandName } from "./actor-command-docs.js";
import type { AuthorityClient } from "./actor-connection.js";

/** Who acts, in which run; empty means the token's own (a member's token may name only its own). */
export interface ActorScope {
  runId: string;
  actorId: string;
}

export function actorScope(env: NodeJS.ProcessEnv, runId?: string, actorId?: string): ActorScope {
  return { runId: runId ?? env.AGENTHUB_RUN_ID ?? "", actorId: actorId ?? env.AGENTHUB_ACTOR_ID ?? "" };
}

/**
 * One actor command: the one implementation behind `agenthub actor <name>` and the MCP tool of the
 * same name (with `_` for `-`). `args` holds every rule of its arguments; `call` is its one RPC.
 */
export interface ActorOperation<A extends Record<string, unknown> = Record<string, unknown>> {
  /** The CLI's options, as `agenthub actor help` shows them. */
  usage: string;
  /** What it does: the help text and the MCP tool's description. */
  about: string;
  /** Changes nothing (MCP's read-only hint). */
  readOnly: boolean;
  /** The arguments' schema, with the groups of which exactly one must be given. */
  args: z.ZodType<A> & { shape: z.ZodRawShape };
  oneOf: readonly string[][];
  call(client: AuthorityClient, scope: ActorScope, args: A): Promise<Message>;
}

/** A command's rules: its arguments' schema and its call (its docs are in actor-command-docs.ts). */
type ActorRules = Pick<ActorOperation, "args" | "oneOf" | "call">;

function operation<S extends z.ZodRawShape>(def: {
  shape: S;
  oneOf?: (keyof S & string)[][];
  call: (client: AuthorityClient, scope: ActorScope, args: z.output<z.ZodObject<S>>) => Promise<Message>;
}): ActorRules {
  const oneOf = def.oneOf ?? [];
  return {
    args: commandSchema(def.shape, oneOf),
    oneOf,
    call: def.call as ActorOperation["call"],
  } as ActorRules;
}

const stepKey = optionalText("the step (default: your only working step)");

/** Each command's rules, by its CLI name. */
const RULES: Record<ActorCommandName, ActorRules> = {
  inbox: operation({
    shape: { limit: limit("at most this many messages (default: the hub's)") },
    call: (c, scope, a) => c.getInbox({ ...scope, limit: a.limit ?? 0 }),
  }),
  receive: operation({
    shape: { limit: limit("at most this many messages (default: the hub's)") },
    call: (c, scope, a) => c.receive({ ...scope, limit: a.limit ?? 0 }),
  }),
  ack: operation({
    shape: {
      message_ids: required("a message id")
        .array()
        .min(1, { error: "is required" })
        .describe("the messages to acknowledge"),
    },
    call: (c, scope, a) => c.ack({ ...scope, messageIds: a.message_ids }),
  }),
  send: operation({
    shape: {
      to_actor_id: optionalText("to this member"),
      to_leader: flag("to the team's leader"),
      broadcast: flag("to every other member of the run"),
      text: optionalText("the message text"),
      payload: jsonObject("the message as a JSON object"),
      idempotency_key: optionalText("a retried send with the same key stores one message"),
    },
    oneOf: [
      ["to_actor_id", "to_leader", "broadcast"],
      ["text", "payload"],
    ],
    call: (c, scope, a) => {
      // The hub's limit, checked before sending: a deeper value would not even decode on the hub.
      if (a.payload !== undefined) checkPayloadDepth(a.payload);
      return c.send({
        ...scope,
        route: routeCodec.encode(
          a.to_actor_id !== undefined ? "to_member" : a.to_leader ? "to_leader" : "broadcast",
        ),
        toActorId: a.to_actor_id ?? "",
        body:
          a.text !== undefined
            ? { case: "text", value: a.text }
            : { case: "payload", value: a.payload as Record<string, never> },
        idempotencyKey: a.idempotency_key ?? "",
      });
    },
  }),
  "team-members": operation({
    shape: {},
    call: (c, scope) => c.listTeamMembers({ runId: scope.runId }),
  }),
  "team-tasks": operation({
    shape: { status: taskStatus("only tasks in this status").optional() },
    call: (c, scope, a) =>
      c.listTeamTasks({
        runId: scope.runId,
        status: a.status ? taskStatusCodec.encode(a.status) : TaskStatus.UNSPECIFIED,
      }),
  }),
  "team-task-create": operation({
    shape: {
      title: required("what the task is"),
      assigned_member_id: optionalText("the member who does it"),
      priority: integer("higher first (default 0)"),
    },
    call: (c, scope, a) =>
      c.createTeamTask({
        ...scope,
        title: a.title,
        assignedMemberId: a.assigned_member_id ?? "",
        priority: a.priority ?? 0,
      }),
  }),
  "team-task-update": operation({
    shape: { task_id: required("the task"), status: taskStatus("its new status") },
    call: (c, scope, a) =>
      c.updateTeamTask({ ...scope, taskId: a.task_id, status: taskStatusCodec.encode(a.status) }),
  }),
  "step-complete": operation({
    shape: { output: required("the step's output"), step_key: stepKey },
    call: (c, scope, a) => c.completeStep({ ...scope, stepKey: a.step_key ?? "", output: a.output }),
  }),
  "step-fail": operation({
    shape: {
      error_text: required("why it failed"),
      code: optionalText("a failure code, e.g. WORKSPACE_ERROR"),
      step_key: stepKey,
    },
    call: (c, scope, a) =>
      c.failStep({ ...scope, stepKey: a.step_key ?? "", errorText: a.error_text, code: a.code ?? "" }),
  }),
  "permission-review-respond": operation({
    shape: {
      request_id: required("the review's id (review_id in the review message)"),
      option_id: optionalText("the chosen option (option_id in the review message)"),
      outcome: constant("cancelled", "cancelled: answer without choosing an option"),
    },
    oneOf: [["option_id", "outcome"]],
    call: (c, scope, a) =>
      c.respondPermissionReview({
        ...scope,
        requestId: a.request_id,
        outcome:
          a.option_id !== undefined
            ? { case: "optionId", value: a.option_id }
            : { case: "outcomeCancelled", value: true },
      }),
  }),
};

/** The actor commands, by their CLI name: their docs and their rules. */
export const ACTOR_OPERATIONS: Record<ActorCommandName, ActorOperation> = Object.fromEntries(
  Object.entries(RULES).map(([name, rules]) => {
    const doc: ActorCommandDoc = ACTOR_COMMAND_DOCS[name as ActorCommandName];
    return [name, { usage: doc.usage, about: doc.about, readOnly: doc.readOnly ?? false, ...rules }];
  }),
) as Record<ActorCommandName, ActorOperation>;

const registry = createRegistry(file_agenthub_internal_v1_authority);

/** The response in protobuf's JSON mapping, with the .proto's snake_case field names (like the REST API). */
function toPlain(msg: Message): Record<string, unknown> {
  const schema = registry.getMessage(msg.$typeName);
  if (!schema) throw new Error(`unknown message ${msg.$typeName}`);
  return toJson(schema, msg, { useProtoFieldName: true, alwaysEmitImplicit: true }) as Record<
    string,
    unknown
  >;
}

/** Runs one command with arguments its schema accepted; its response as plain JSON. */
export async function performActorOperation(
  op: ActorOperation,
  client: AuthorityClient,
  scope: ActorScope,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return toPlain(await op.call(client, scope, args));
}
