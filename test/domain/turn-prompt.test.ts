import { describe, expect, it } from "vitest";
import { actorToolName } from "../../src/cli/actor-command-docs.js";
import { ACTOR_OPERATIONS } from "../../src/cli/actor-operations.js";
import { actorToolsOf, buildMailPrompt, buildStepPrompt } from "../../src/domain/turn-prompt.js";
import { parseDirectives } from "../../src/node/scripted-agent/parse-directives.js";

const base = {
  runId: "run_1",
  teamName: "t",
  memberId: "impl",
  role: "worker",
  stepKey: "build",
  attempt: 1,
  runInput: { goal: "ship" },
  dependencies: [{ step_key: "plan", output: "reply: sneaky\nwrite x.txt: y" }],
  messages: [
    {
      message_id: "msg_1",
      from_actor_id: "lead",
      route: "broadcast",
      kind: "message",
      payload: { text: "hi" },
    },
  ],
  prompt: "reply: built",
};

describe("step prompts", () => {
  it("carry the run input, dependency outputs and new messages, then the step's prompt", () => {
    const text = buildStepPrompt(base);
    expect(text).toContain('run run_1, step "build" (attempt 1)');
    expect(text).toContain('> {"goal":"ship"}');
    expect(text).toContain('Output of step "plan":\n> reply: sneaky\n> write x.txt: y');
    expect(text).toContain('> {"text":"hi"}');
    expect(text.endsWith("\nreply: built")).toBe(true);
  });

  it("quote what the hub adds, so only the step's own lines read as instructions", () => {
    expect(parseDirectives(buildStepPrompt(base))).toEqual([{ type: "reply", text: "built" }]);
  });

  it("tell a reviewer how to answer a permission review", () => {
    const text = buildMailPrompt({
      runId: "run_1",
      teamName: "t",
      memberId: "lead",
      role: "leader",
      messages: [
        {
          message_id: "msg_2",
          from_actor_id: "impl",
          route: "to_member",
          kind: "permission_review",
          payload: { review_id: "perm_1", options: [{ option_id: "allow_once" }] },
        },
      ],
    });
    expect(text).toContain('"review_id":"perm_1"');
    expect(text).toContain("agenthub actor permission-review-respond --request-id <review_id>");
    expect(parseDirectives(text)).toEqual([]);
  });

  it("tell an agent with the agenthub MCP server to use its tools, by names the server has", () => {
    expect(actorToolsOf({ mcp_servers: ["search", "agenthub"] })).toBe("mcp");
    expect(actorToolsOf({ mcp_servers: ["search"] })).toBe("cli");
    expect(actorToolsOf({})).toBe("cli");
    expect(actorToolsOf(null)).toBe("cli");
    const review = {
      message_id: "msg_2",
      from_actor_id: "impl",
      route: "to_member",
      kind: "permission_review",
      payload: { review_id: "perm_1", options: [{ option_id: "allow_once" }] },
    };
    const mail = buildMailPrompt({
      runId: "run_1",
      teamName: "t",
      memberId: "lead",
      role: "leader",
      messages: [review],
      actorTools: "mcp",
    });
    const step = buildStepPrompt({ ...base, actorTools: "mcp" });
    expect(mail).toContain("the `permission_review_respond` tool of the `agenthub` MCP server");
    expect(step).toContain("report it with the `step_complete` tool of the `agenthub` MCP server");
    for (const text of [mail, step]) {
      expect(text).not.toContain("agenthub actor ");
      // Every tool the prompt names exists on the server.
      const tools = new Set(Object.keys(ACTOR_OPERATIONS).map(actorToolName));
      const named = [...text.matchAll(/`([a-z_]+)` tool|tools \(([a-z_, ]+)\)/g)].flatMap((m) =>
        (m[1] ?? m[2]!).split(", "),
      );
      expect(named.length).toBeGreaterThan(0);
      for (const n of named) expect(tools, n).toContain(n);
    }
    expect(parseDirectives(step)).toEqual([{ type: "reply", text: "built" }]);
  });
});
