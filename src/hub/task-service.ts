import { resolveRecipients } from "../domain/mailbox-routing.js";
import { assertTaskTransition, TASK_STATUSES, type TaskStatus } from "../domain/task-state.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import { type ConversationMessageRow, ConversationsRepo } from "../store/conversations-repo.js";
import type { Database } from "../store/database.js";
import { type TaskRow, TasksRepo } from "../store/tasks-repo.js";
import type { TeamRow } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import { iso, parseJson } from "./access.js";
import { clampLimit } from "./run-service.js";

export function taskView(t: TaskRow) {
  return {
    id: t.id,
    team_id: t.team_id,
    title: t.title,
    status: t.status,
    assigned_member_id: t.assigned_member_id,
    priority: t.priority,
    context: parseJson(t.context_json),
    created_by: t.created_by,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  };
}

function messageView(m: ConversationMessageRow) {
  return {
    id: m.id,
    seq: m.seq,
    from_actor_id: m.from_actor_id,
    route: m.route,
    to_actor_id: m.to_actor_id,
    payload: JSON.parse(m.payload_json) as unknown,
    created_at: iso(m.created_at),
  };
}

function specOf(team: TeamRow): TeamSpec {
  return JSON.parse(team.spec_json) as TeamSpec;
}

function assertMember(spec: TeamSpec, memberId: unknown, field: string): string | null {
  if (memberId === undefined || memberId === null) return null;
  if (typeof memberId !== "string" || !spec.members.some((m) => m.member_id === memberId)) {
    throw new AppError(
      "UNKNOWN_MEMBER",
      { [field]: memberId },
      { message: `unknown member "${String(memberId)}"` },
    );
  }
  return memberId;
}

function priorityOf(v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new AppError("BAD_REQUEST", undefined, { message: "priority must be an integer" });
  }
  return v;
}

/** A team's tasks; each task has exactly one conversation. Callers resolve team access first. */
export class TaskService {
  readonly tasks: TasksRepo;
  readonly conversations: ConversationsRepo;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.tasks = new TasksRepo(db);
    this.conversations = new ConversationsRepo(db);
  }

  create(team: TeamRow, createdBy: string, body: Record<string, unknown>) {
    if (typeof body.title !== "string" || body.title.trim() === "") throw new AppError("TITLE_REQUIRED");
    const spec = specOf(team);
    const now = this.clock.now();
    const row: TaskRow = {
      id: newId("task"),
      team_id: team.id,
      title: body.title.trim(),
      status: "open",
      assigned_member_id: assertMember(spec, body.assigned_member_id, "assigned_member_id"),
      priority: priorityOf(body.priority),
      context_json: body.context === undefined ? null : JSON.stringify(body.context),
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    };
    this.db.transaction(() => {
      this.tasks.insert(row);
      this.conversations.insert({ id: newId("conv"), task_id: row.id, created_at: now });
    })();
    return taskView(row);
  }

  list(team: TeamRow, q: { status?: string | undefined; assigned_member_id?: string | undefined }) {
    if (q.status !== undefined && !(TASK_STATUSES as readonly string[]).includes(q.status)) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: `status must be one of: ${TASK_STATUSES.join(", ")}`,
      });
    }
    return this.tasks.list(team.id, q).map(taskView);
  }

  row(team: TeamRow, taskId: string): TaskRow {
    const t = this.tasks.byId(team.id, taskId);
    if (!t) throw new AppError("TASK_NOT_FOUND");
    return t;
  }

  get(team: TeamRow, taskId: string) {
    return taskView(this.row(team, taskId));
  }

  update(team: TeamRow, taskId: string, body: Record<string, unknown>) {
    const t = this.row(team, taskId);
    const fields: Parameters<TasksRepo["update"]>[1] = {};
    if (body.title !== undefined) {
      if (typeof body.title !== "string" || body.title.trim() === "") throw new AppError("TITLE_REQUIRED");
      fields.title = body.title.trim();
    }
    if (body.status !== undefined) {
      if (typeof body.status !== "string" || !(TASK_STATUSES as readonly string[]).includes(body.status)) {
        throw new AppError("BAD_REQUEST", undefined, {
          message: `status must be one of: ${TASK_STATUSES.join(", ")}`,
        });
      }
      if (body.status !== t.status) assertTaskTransition(t.status as TaskStatus, body.status as TaskStatus);
      fields.status = body.status;
    }
    if (body.assigned_member_id !== undefined) {
      fields.assigned_member_id = assertMember(specOf(team), body.assigned_member_id, "assigned_member_id");
    }
    if (body.priority !== undefined) fields.priority = priorityOf(body.priority);
    if (body.context !== undefined) fields.context_json = JSON.stringify(body.context);
    if (Object.keys(fields).length > 0) this.tasks.update(t.id, fields, this.clock.now());
    return taskView(this.row(team, taskId));
  }

  conversation(team: TeamRow, taskId: string) {
    this.row(team, taskId);
    const c = this.conversations.byTask(taskId);
    if (!c) throw new AppError("CONVERSATION_NOT_FOUND");
    return { id: c.id, task_id: c.task_id, created_at: iso(c.created_at) };
  }

  postMessage(team: TeamRow, taskId: string, body: Record<string, unknown>) {
    const conv = this.conversation(team, taskId);
    const from = body.from_actor_id;
    if (typeof from !== "string" || from.trim() === "") {
      throw new AppError("BAD_REQUEST", undefined, { message: "from_actor_id is required" });
    }
    const route = body.route ?? "broadcast";
    const recipients = resolveRecipients(
      { route: route as string, from_actor_id: from, to_actor_id: body.to_actor_id as string | undefined },
      specOf(team),
    );
    const row = this.conversations.addMessage({
      id: newId("msg"),
      conversation_id: conv.id,
      from_actor_id: from,
      route: route as string,
      to_actor_id: typeof body.to_actor_id === "string" ? body.to_actor_id : null,
      payload_json: JSON.stringify(body.payload ?? null),
      created_at: this.clock.now(),
    });
    return { ...messageView(row), recipients };
  }

  messages(team: TeamRow, taskId: string, q: { after?: string | undefined; limit?: string | undefined }) {
    const conv = this.conversation(team, taskId);
    const after = Number(q.after ?? 0);
    const rows = this.conversations.messages(
      conv.id,
      Number.isFinite(after) ? after : 0,
      clampLimit(q.limit),
    );
    return { messages: rows.map(messageView) };
  }

  message(team: TeamRow, taskId: string, messageId: string) {
    const conv = this.conversation(team, taskId);
    const m = this.conversations.message(conv.id, messageId);
    if (!m) throw new AppError("MESSAGE_NOT_FOUND");
    return messageView(m);
  }
}
