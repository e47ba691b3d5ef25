import { parseArgs } from "node:util";
import { createRegistry, type Message, toJson } from "@bufbuild/protobuf";
import { checkPayloadDepth } from "../domain/json-depth.js";
import { file_agenthub_internal_v1_authority, TaskStatus } from "../gen/agenthub/internal/v1/authority_pb.js";
import { routeCodec, taskStatusCodec } from "../grpc/enum-codecs.js";
import { appErrorOfCall } from "../grpc/error-mapping.js";
import { type AuthorityClient, connectAuthority } from "./actor-connection.js";
import { ACTOR_HELP, ACTOR_USAGE } from "./actor-help.js";
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

function need(v: Values, name: keyof Values): string {
  const x = v[name];
  if (typeof x !== "string" || x === "") throw new UsageError(`--${String(name)} is required`);
  return x;
}

function int(v: string | undefined, name: string): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer`);
  return n;
}

function status(v: string | undefined, required: boolean): TaskStatus {
  if (v === undefined) {
    if (required) throw new UsageError("--status is required");
    return TaskStatus.UNSPECIFIED;
  }
  if (!taskStatusCodec.has(v))
    throw new UsageError(`--status must be one of: ${taskStatusCodec.names.join(", ")}`);
  return taskStatusCodec.encode(v);
}

/** Each command: validates its flags (usage errors first), then one RPC; returns printable JSON. */
async function dispatch(cmd: string, v: Values, c: () => Promise<AuthorityClient>): Promise<unknown> {
  const scope = {
    runId: v["run-id"] ?? process.env.AGENTHUB_RUN_ID ?? "",
    actorId: v["actor-id"] ?? process.env.AGENTHUB_ACTOR_ID ?? "",
  };
  switch (cmd) {
    case "inbox":
      return (await c()).getInbox({ ...scope, limit: int(v.limit, "limit") });
    case "receive":
      return (await c()).receive({ ...scope, limit: int(v.limit, "limit") });
    case "ack": {
      const ids = v["message-id"] ?? [];
      if (ids.length === 0) throw new UsageError("--message-id is required");
      return (await c()).ack({ ...scope, messageIds: ids });
    }
    case "send": {
      const targets = [v["to-actor-id"] !== undefined, v["to-leader"] === true, v.broadcast === true].filter(
        Boolean,
      );
      if (targets.length !== 1)
        throw new UsageError("give exactly one of --to-actor-id X, --to-leader, --broadcast");
      if ((v.text === undefined) === (v["payload-json"] === undefined)) {
        throw new UsageError("give exactly one of --text T, --payload-json J");
      }
      let body: { case: "text"; value: string } | { case: "payload"; value: Record<string, never> };
      if (v.text !== undefined) body = { case: "text", value: v.text };
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(v["payload-json"]!);
        } catch {
          throw new UsageError("--payload-json must be valid JSON");
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new UsageError("--payload-json must be a JSON object");
        }
        // The hub's limit, checked before sending: a deeper value would not even decode on the hub.
        checkPayloadDepth(parsed);
        body = { case: "payload", value: parsed as Record<string, never> };
      }
      const route = routeCodec.encode(
        v["to-actor-id"] !== undefined ? "to_member" : v["to-leader"] ? "to_leader" : "broadcast",
      );
      return (await c()).send({
        ...scope,
        route,
        toActorId: v["to-actor-id"] ?? "",
        body,
        idempotencyKey: v["idempotency-key"] ?? "",
      });
    }
    case "team-members":
      return (await c()).listTeamMembers({ runId: scope.runId });
    case "team-tasks":
      return (await c()).listTeamTasks({ runId: scope.runId, status: status(v.status, false) });
    case "team-task-create":
      return (await c()).createTeamTask({
        ...scope,
        title: need(v, "title"),
        assignedMemberId: v["assigned-member-id"] ?? "",
        priority: int(v.priority, "priority"),
      });
    case "team-task-update":
      return (await c()).updateTeamTask({
        ...scope,
        taskId: need(v, "task-id"),
        status: status(v.status, true),
      });
    case "step-complete":
      return (await c()).completeStep({ ...scope, stepKey: v["step-key"] ?? "", output: need(v, "output") });
    case "step-fail":
      return (await c()).failStep({
        ...scope,
        stepKey: v["step-key"] ?? "",
        errorText: need(v, "error-text"),
        code: v.code ?? "",
      });
    case "permission-review-respond": {
      const requestId = need(v, "request-id");
      if ((v["option-id"] === undefined) === (v.outcome === undefined)) {
        throw new UsageError("give exactly one of --option-id O, --outcome cancelled");
      }
      if (v.outcome !== undefined && v.outcome !== "cancelled")
        throw new UsageError("--outcome must be cancelled");
      return (await c()).respondPermissionReview({
        ...scope,
        requestId,
        outcome:
          v["option-id"] !== undefined
            ? { case: "optionId", value: v["option-id"] }
            : { case: "outcomeCancelled", value: true },
      });
    }
    default:
      throw new UsageError(`unknown actor command: ${cmd}`);
  }
}

const registry = createRegistry(file_agenthub_internal_v1_authority);

/** The response in protobuf's JSON mapping, with the .proto's snake_case field names (like the REST API). */
function toPlain(msg: Message): unknown {
  const schema = registry.getMessage(msg.$typeName);
  if (!schema) throw new Error(`unknown message ${msg.$typeName}`);
  return toJson(schema, msg, { useProtoFieldName: true, alwaysEmitImplicit: true });
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

/**
 * grpc-js sends the target's host as TLS SNI; for an IP target (the default 127.0.0.1) Node prints
 * DEP0123 on every run, which would end up in agents' tool output. The certificate is still verified
 * against the IP's SAN; only that one warning is dropped.
 */
function quietIpServerNameWarning(): void {
  const printers = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (w: Error & { code?: string }) => {
    if (w.code === "DEP0123") return;
    for (const print of printers) print(w);
  });
}

/** `agenthub actor …`: exit 0 ok, 1 server error, 2 usage error. */
export async function actorCommand(args: string[]): Promise<number> {
  quietIpServerNameWarning();
  const [cmd, ...rest] = args;
  if (!cmd || cmd === "--help" || cmd === "-h") {
    process.stdout.write(ACTOR_USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === "help") {
    const topic = rest[0];
    const text = topic ? ACTOR_HELP[topic] : ACTOR_USAGE;
    if (!text) throw new UsageError(`unknown actor command: ${topic}`);
    process.stdout.write(`agenthub actor ${text}\n`);
    return 0;
  }
  if (!ACTOR_HELP[cmd]) throw new UsageError(`unknown actor command: ${cmd}`);
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false });
  let client: AuthorityClient | undefined;
  const connect = async () => {
    client = await connectAuthority(process.env, values["actor-id"] ?? process.env.AGENTHUB_ACTOR_ID);
    return client;
  };
  try {
    const result = toPlain((await dispatch(cmd, values, connect)) as Message) as Record<string, unknown>;
    process.stdout.write(`${values.json ? JSON.stringify(result) : human(cmd, result)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // The server's code when it named one, else one from the gRPC status; only a transport failure
    // (hub down, TLS refused) is INTERNAL_GRPC_UNAVAILABLE, saying what the channel said.
    const e = appErrorOfCall(err);
    if (values.json)
      process.stdout.write(`${JSON.stringify({ error: e.message, code: e.code, details: e.details })}\n`);
    const hint = e.details?.hint ? `\n${String(e.details.hint)}` : "";
    process.stderr.write(`agenthub actor ${cmd}: ${e.message} (${e.code})${hint}\n`);
    return 1;
  } finally {
    client?.close();
  }
}
