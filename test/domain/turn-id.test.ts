import { describe, expect, it } from "vitest";
import { mailTurnId, parseTurnId, stepTurnId } from "../../src/domain/turn-id.js";

describe("turn ids", () => {
  it("round-trip a step attempt, even with the separator in the step key", () => {
    expect(parseTurnId(stepTurnId("run_1", "build", 2))).toEqual({
      kind: "step",
      runId: "run_1",
      attempt: 2,
      stepKey: "build",
    });
    expect(parseTurnId(stepTurnId("run_1", "a|b", 1))).toMatchObject({ stepKey: "a|b" });
  });

  it("give each attempt of a step its own id, so a retried dispatch of one attempt is a duplicate", () => {
    expect(stepTurnId("run_1", "s", 1)).toBe(stepTurnId("run_1", "s", 1));
    expect(stepTurnId("run_1", "s", 1)).not.toBe(stepTurnId("run_1", "s", 2));
  });

  it("round-trip a mail delivery", () => {
    expect(parseTurnId(mailTurnId("run_9", "lead", 14))).toEqual({
      kind: "mail",
      runId: "run_9",
      seq: 14,
      memberId: "lead",
    });
  });

  it("ignore turn ids the executor did not make", () => {
    for (const id of [undefined, 7, "", "turn_abc", "step|run_1|x|s", "step|run_1|1|", "other|r|1|x"]) {
      expect(parseTurnId(id)).toBeUndefined();
    }
  });
});
