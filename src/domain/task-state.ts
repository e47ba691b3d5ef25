import { AppError } from "../errors/registry.js";

export const TASK_STATUSES = ["open", "in_progress", "in_review", "completed", "canceled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * Legal task moves. `open -> completed` is allowed for trivial tasks done without a review;
 * `in_progress -> open` hands a task back unstarted; `in_review -> in_progress` is "changes
 * requested". completed and canceled are final: follow-up work is a new task, so history stays
 * truthful. Setting the same status again is not a transition (callers treat it as a no-op).
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  open: ["in_progress", "completed", "canceled"],
  in_progress: ["open", "in_review", "completed", "canceled"],
  in_review: ["in_progress", "completed", "canceled"],
  completed: [],
  canceled: [],
};

export function isTaskStatus(v: unknown): v is TaskStatus {
  return typeof v === "string" && (TASK_STATUSES as readonly string[]).includes(v);
}

export function isTaskFinished(s: TaskStatus): boolean {
  return s === "completed" || s === "canceled";
}

export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from]?.includes(to) ?? false;
}

export function assertTaskTransition(from: TaskStatus, to: TaskStatus): void {
  if (!canTransitionTask(from, to)) {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { from, to },
      { message: `task cannot go from ${from} to ${to}` },
    );
  }
}
