import { describe, expect, it } from "vitest";
import {
  assertTaskTransition,
  canTransitionTask,
  isTaskFinished,
  isTaskStatus,
  TASK_STATUSES,
  type TaskStatus,
} from "../../src/domain/task-state.js";

const legal: [TaskStatus, TaskStatus][] = [
  ["open", "in_progress"],
  ["open", "completed"],
  ["open", "canceled"],
  ["in_progress", "open"],
  ["in_progress", "in_review"],
  ["in_progress", "completed"],
  ["in_progress", "canceled"],
  ["in_review", "in_progress"],
  ["in_review", "completed"],
  ["in_review", "canceled"],
];

describe("task transitions", () => {
  it("allows exactly the documented moves", () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect(canTransitionTask(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
  });

  it("names an illegal move", () => {
    expect(() => assertTaskTransition("completed", "open")).toThrow("task cannot go from completed to open");
    expect(() => assertTaskTransition("open", "in_review")).toThrow("task cannot go from open to in_review");
    expect(() => assertTaskTransition("in_review", "open")).toThrow();
    expect(() => assertTaskTransition("open", "in_progress")).not.toThrow();
  });

  it("keeps completed and canceled final", () => {
    expect(TASK_STATUSES.filter(isTaskFinished)).toEqual(["completed", "canceled"]);
  });

  it("recognises status strings", () => {
    expect(isTaskStatus("in_review")).toBe(true);
    expect(isTaskStatus("done")).toBe(false);
    expect(isTaskStatus(undefined)).toBe(false);
  });
});
