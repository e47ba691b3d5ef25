import type { TaskStatus } from "../domain/task-state.js";
import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

/** A team's task as the hub works with it: status typed, context decoded. */
export interface Task {
  id: string;
  team_id: string;
  title: string;
  status: TaskStatus;
  assigned_member_id: string | null;
  priority: number;
  /** Any JSON value the creator attached; null when none. */
  context: unknown;
  /** `human:<username>` or the member id of the agent that created it. */
  created_by: string;
  created_at: number;
  updated_at: number;
}

interface TaskRow extends Omit<Task, "status" | "context"> {
  status: string;
  context_json: string | null;
}

// The status column has a CHECK constraint (migration 6), so a stored status is a TaskStatus.
function decodeTask(r: TaskRow): Task {
  const { context_json, status, ...rest } = r;
  return {
    ...rest,
    status: status as TaskStatus,
    context: context_json === null ? null : (JSON.parse(context_json) as unknown),
  };
}

const encodeContext = (context: unknown): string | null =>
  context === undefined || context === null ? null : JSON.stringify(context);

export interface TaskFilter {
  status?: TaskStatus | undefined;
  assigned_member_id?: string | undefined;
}

/** The fields a task update may change (undefined: unchanged). */
export type TaskChanges = Partial<
  Pick<Task, "title" | "status" | "assigned_member_id" | "priority" | "context">
>;

export class TasksRepo {
  constructor(private readonly db: Database) {}

  insert(t: Task): void {
    const { context, ...rest } = t;
    prepareCached(
      this.db,

      `INSERT INTO tasks (id, team_id, title, status, assigned_member_id, priority, context_json, created_by, created_at, updated_at)
         VALUES (@id, @team_id, @title, @status, @assigned_member_id, @priority, @context_json, @created_by, @created_at, @updated_at)`,
    ).run({ ...rest, context_json: encodeContext(context) });
  }

  byId(teamId: string, id: string): Task | undefined {
    const row = prepareCached(this.db, "SELECT * FROM tasks WHERE team_id = ? AND id = ?").get(teamId, id) as
      | TaskRow
      | undefined;
    return row && decodeTask(row);
  }

  list(teamId: string, f: TaskFilter): Task[] {
    const where = ["team_id = @teamId"];
    if (f.status) where.push("status = @status");
    if (f.assigned_member_id) where.push("assigned_member_id = @assigned");
    const rows = prepareCached(
      this.db,
      `SELECT * FROM tasks WHERE ${where.join(" AND ")} ORDER BY priority DESC, created_at, rowid`,
    ).all({ teamId, status: f.status ?? null, assigned: f.assigned_member_id ?? null }) as TaskRow[];
    return rows.map(decodeTask);
  }

  update(id: string, changes: TaskChanges, now: number): void {
    const { context, ...rest } = changes;
    const fields: Partial<TaskRow> = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined),
    );
    if (context !== undefined) fields.context_json = encodeContext(context);
    if (Object.keys(fields).length === 0) return;
    updateFields(this.db, "tasks", "id = @id", fields, { now, id });
  }
}
