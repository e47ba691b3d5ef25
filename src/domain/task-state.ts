import { AppError } from "../errors/registry.js";

export const TASK_STATUSES = ["open", "in_progress", "in_review", "completed", "canceled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** completed and canceled are final: a finished task is reopened by creating a new one. */
const NEXT: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  open: ["in_progress", "completed", "canceled"],
  in_progress: ["open", "in_review", "completed", "canceled"],
  in_review: ["in_progress", "completed", "canceled"],
  completed: [],
  canceled: [],
};

export function assertTaskTransition(from: TaskStatus, to: TaskStatus): void {
  if (!NEXT[from]?.includes(to)) {
    throw new AppError(
      "ILLEGAL_TRANSITION",
      { from, to },
      { message: `task cannot go from ${from} to ${to}` },
    );
  }
}
