import { describe, expect, it } from "vitest";
import { findCycle, readySteps } from "../../src/domain/dag.js";
import { resolveRecipients } from "../../src/domain/mailbox-routing.js";
import { routeReview } from "../../src/domain/review-routing.js";
import {
  assertStepTransition,
  deriveRunStatus,
  planRestart,
  planRunSteps,
} from "../../src/domain/run-state.js";
import { assertTaskTransition } from "../../src/domain/task-state.js";
import { validateTeamInput } from "../../src/domain/team-spec.js";

const diamond = [
  { step_key: "plan", depends_on: [] },
  { step_key: "left", depends_on: ["plan"] },
  { step_key: "right", depends_on: ["plan"] },
  { step_key: "join", depends_on: ["left", "right"] },
];

function spec(extra: Record<string, unknown> = {}) {
  return validateTeamInput("t", {
    leader_member_id: "lead",
    members: [
      { member_id: "lead", description: "", skills: [] },
      { member_id: "w1", description: "", skills: [] },
      { member_id: "w2", description: "", skills: [] },
    ],
    entrypoint: { member_id: "lead", prompt: "go" },
    ...extra,
  }).spec;
}

describe("DAG", () => {
  it("finds what is ready in a diamond (fan-out, fan-in)", () => {
    const st = (s: Record<string, string>) =>
      diamond.map((d) => ({ ...d, status: s[d.step_key] ?? "submitted" }));
    expect(readySteps(st({})).map((s) => s.step_key)).toEqual(["plan"]);
    expect(readySteps(st({ plan: "completed" })).map((s) => s.step_key)).toEqual(["left", "right"]);
    expect(
      readySteps(st({ plan: "completed", left: "completed", right: "working" })).map((s) => s.step_key),
    ).toEqual([]);
    expect(
      readySteps(st({ plan: "completed", left: "completed", right: "completed" })).map((s) => s.step_key),
    ).toEqual(["join"]);
  });

  it("names a cycle", () => {
    expect(findCycle(diamond)).toBeNull();
    expect(
      findCycle([...diamond.slice(1), { step_key: "plan", depends_on: ["join"] }])?.join(" -> "),
    ).toMatch(/^(\w+)( -> \w+)+ -> \1$/);
  });

  it("rejects cycles, self-dependencies and unknown references in a spec", () => {
    const steps = [
      { step_key: "a", member_id: "lead", prompt: "", depends_on: ["b"] },
      { step_key: "b", member_id: "w1", prompt: "", depends_on: ["a"] },
      { step_key: "c", member_id: "w2", prompt: "", depends_on: ["c", "zzz"] },
      { step_key: "d", member_id: "ghost", prompt: "" },
    ];
    try {
      spec({ steps });
      throw new Error("expected validation to fail");
    } catch (err) {
      const messages = ((err as { details: { errors: { message: string }[] } }).details.errors ?? []).map(
        (e) => e.message,
      );
      expect(messages).toContain('step "c" depends on itself');
      expect(messages).toContain('step "c" depends on unknown step "zzz"');
      expect(messages).toContain('step "d" names undefined member "ghost"');
      expect(messages.some((m) => m.startsWith("dependency cycle: "))).toBe(true);
    }
  });
});

describe("run and step state", () => {
  it("allows legal transitions and names illegal ones", () => {
    expect(() => assertStepTransition("s", "submitted", "working")).not.toThrow();
    expect(() => assertStepTransition("s", "working", "awaiting_review")).not.toThrow();
    expect(() => assertStepTransition("s", "completed", "working")).toThrow(
      'step "s" cannot go from completed to working',
    );
    expect(() => assertStepTransition("s", "submitted", "completed")).toThrow();
  });

  it("derives the run status from its steps", () => {
    expect(deriveRunStatus(["submitted", "submitted"])).toBe("submitted");
    expect(deriveRunStatus(["completed", "submitted"])).toBe("working");
    expect(deriveRunStatus(["working", "awaiting_review"])).toBe("awaiting_review");
    expect(deriveRunStatus(["working", "input_required"])).toBe("input_required");
    expect(deriveRunStatus(["completed", "failed"])).toBe("failed");
    expect(deriveRunStatus(["completed", "completed"])).toBe("completed");
    expect(deriveRunStatus(["completed", "canceled"])).toBe("canceled");
  });

  it("plans steps from the DAG or the entrypoint, and restarts", () => {
    expect(planRunSteps(spec()).map((s) => s.member_id)).toEqual(["lead"]);
    const noEntry = validateTeamInput("t", { members: [{ member_id: "solo", role: "leader" }] }).spec;
    expect(() => planRunSteps(noEntry)).toThrow(/no executable step/);
    const steps = [
      { step_key: "a", status: "completed" as const },
      { step_key: "b", status: "failed" as const },
    ];
    expect(planRestart(steps, "unfinished")).toEqual(["b"]);
    expect(planRestart(steps, "all")).toEqual(["a", "b"]);
  });

  it("keeps completed and canceled tasks final", () => {
    expect(() => assertTaskTransition("open", "in_progress")).not.toThrow();
    expect(() => assertTaskTransition("completed", "open")).toThrow("task cannot go from completed to open");
  });
});

describe("routing", () => {
  it("routes mailbox messages", () => {
    const s = spec();
    expect(resolveRecipients({ route: "broadcast", from_actor_id: "w1" }, s)).toEqual(["lead", "w2"]);
    expect(resolveRecipients({ route: "to_leader", from_actor_id: "human:ann" }, s)).toEqual(["lead"]);
    expect(() => resolveRecipients({ route: "to_member", from_actor_id: "w1" }, s)).toThrow(
      "to_actor_id is required when route=to_member",
    );
    expect(() => resolveRecipients({ route: "x", from_actor_id: "w1" }, s)).toThrow(
      "route must be one of: broadcast, to_leader, to_member",
    );
  });

  it("routes permission reviews to the leader, the leader's own to a human, to_human to humans", () => {
    expect(routeReview(spec(), "w1")).toEqual({ kind: "member", reviewer: "lead" });
    expect(routeReview(spec(), "lead")).toEqual({ kind: "human" });
    expect(routeReview(spec({ permissions: { route: "to_human" } }), "w1")).toEqual({ kind: "human" });
    expect(() => spec({ permissions: { route: "to_member", reviewer_member_id: "w2" } })).toThrow(
      "worker-originated permission review cannot route to worker",
    );
  });

  it("requires a leader for route=to_leader", () => {
    expect(() =>
      validateTeamInput("t", {
        members: [{ member_id: "a" }, { member_id: "b" }],
        permissions: { route: "to_leader" },
      }),
    ).toThrow("route=to_leader requires a leader member in spec.members");
  });
});
