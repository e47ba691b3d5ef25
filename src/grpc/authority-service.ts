import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromMs, type Value, ValueSchema } from "@bufbuild/protobuf/wkt";
import type { ActorClaims } from "../contracts/actor-claims.js";
import { jsonDepth, MAX_PAYLOAD_DEPTH } from "../domain/json-depth.js";
import {
  type AuthorityService,
  type MailboxMessage,
  MailboxMessageSchema,
  Route,
  type TeamTask,
  TeamTaskSchema,
} from "../gen/agenthub/internal/v1/authority_pb.js";
import type { ActorService } from "../hub/actor-service.js";
import type { InboxMessage } from "../store/mailbox-repo.js";
import type { Task } from "../store/tasks-repo.js";
import { deliveryStatusCodec, memberRoleCodec, routeCodec, taskStatusCodec } from "./enum-codecs.js";
import type { ServiceImpl } from "./service-adapter.js";

/**
 * A stored JSON value as a protobuf Value that any receiver can decode. A value nested deeper than
 * {@link MAX_PAYLOAD_DEPTH} (stored before the limit, or a hub-made message carrying an agent's tool
 * call) is handed over as its JSON text instead, so reading a stored message never fails.
 */
function toValue(v: unknown): Value {
  if (jsonDepth(v, MAX_PAYLOAD_DEPTH) <= MAX_PAYLOAD_DEPTH) {
    try {
      return fromJson(ValueSchema, (v ?? null) as JsonValue);
    } catch {
      // not representable as a Value: fall through to its text
    }
  }
  return fromJson(ValueSchema, {
    payload_json: JSON.stringify(v ?? null),
    note: `nested deeper than ${MAX_PAYLOAD_DEPTH} levels; given as JSON text`,
  });
}

function toMessage(m: InboxMessage): MailboxMessage {
  return create(MailboxMessageSchema, {
    messageId: m.id,
    runId: m.run_id,
    seq: BigInt(m.seq),
    fromActorId: m.from_actor_id,
    route: routeCodec.has(m.route) ? routeCodec.encode(m.route) : Route.UNSPECIFIED,
    toActorId: m.to_actor_id ?? "",
    kind: m.kind,
    payload: toValue(m.payload),
    status: deliveryStatusCodec.encode(m.delivery_status),
    createdAt: timestampFromMs(m.created_at),
  });
}

function toTask(t: Task): TeamTask {
  return create(TeamTaskSchema, {
    taskId: t.id,
    teamId: t.team_id,
    title: t.title,
    status: taskStatusCodec.encode(t.status),
    assignedMemberId: t.assigned_member_id ?? "",
    priority: t.priority,
    context: toValue(t.context),
    createdBy: t.created_by,
    createdAt: timestampFromMs(t.created_at),
    updatedAt: timestampFromMs(t.updated_at),
  });
}

/**
 * The hub's AuthorityService handler: what agents do through `agenthub actor`. It maps each request
 * to a typed command of the hub's ActorService (which enforces every rule of who may do what) and
 * its record back to the response; the principal is the token the service adapter verified.
 */
export function authorityServiceImpl(
  actors: ActorService,
): ServiceImpl<(typeof AuthorityService)["method"], ActorClaims> {
  return {
    getInbox(req, ctx) {
      const messages = actors.inbox(ctx.principal, { ...req, limit: req.limit || undefined });
      return { messages: messages.map(toMessage) };
    },
    receive(req, ctx) {
      const messages = actors.receive(ctx.principal, { ...req, limit: req.limit || undefined });
      return { messages: messages.map(toMessage) };
    },
    ack(req, ctx) {
      return { ackedCount: actors.ack(ctx.principal, req) };
    },
    send(req, ctx) {
      const res = actors.send(ctx.principal, {
        runId: req.runId,
        actorId: req.actorId,
        route: routeCodec.decode(req.route),
        toActorId: req.toActorId || undefined,
        payload: req.body.case === "text" ? { text: req.body.value } : (req.body.value ?? null),
        idempotencyKey: req.idempotencyKey || undefined,
      });
      return {
        messageId: res.message_id,
        seq: BigInt(res.seq),
        recipients: res.recipients,
        duplicate: res.duplicate,
      };
    },
    listTeamMembers(req, ctx) {
      const { run, members } = actors.teamMembers(ctx.principal, req);
      return {
        teamId: run.team_id,
        leaderMemberId: run.spec.leader_member_id ?? "",
        members: members.map((m) => ({
          memberId: m.member_id,
          role: memberRoleCodec.encode(m.role),
          description: m.description,
          skills: m.skills,
          actorId: m.member_id,
          agentId: m.agent_id ?? "",
          nodeId: m.node_id ?? "",
        })),
      };
    },
    listTeamTasks(req, ctx) {
      const tasks = actors.listTasks(ctx.principal, {
        runId: req.runId,
        status: taskStatusCodec.decode(req.status),
        limit: req.limit,
      });
      return { tasks: tasks.map(toTask) };
    },
    createTeamTask(req, ctx) {
      const task = actors.createTask(ctx.principal, {
        runId: req.runId,
        actorId: req.actorId,
        title: req.title,
        assignedMemberId: req.assignedMemberId || undefined,
        priority: req.priority,
        context: req.context,
      });
      return { task: toTask(task) };
    },
    updateTeamTask(req, ctx) {
      const task = actors.updateTask(ctx.principal, {
        runId: req.runId,
        actorId: req.actorId,
        taskId: req.taskId,
        status: taskStatusCodec.decode(req.status),
      });
      return { task: toTask(task) };
    },
    completeStep(req, ctx) {
      const { run, step } = actors.completeStep(ctx.principal, req);
      return { stepId: `${run.id}/${step.step_key}`, stepKey: step.step_key, status: step.status };
    },
    failStep(req, ctx) {
      const { run, step } = actors.failStep(ctx.principal, req);
      return { stepId: `${run.id}/${step.step_key}`, stepKey: step.step_key, status: step.status };
    },
    async respondPermissionReview(req, ctx) {
      const r = await actors.respondReview(ctx.principal, {
        runId: req.runId,
        actorId: req.actorId,
        requestId: req.requestId,
        outcome:
          req.outcome.case === "optionId"
            ? { option_id: req.outcome.value }
            : req.outcome.case === "outcomeCancelled"
              ? { cancelled: true }
              : undefined,
      });
      return { requestId: r.request_id, outcome: r.outcome, optionId: r.option_id };
    },
  };
}
