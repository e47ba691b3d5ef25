import { describe, expect, it } from "vitest";
import { reviewDirectives } from "../../src/node/scripted-agent/parse-directives.js";

describe("scripted leader review policy", () => {
  const prompt =
    'You have 1 message:\n{"kind":"permission_review","payload":{"review_id":"perm_1","options":[{"option_id":"allow_once"},{"option_id":"reject_once"}]}}';

  it("answers each review in the prompt through the actor CLI with the chosen kind of option", () => {
    expect(reviewDirectives(prompt, "allow")).toEqual([
      {
        type: "run",
        command: "agenthub actor permission-review-respond --request-id perm_1 --option-id allow_once",
      },
    ]);
    expect(
      reviewDirectives(prompt, "reject")[0]!.type === "run" && reviewDirectives(prompt, "reject")[0],
    ).toMatchObject({
      command: "agenthub actor permission-review-respond --request-id perm_1 --option-id reject_once",
    });
  });

  it("does nothing without a decision or without a review", () => {
    expect(reviewDirectives(prompt, undefined)).toEqual([]);
    expect(reviewDirectives("reply: hi", "allow")).toEqual([]);
  });
});
