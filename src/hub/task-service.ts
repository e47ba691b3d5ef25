import { type Route, resolveRecipients } from "../domain/mailbox-routing.js";
import { pageSize } from "../domain/paging.js";
import { assertTaskTransition, type TaskStatus } from "../domain/task-state.js";
import type { TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import {
  type Conversation,
  type ConversationMessage,
  ConversationsRepo,
} from "../store/conversations-repo.js";
import type { Database } from "../store/database.js";
import { type Task, type TaskChanges, TasksRepo } from "../store/tasks-repo.js";
import type { Team } from "../store/teams-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";

export type { Conversation, ConversationMessage } from "../store/conversations-repo.js";
export type { Task } from "../store/tasks-repo.js";

/** The team a task call acts in (callers resolved access). */
export type TaskTeam = Pick<Team, "id" | "spec">;

export interface CreateTask {
  title: string;
  assigned_member_id?: string | null | undefined;
  priority?: number | undefined;
  /** Any JSON value; stored as given. */
  context?: unknown;
}

/** A task edit: only the fields given change. `assigned_member_id: null` unassigns. */
export interface UpdateTask {
  title?: string | undefined;
  status?: TaskStatus | undefined;
  assigned_member_id?: string | null | undefined;
  priority?: number | undefined;
  context?: unknown;
}

export interface TaskQuery {
  status?: TaskStatus | undefined;
  /** Must name a member of the team (an unknown one is refused, never an empty list). */
  assigned_member_id?: string | undefined;
}

export interface PostMessage {
  from_actor_id: string;
  /** Default `broadcast`. */
  route?: Route | undefined;
  to_actor_id?: string | null | undefined;
  payload?: unknown;
}

export interface MessagePage {
  /** Messages with a seq greater than this (default 0: from the start). */
  after?: number | undefined;
  /** Default DEFAULT_PAGE_SIZE, at most MAX_PAGE_SIZE (domain/paging). */
  limit?: number | undefined;
}

/** A stored message and the members it is routed to. */
export interface PostedMessage {
  message: ConversationMessage;
  recipients: string[];
}

function assertMember(spec: TeamSpec, memberId: string | null | undefined, field: string): string | null {
  if (memberId === undefined || memberId === null) return null;
  if (!spec.members.some((m) => m.member_id === memberId)) {
    throw new AppError(
      "UNKNOWN_MEMBER",
      { [field]: memberId, field },
      { message: `unknown member "${memberId}"` },
    );
  }
  return memberId;
}

function assertPriority(v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isSafeInteger(v)) {
    throw new AppError("BAD_REQUEST", { field: "priority" }, { message: "priority must be an integer" });
  }
  return v;
}

function assertTitle(title: string): string {
  const t = title.trim();
  if (t === "") throw new AppError("TITLE_REQUIRED");
  return t;
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

  /** `createdBy`: `human:<username>` or the creating member's id. */
  create(team: TaskTeam, createdBy: string, cmd: CreateTask): Task {
    if (typeof cmd.title !== "string") throw new AppError("TITLE_REQUIRED");
    const title = assertTitle(cmd.title);
    const now = this.clock.now();
    const task: Task = {
      id: newId("task"),
      team_id: team.id,
      title,
      status: "open",
      assigned_member_id: assertMember(team.spec, cmd.assigned_member_id, "assigned_member_id"),
      priority: assertPriority(cmd.priority),
      context: cmd.context ?? null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    };
    this.db.transaction(() => {
      this.tasks.insert(task);
      this.conversations.insert({ id: newId("conv"), task_id: task.id, created_at: now });
    })();
    return task;
  }

  list(team: TaskTeam, q: TaskQuery = {}): Task[] {
    if (q.assigned_member_id !== undefined)
      assertMember(team.spec, q.assigned_member_id, "assigned_member_id");
    return this.tasks.list(team.id, q);
  }

  get(team: TaskTeam, taskId: string): Task {
    const t = this.tasks.byId(team.id, taskId);
    if (!t) throw new AppError("TASK_NOT_FOUND");
    return t;
  }

  /** Same as get (kept for callers that read a task before deciding). */
  row(team: TaskTeam, taskId: string): Task {
    return this.get(team, taskId);
  }

  update(team: TaskTeam, taskId: string, cmd: UpdateTask): Task {
    const t = this.get(team, taskId);
    const changes: TaskChanges = {};
    if (cmd.title !== undefined) changes.title = assertTitle(cmd.title);
    if (cmd.status !== undefined) {
      if (cmd.status !== t.status) assertTaskTransition(t.status, cmd.status);
      changes.status = cmd.status;
    }
    if (cmd.assigned_member_id !== undefined) {
      changes.assigned_member_id = assertMember(team.spec, cmd.assigned_member_id, "assigned_member_id");
    }
    if (cmd.priority !== undefined) changes.priority = assertPriority(cmd.priority);
    if (cmd.context !== undefined) changes.context = cmd.context;
    if (Object.keys(changes).length > 0) this.tasks.update(t.id, changes, this.clock.now());
    return this.get(team, taskId);
  }

  conversation(team: TaskTeam, taskId: string): Conversation {
    this.get(team, taskId);
    const c = this.conversations.byTask(taskId);
    if (!c) throw new AppError("CONVERSATION_NOT_FOUND");
    return c;
  }

  postMessage(team: TaskTeam, taskId: string, cmd: PostMessage): PostedMessage {
    const conv = this.conversation(team, taskId);
    const from = cmd.from_actor_id;
    if (typeof from !== "string" || from.trim() === "") {
      throw new AppError("BAD_REQUEST", { field: "from_actor_id" }, { message: "from_actor_id is required" });
    }
    const route = cmd.route ?? "broadcast";
    const to = cmd.to_actor_id ?? undefined;
    const recipients = resolveRecipients({ route, from_actor_id: from, to_actor_id: to }, team.spec);
    const message = this.conversations.addMessage({
      id: newId("msg"),
      conversation_id: conv.id,
      from_actor_id: from,
      route,
      to_actor_id: to ?? null,
      payload: cmd.payload ?? null,
      created_at: this.clock.now(),
    });
    return { message, recipients };
  }

  messages(team: TaskTeam, taskId: string, page: MessagePage = {}): ConversationMessage[] {
    const conv = this.conversation(team, taskId);
    return this.conversations.messages(conv.id, Math.max(0, page.after ?? 0), pageSize(page.limit));
  }

  message(team: TaskTeam, taskId: string, messageId: string): ConversationMessage {
    const conv = this.conversation(team, taskId);
    const m = this.conversations.message(conv.id, messageId);
    if (!m) throw new AppError("MESSAGE_NOT_FOUND");
    return m;
  }
}
