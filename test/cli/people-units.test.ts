import { describe, expect, it } from "vitest";
import { diffValues, formatChange } from "../../src/cli/people/spec-diff.js";
import { StepTally } from "../../src/cli/people/step-tally.js";

const member = (id: string, extra: Record<string, unknown> = {}) => ({
  member_id: id,
  role: "worker",
  ...extra,
});

describe("what teams apply says changed", () => {
  it("names members and steps by their ids, nested fields by path, and lists removals after the rest", () => {
    const before = {
      name: "t",
      spec: {
        members: [
          member("lead", { role: "leader" }),
          member("w1", { agent: { node_id: "main" } }),
          member("w2"),
        ],
        steps: [{ step_key: "a", member_id: "w1", depends_on: [] }],
      },
    };
    const after = {
      name: "t2",
      spec: {
        members: [
          member("lead", { role: "leader" }),
          member("w1", { agent: { node_id: "n2" } }),
          member("w3"),
        ],
        steps: [
          { step_key: "b", member_id: "w1", depends_on: [] },
          { step_key: "a", member_id: "w1", depends_on: ["b"] },
        ],
      },
    };
    expect(diffValues(before, after).map(formatChange)).toEqual([
      '~ name: "t" -> "t2"',
      '~ spec.members[w1].agent.node_id: "main" -> "n2"',
      "+ spec.members[w3]",
      "- spec.members[w2]",
      "+ spec.steps[b]",
      '~ spec.steps[a].depends_on: [] -> ["b"]',
    ]);
    expect(diffValues(after, structuredClone(after))).toEqual([]);
  });

  it("compares arrays without a unique id key as whole values", () => {
    const before = { steps: [{ step_key: "a" }, { step_key: "a" }] };
    const after = { steps: [{ step_key: "a" }] };
    expect(diffValues(before, after).map(formatChange)).toEqual([
      '~ steps: [{"step_key":"a"},{"step_key":"a"}] -> [{"step_key":"a"}]',
    ]);
  });
});

describe("the progress of a replayed run log", () => {
  it("counts a step completed from its step.completed until a later event moves it again", () => {
    const tally = new StepTally(["plan", "build"]);
    const ev = (kind: string, step_key: string | null) => ({ seq: 0, kind, step_key, data: {}, at: "" });
    const seen: string[] = [];
    for (const e of [
      ev("run.created", null),
      ev("step.completed", "plan"),
      ev("step.warning", "plan"),
      ev("step.failed", "build"),
      ev("step.restarted", "plan"),
      ev("step.added", "docs"),
      ev("step.completed", "plan"),
      ev("step.completed", "build"),
    ]) {
      tally.apply(e);
      seen.push(tally.progress());
    }
    expect(seen).toEqual([
      "0/2 steps",
      "1/2 steps",
      "1/2 steps",
      "1/2 steps",
      "0/2 steps",
      "0/3 steps",
      "1/3 steps",
      "2/3 steps",
    ]);
  });
});
