import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromMs, type Value, ValueSchema } from "@bufbuild/protobuf/wkt";
import { jsonDepth, MAX_PAYLOAD_DEPTH } from "../domain/json-depth.js";
import type { Route as RouteName } from "../domain/mailbox-routing.js";
import { stepFailureCode } from "../domain/step-failure.js";
import type { TaskStatus as TaskState } from "../domain/task-state.js";
import type { MemberSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import {
  type AuthorityService,
  DeliveryStatus,
  type MailboxMessage,
  MailboxMessageSchema,
  MemberRole,
  Route,
  TaskStatus,
  type TeamTask,
  TeamTaskSchema,
} from "../gen/agenthub/internal/v1/authority_pb.js";
import type { Principal } from "../grpc/call-auth.js";
import { requirePermission as requireTokenPermission } from "../grpc/call-auth.js";
import type { ServiceImpl } from "../grpc/service-adapter.js";
import type { InboxMessage } from "../store/mailbox-repo.js";
import type { Run } from "../store/runs-repo.js";
import type { AgentService } from "./agent-service.js";
import type { HubServices } from "./hub-services.js";
import type { Task } from "./task-service.js";

/** Permissions an actor token can carry; a leader has all, a worker all but answering reviews. */
export const ACTOR_PERMISSIONS = {
  mailboxRead: "mailbox:read",
  mailboxWrite: "mailbox:write",
  teamRead: "team:read",
  tasksWrite: "tasks:write",
  stepsWrite: "steps:write",
  reviewsRespond: "reviews:respond",
} as const;

export const LEADER_PERMISSIONS = Object.values(ACTOR_PERMISSIONS);
export const WORKER_PERMISSIONS = LEADER_PERMISSIONS.filter((p) => p !== ACTOR_PERMISSIONS.reviewsRespond);

/** Answers a permission review on behalf of an actor; provided by the run executor. */
export type ReviewResponder = (
  run: Run,
  reviewId: string,
  actorId: string,
  outcome: { option_id: string } | { cancelled: true },
) => Promise<{ request_id: string; outcome: string; option_id: string }>;

const ROUTE_NAMES: Record<number, RouteName> = {
  [Route.BROADCAST]: "broadcast",
  [Route.TO_LEADER]: "to_leader",
  [Route.TO_MEMBER]: "to_member",
};
const TASK_STATUS_NAMES: Record<number, TaskState> = {
  [TaskStatus.OPEN]: "open",
  [TaskStatus.IN_PROGRESS]: "in_progress",
  [TaskStatus.IN_REVIEW]: "in_review",
  [TaskStatus.COMPLETED]: "completed",
  [TaskStatus.CANCELED]: "canceled",
};
const TASK_STATUS_OF: Record<string, TaskStatus> = Object.fromEntries(
  Object.entries(TASK_STATUS_NAMES).map(([k, v]) => [v, Number(k) as TaskStatus]),
);
const DELIVERY_OF: Record<string, DeliveryStatus> = {
  pending: DeliveryStatus.PENDING,
  delivered: DeliveryStatus.DELIVERED,
  acked: DeliveryStatus.ACKED,
};

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
    route: (Object.entries(ROUTE_NAMES).find(([, v]) => v === m.route)?.[0] ?? 0) as unknown as Route,
    toActorId: m.to_actor_id ?? "",
    kind: m.kind,
    payload: toValue(m.payload),
    status: DELIVERY_OF[m.delivery_status] ?? DeliveryStatus.UNSPECIFIED,
    createdAt: timestampFromMs(m.created_at),
  });
}

function toTask(t: Task): TeamTask {
  return create(TeamTaskSchema, {
    taskId: t.id,
    teamId: t.team_id,
    title: t.title,
    status: TASK_STATUS_OF[t.status] ?? TaskStatus.UNSPECIFIED,
    assignedMemberId: t.assigned_member_id ?? "",
    priority: t.priority,
    context: toValue(t.context),
    createdBy: t.created_by,
    createdAt: timestampFromMs(t.created_at),
    updatedAt: timestampFromMs(t.updated_at),
  });
}

/**
 * The hub's AuthorityService: what agents do through `agenthub actor`. Every call acts as exactly one
 * actor in one run; an agent token may only act as itself, in its run (or its team's runs).
 */
export function authorityServiceImpl(
  s: HubServices,
  agents: AgentService,
  respondReview: ReviewResponder,
): ServiceImpl<(typeof AuthorityService)["method"], Principal> {
  const unrestricted = (p: Principal) => p.role === "hub" || p.role === "admin";
  const requirePermission = (p: Principal, perm: string) => {
    if (!unrestricted(p)) requireTokenPermission(p, perm);
  };

  const denied = (message: string, details: Record<string, unknown>) =>
    new AppError("FORBIDDEN", details, { message: `permission denied: ${message}` });

  /**
   * Resolves who acts and in which run, enforcing the token's scope: an agent token acts only as its
   * own actor, only in its run (or its team's runs for a team-wide token), and only as a member of
   * that run's team. `role` is the member's role in the run's spec (the run's own truth, not the
   * token's); undefined for the hub and admins acting as someone.
   */
  const scope = (
    p: Principal,
    req: { runId: string; actorId?: string },
  ): { actor: string; run: Run; role: MemberSpec["role"] | undefined } => {
    const actor = req.actorId || p.actor_id || "";
    if (!unrestricted(p) && actor !== p.actor_id) {
      throw denied(`token for actor "${p.actor_id ?? ""}" may not act as actor "${actor}"`, {
        actor_id: actor,
        token_actor_id: p.actor_id ?? null,
      });
    }
    if (!actor)
      throw new AppError("BAD_REQUEST", undefined, { message: "actor_id is required (AGENTHUB_ACTOR_ID)" });
    // A member token always names its team or run; one naming neither would reach every team.
    if (!unrestricted(p) && !p.team_id && !p.run_id) {
      throw denied(`token for actor "${actor}" names no team or run`, { actor_id: actor, role: p.role });
    }
    const runId = req.runId || p.run_id || (p.team_id ? s.runs.latestActiveRun(p.team_id)?.id : undefined);
    if (!runId) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "run_id is required (AGENTHUB_RUN_ID): no active run",
      });
    }
    const run = s.runs.byId(runId);
    if (unrestricted(p)) return { actor, run, role: undefined };
    if (p.run_id && p.run_id !== runId) {
      throw denied(`token for run "${p.run_id}" may not act in run "${runId}"`, {
        run_id: runId,
        token_run_id: p.run_id,
      });
    }
    if (p.team_id && p.team_id !== run.team_id) {
      throw denied(`token for team "${p.team_id}" may not act in run "${runId}"`, {
        run_id: runId,
        token_team_id: p.team_id,
      });
    }
    const member = run.spec.members.find((m) => m.member_id === actor);
    if (!member) {
      throw denied(`actor "${actor}" is not a member of run "${runId}"`, { actor_id: actor, run_id: runId });
    }
    return { actor, run, role: member.role };
  };

  /** The step an actor reports on: the one named (which must be its own) or its only working step. */
  const ownStep = (run: Run, actor: string, stepKey: string, verb: "complete" | "fail"): string => {
    const key = workingStepOf(run, actor, stepKey);
    const step = s.runs.runs.step(run.id, key);
    if (!step) {
      throw new AppError(
        "STEP_NOT_FOUND",
        { run_id: run.id, step_key: key },
        { message: `step "${key}" not found in run ${run.id}` },
      );
    }
    // Also for the hub or an admin acting as `actor`: acting as a member means with its rights.
    if (step.member_id !== actor) {
      throw denied(
        `step "${key}" belongs to member "${step.member_id}"; member "${actor}" may ${verb} only its own steps`,
        { run_id: run.id, step_key: key, step_member_id: step.member_id, actor_id: actor },
      );
    }
    return key;
  };

  const workingStepOf = (run: Run, actor: string, stepKey: string): string => {
    if (stepKey) return stepKey;
    const mine = s.runs.runs.steps(run.id).filter((st) => st.member_id === actor && st.status === "working");
    if (mine.length === 1) return mine[0]!.step_key;
    throw new AppError(
      "BAD_REQUEST",
      { working_steps: mine.map((m) => m.step_key) },
      {
        message:
          mine.length === 0
            ? `actor "${actor}" has no working step in run ${run.id}; pass --step-key`
            : `actor "${actor}" has several working steps; pass --step-key`,
      },
    );
  };

  return {
    getInbox(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.mailboxRead);
      const { actor, run } = scope(ctx.principal, req);
      const msgs = s.mailbox.inbox(run, {
        actorId: actor,
        limit: req.limit || undefined,
        includeDelivered: true,
      });
      return { messages: msgs.map(toMessage) };
    },
    receive(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.mailboxRead);
      const { actor, run } = scope(ctx.principal, req);
      return { messages: s.mailbox.receive(run, actor, req.limit || undefined).map(toMessage) };
    },
    ack(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.mailboxRead);
      const { actor, run } = scope(ctx.principal, req);
      let acked = 0;
      for (const id of req.messageIds) if (s.mailbox.ack(run, id, actor).changed) acked++;
      return { ackedCount: acked };
    },
    send(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.mailboxWrite);
      const { actor, run } = scope(ctx.principal, req);
      const route = ROUTE_NAMES[req.route];
      if (!route) throw new AppError("INVALID_ROUTE");
      const payload = req.body.case === "text" ? { text: req.body.value } : (req.body.value ?? null);
      const res = s.mailbox.send(run, {
        fromActorId: actor,
        route,
        toActorId: req.toActorId || undefined,
        payload,
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
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.teamRead);
      const { run } = scope(ctx.principal, req);
      const spec = run.spec;
      const byMember = new Map(
        agents.repo
          .byTeam(run.team_id)
          .filter((a) => a.member_id)
          .map((a) => [a.member_id!, a]),
      );
      return {
        teamId: run.team_id,
        leaderMemberId: spec.leader_member_id ?? "",
        members: spec.members.map((m) => ({
          memberId: m.member_id,
          role: m.role === "leader" ? MemberRole.LEADER : MemberRole.WORKER,
          description: m.description,
          skills: m.skills,
          actorId: m.member_id,
          agentId: byMember.get(m.member_id)?.id ?? "",
          nodeId: byMember.get(m.member_id)?.node_id ?? m.agent?.node_id ?? "",
        })),
      };
    },
    listTeamTasks(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.teamRead);
      const { run } = scope(ctx.principal, req);
      const team = s.teams.repo.get(run.team_id);
      if (!team) throw new AppError("TEAM_NOT_FOUND");
      const tasks = s.tasks.list(team, { status: TASK_STATUS_NAMES[req.status] });
      return { tasks: tasks.slice(0, req.limit || tasks.length).map(toTask) };
    },
    createTeamTask(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.tasksWrite);
      const { actor, run } = scope(ctx.principal, req);
      const team = s.teams.repo.get(run.team_id);
      if (!team) throw new AppError("TEAM_NOT_FOUND");
      const t = s.tasks.create(team, actor, {
        title: req.title,
        assigned_member_id: req.assignedMemberId || undefined,
        priority: req.priority,
        context: req.context,
      });
      return { task: toTask(t) };
    },
    updateTeamTask(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.tasksWrite);
      const { actor, run, role } = scope(ctx.principal, req);
      const team = s.teams.repo.get(run.team_id);
      if (!team) throw new AppError("TEAM_NOT_FOUND");
      const status = TASK_STATUS_NAMES[req.status];
      if (!status) throw new AppError("BAD_REQUEST", undefined, { message: "status is required" });
      // The leader coordinates every task; a worker moves only its own (assigned to it, created by
      // it) or unassigned ones, never another member's.
      const task = s.tasks.row(team, req.taskId);
      const othersTask =
        task.assigned_member_id !== null && task.assigned_member_id !== actor && task.created_by !== actor;
      if (role === "worker" && othersTask) {
        throw denied(
          `task "${task.id}" is assigned to member "${task.assigned_member_id}"; worker "${actor}" may update only its own or unassigned tasks`,
          { task_id: task.id, assigned_member_id: task.assigned_member_id, actor_id: actor },
        );
      }
      return { task: toTask(s.tasks.update(team, req.taskId, { status })) };
    },
    completeStep(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.stepsWrite);
      const { actor, run } = scope(ctx.principal, req);
      const key = ownStep(run, actor, req.stepKey, "complete");
      const step = s.runs.transitionStep({ kind: "system" }, run.id, key, {
        action: "complete",
        output: req.output,
      });
      return { stepId: `${run.id}/${key}`, stepKey: key, status: step.status };
    },
    failStep(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.stepsWrite);
      const { actor, run } = scope(ctx.principal, req);
      const key = ownStep(run, actor, req.stepKey, "fail");
      const step = s.runs.transitionStep({ kind: "system" }, run.id, key, {
        action: "fail",
        errorText: req.errorText,
        code: req.code ? stepFailureCode(req.code) : undefined,
      });
      return { stepId: `${run.id}/${key}`, stepKey: key, status: step.status };
    },
    async respondPermissionReview(req, ctx) {
      requirePermission(ctx.principal, ACTOR_PERMISSIONS.reviewsRespond);
      const { actor, run } = scope(ctx.principal, req);
      if (!req.requestId) throw new AppError("BAD_REQUEST", undefined, { message: "request_id is required" });
      // A run-scoped token sees only its run's reviews (a team-wide one its team's: checked by respond,
      // with the reviewer, who must be this actor).
      const review = agents.permissions.byId(req.requestId);
      if (ctx.principal.run_id && !unrestricted(ctx.principal) && review?.run_id !== ctx.principal.run_id) {
        throw new AppError("REVIEW_NOT_FOUND", { review_id: req.requestId });
      }
      const outcome =
        req.outcome.case === "optionId"
          ? { option_id: req.outcome.value }
          : req.outcome.case === "outcomeCancelled"
            ? ({ cancelled: true } as const)
            : undefined;
      if (!outcome)
        throw new AppError("BAD_REQUEST", undefined, {
          message: "option_id or outcome cancelled is required",
        });
      const r = await respondReview(run, req.requestId, actor, outcome);
      return { requestId: r.request_id, outcome: r.outcome, optionId: r.option_id };
    },
  };
}
