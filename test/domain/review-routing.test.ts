import { describe, expect, it } from "vitest";
import { decisionOf, optionOfKind, routeReview } from "../../src/domain/review-routing.js";
import type { TeamSpec } from "../../src/domain/team-spec.js";
import { validateTeamInput } from "../../src/domain/team-spec.js";

function team(permissions?: unknown): TeamSpec {
  return validateTeamInput("t", {
    leader_member_id: "lead",
    members: [{ member_id: "lead" }, { member_id: "w1" }, { member_id: "w2" }],
    ...(permissions === undefined ? {} : { permissions }),
  }).spec;
}

describe("routeReview", () => {
  it("sends a worker's request to the leader by default", () => {
    expect(routeReview(team(), "w1")).toEqual({ kind: "member", reviewer: "lead" });
    expect(routeReview(team({ route: "to_leader" }), "w2")).toEqual({ kind: "member", reviewer: "lead" });
  });

  it("sends the leader's own request to a human, never back to itself", () => {
    expect(routeReview(team(), "lead")).toEqual({ kind: "human" });
  });

  it("sends everything to humans with to_human", () => {
    for (const m of ["lead", "w1"])
      expect(routeReview(team({ route: "to_human" }), m)).toEqual({ kind: "human" });
  });

  it("falls back to a human when a stored spec lacks its leader", () => {
    const spec = { ...team(), leader_member_id: undefined };
    expect(routeReview(spec, "w1")).toEqual({ kind: "human" });
  });

  it("refuses a requester that is not a member", () => {
    expect(() => routeReview(team(), "ghost")).toThrow('unknown member "ghost"');
  });
});

describe("optionOfKind", () => {
  const reject = ["reject_once", "reject_always"] as const;

  it("picks by kind in the order of preference, never by position or id spelling", () => {
    expect(
      optionOfKind(
        [
          { optionId: "yes", kind: "allow_once" },
          { optionId: "never", kind: "reject_always" },
          { optionId: "no", kind: "reject_once" },
        ],
        reject,
      ),
    ).toBe("no");
    expect(
      optionOfKind(
        [
          { option_id: "allow", kind: "allow_always" },
          { option_id: "deny", kind: "reject_always" },
        ],
        reject,
      ),
    ).toBe("deny");
    // Gemini lists allow_always first: allow_once is still the one chosen.
    expect(
      optionOfKind(
        [
          { option_id: "proceed_always", kind: "allow_always" },
          { option_id: "proceed_once", kind: "allow_once" },
        ],
        ["allow_once"],
      ),
    ).toBe("proceed_once");
  });

  it("judges an option without a kind by its id", () => {
    expect(optionOfKind([{ option_id: "allow_once" }, { option_id: "reject_once" }], reject)).toBe(
      "reject_once",
    );
  });

  it("returns null when no option has the kind", () => {
    expect(optionOfKind([{ optionId: "a", kind: "allow_once" }], reject)).toBeNull();
    expect(optionOfKind([], reject)).toBeNull();
  });
});

describe("decisionOf (by the option's ACP kind, never its id)", () => {
  const gemini = [
    { option_id: "proceed_once", kind: "allow_once" },
    { option_id: "cancel", kind: "reject_once" },
  ];
  const codex = [
    { option_id: "approved", kind: "allow_once" },
    { option_id: "accept_execpolicy_amendment", kind: "allow_always" },
    { option_id: "abort", kind: "reject_once" },
  ];

  it("classifies Gemini and Codex option names by kind", () => {
    expect(decisionOf({ option_id: "proceed_once" }, gemini)).toBe("allowed");
    expect(decisionOf({ option_id: "cancel" }, gemini)).toBe("rejected");
    expect(decisionOf({ option_id: "accept_execpolicy_amendment" }, codex)).toBe("allowed");
    expect(decisionOf({ option_id: "abort" }, codex)).toBe("rejected");
    expect(decisionOf({ cancelled: true }, codex)).toBe("cancelled");
  });

  it("an allow-looking id with a reject kind is rejected; a kindless id is judged by the kind names", () => {
    expect(decisionOf({ option_id: "allow_x" }, [{ option_id: "allow_x", kind: "reject_once" }])).toBe(
      "rejected",
    );
    expect(decisionOf({ option_id: "allow_once" }, [{ option_id: "allow_once", kind: "" }])).toBe("allowed");
    expect(decisionOf({ option_id: "ok" }, [{ option_id: "ok", kind: "" }])).toBe("rejected");
  });

  it("a reject kind is found even when no id says reject", () => {
    const reject = ["reject_once", "reject_always"] as const;
    expect(optionOfKind(gemini, reject)).toBe("cancel");
    expect(optionOfKind(codex, reject)).toBe("abort");
    expect(optionOfKind([{ option_id: "reject_once", kind: "allow_once" }], reject)).toBeNull();
  });
});
