import type { Database } from "./database.js";
import { prepareCached, updateFields } from "./statement-cache.js";

export interface TaskRow {
  id: string;
  team_id: string;
  title: string;
  status: string;
  assigned_member_id: string | null;
  priority: number;
  context_json: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface TaskFilter {
  status?: string | undefined;
  assigned_member_id?: string | undefined;
}

export class TasksRepo {
  constructor(private readonly db: Database) {}

  insert(t: TaskRow): void {
    prepareCached(
      this.db,

      `INSERT INTO tasks (id, team_id, title, status, assigned_member_id, priority, context_json, created_by, created_at, updated_at)
         VALUES (@id, @team_id, @title, @status, @assigned_member_id, @priority, @context_json, @created_by, @created_at, @updated_at)`,
    ).run(t);
  }

  byId(teamId: string, id: string): TaskRow | undefined {
    return prepareCached(this.db, "SELECT * FROM tasks WHERE team_id = ? AND id = ?").get(teamId, id) as
      | TaskRow
      | undefined;
  }

  list(teamId: string, f: TaskFilter): TaskRow[] {
    const where = ["team_id = @teamId"];
    if (f.status) where.push("status = @status");
    if (f.assigned_member_id) where.push("assigned_member_id = @assigned");
    return prepareCached(
      this.db,
      `SELECT * FROM tasks WHERE ${where.join(" AND ")} ORDER BY priority DESC, created_at, rowid`,
    ).all({ teamId, status: f.status ?? null, assigned: f.assigned_member_id ?? null }) as TaskRow[];
  }

  update(
    id: string,
    fields: Partial<Pick<TaskRow, "title" | "status" | "assigned_member_id" | "priority" | "context_json">>,
    now: number,
  ): void {
    updateFields(this.db, "tasks", "id = @id", fields, { now, id });
  }
}
