import { describe, expect, it } from "vitest";
import { findCycle, readySteps } from "../../src/domain/dag.js";

const diamond = [
  { step_key: "join", depends_on: ["left", "right"] },
  { step_key: "right", depends_on: ["plan"] },
  { step_key: "left", depends_on: ["plan"] },
  { step_key: "plan" },
];

function keys(steps: readonly { step_key: string }[]): string[] {
  return steps.map((s) => s.step_key);
}

describe("findCycle", () => {
  it("returns null for a DAG", () => {
    expect(findCycle(diamond)).toBeNull();
  });

  it("returns the closed path in depends-on direction, from the first cycle member met", () => {
    const steps = [
      { step_key: "start" },
      { step_key: "a", depends_on: ["start", "b"] },
      { step_key: "b", depends_on: ["c"] },
      { step_key: "c", depends_on: ["a"] },
    ];
    expect(findCycle(steps)).toEqual(["a", "b", "c", "a"]);
  });

  it("finds a self-loop and ignores unknown references", () => {
    expect(findCycle([{ step_key: "s", depends_on: ["s"] }])).toEqual(["s", "s"]);
    expect(findCycle([{ step_key: "s", depends_on: ["missing"] }])).toBeNull();
  });
});

describe("readySteps", () => {
  const withStatus = (s: Record<string, string>) =>
    diamond.map((d) => ({ ...d, status: s[d.step_key] ?? "submitted" }));

  it("fans out after the root and fans in only when every branch completed", () => {
    expect(keys(readySteps(withStatus({})))).toEqual(["plan"]);
    expect(keys(readySteps(withStatus({ plan: "working" })))).toEqual([]);
    expect(keys(readySteps(withStatus({ plan: "completed" })))).toEqual(["right", "left"]);
    expect(keys(readySteps(withStatus({ plan: "completed", left: "completed", right: "failed" })))).toEqual(
      [],
    );
    expect(
      keys(readySteps(withStatus({ plan: "completed", left: "completed", right: "completed" }))),
    ).toEqual(["join"]);
  });

  it("never satisfies a dependency on a step that does not exist", () => {
    expect(keys(readySteps([{ step_key: "x", depends_on: ["gone"], status: "submitted" }]))).toEqual([]);
    expect(keys(readySteps([{ step_key: "x", depends_on: ["toString"], status: "submitted" }]))).toEqual([]);
  });
});
