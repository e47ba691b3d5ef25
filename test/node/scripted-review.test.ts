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

  it("chooses by the option's ACP kind, whatever the agent named it (Gemini, Codex)", () => {
    const gemini =
      '{"kind":"permission_review","payload":{"review_id":"perm_2","options":[{"option_id":"cancel","name":"Cancel","kind":"reject_once"},{"option_id":"proceed_once","name":"Allow","kind":"allow_once"}]}}';
    const codex =
      '{"review_id":"perm_3","options":[{"option_id":"accept_execpolicy_amendment","name":"Always","kind":"allow_always"},{"option_id":"abort","name":"No","kind":"reject_once"}]}';
    const option = (p: string, d: string) => {
      const r = reviewDirectives(p, d)[0];
      return r?.type === "run" ? r.command.split(" ").at(-1) : undefined;
    };
    expect(option(gemini, "allow")).toBe("proceed_once");
    expect(option(gemini, "reject")).toBe("cancel");
    expect(option(codex, "allow")).toBe("accept_execpolicy_amendment");
    expect(option(codex, "reject")).toBe("abort");
  });

  it("does nothing without a decision or without a review", () => {
    expect(reviewDirectives(prompt, undefined)).toEqual([]);
    expect(reviewDirectives("reply: hi", "allow")).toEqual([]);
  });

  it("prefers the once kind, whatever the order (Gemini lists allow_always first)", () => {
    const gemini =
      '{"review_id":"perm_4","options":[{"option_id":"proceed_always","kind":"allow_always"},{"option_id":"proceed_once","kind":"allow_once"},{"option_id":"cancel","kind":"reject_once"}]}';
    const r = reviewDirectives(gemini, "allow")[0];
    expect(r?.type === "run" && r.command.split(" ").at(-1)).toBe("proceed_once");
  });

  it("answers through the agenthub MCP server's tool when the session has it", () => {
    expect(reviewDirectives(prompt, "allow", "agenthub")).toEqual([
      {
        type: "mcp_call",
        server: "agenthub",
        tool: "permission_review_respond",
        args: { request_id: "perm_1", option_id: "allow_once" },
      },
    ]);
  });
});
