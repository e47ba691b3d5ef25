import { describe, expect, it } from "vitest";
import { findCycle, readySteps, topologicalOrder } from "../../src/domain/dag.js";

const diamond = [
  { step_key: "join", depends_on: ["left", "right"] },
  { step_key: "right", depends_on: ["plan"] },
  { step_key: "left", depends_on: ["plan"] },
  { step_key: "plan" },
];

function keys(steps: readonly { step_key: string }[]): string[] {
  return steps.map((s) => s.step_key);
}

describe("topologicalOrder", () => {
  it("puts every step after its dependencies, input order among equals", () => {
    expect(topologicalOrder(diamond)).toEqual(["plan", "right", "left", "join"]);
  });

  it("orders fan-out and fan-in", () => {
    const fanOut = [
      { step_key: "root" },
      ...["a", "b", "c"].map((k) => ({ step_key: k, depends_on: ["root"] })),
    ];
    expect(topologicalOrder(fanOut)).toEqual(["root", "a", "b", "c"]);
    const fanIn = [
      { step_key: "sink", depends_on: ["x", "y", "z"] },
      { step_key: "z" },
      { step_key: "x" },
      { step_key: "y" },
    ];
    expect(topologicalOrder(fanIn)).toEqual(["z", "x", "y", "sink"]);
  });

  it("names a cycle, an unknown dependency and a duplicate key", () => {
    expect(() =>
      topologicalOrder([
        { step_key: "a", depends_on: ["b"] },
        { step_key: "b", depends_on: ["a"] },
      ]),
    ).toThrow("dependency cycle: a -> b -> a");
    expect(() => topologicalOrder([{ step_key: "a", depends_on: ["ghost"] }])).toThrow(
      'step "a" depends on unknown step "ghost"',
    );
    expect(() => topologicalOrder([{ step_key: "a" }, { step_key: "a" }])).toThrow('duplicate step_key "a"');
  });

  it("handles an empty graph", () => {
    expect(topologicalOrder([])).toEqual([]);
  });
});

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

  it("takes statuses from a Map or a record when given", () => {
    const map = new Map([
      ["plan", "completed"],
      ["left", "submitted"],
      ["right", "working"],
      ["join", "submitted"],
    ]);
    expect(keys(readySteps(diamond, map))).toEqual(["left"]);
    expect(
      keys(
        readySteps(diamond, { plan: "completed", left: "completed", right: "completed", join: "submitted" }),
      ),
    ).toEqual(["join"]);
    // A step with no known status is not ready, and a missing dependency is never satisfied.
    expect(keys(readySteps(diamond, {}))).toEqual([]);
    expect(keys(readySteps([{ step_key: "x", depends_on: ["gone"] }], { x: "submitted" }))).toEqual([]);
  });

  it("does not treat inherited object keys as statuses", () => {
    expect(keys(readySteps([{ step_key: "toString" }], {}))).toEqual([]);
  });
});
