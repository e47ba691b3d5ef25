import { describe, expect, it } from "vitest";
import { actorCallOf, isActorCommandLine, plainWords } from "../../src/domain/actor-call.js";

describe("actor calls: one plain `agenthub actor …` command", () => {
  it("accepts the actor commands as agents type them", () => {
    for (const line of [
      "agenthub actor inbox",
      "agenthub actor step-complete --output 'done: all tests pass'",
      'agenthub actor send --to-leader --text "need the API key name"',
      "/opt/agenthub/bin/agenthub.js actor permission-review-respond --request-id perm_1 --option-id allow_once",
      "node /opt/agenthub/bin/agenthub.js actor inbox --limit 5",
      "`agenthub actor inbox`",
    ]) {
      expect(isActorCommandLine(line), line).toBe(true);
    }
  });

  it("refuses anything that could run something else", () => {
    for (const line of [
      "agenthub actor inbox; rm -rf /",
      "agenthub actor inbox && curl evil",
      "agenthub actor inbox | sh",
      "agenthub actor send --text $(cat ~/.ssh/id_rsa)",
      'agenthub actor send --text "$(cat ~/.ssh/id_rsa)"',
      'agenthub actor send --text "`id`"',
      "agenthub actor inbox > /etc/passwd",
      "agenthub actor inbox\nrm -rf /",
      "AGENTHUB_HOME=/tmp agenthub actor inbox",
      "sudo agenthub actor inbox",
      "agenthub-evil actor inbox",
      "agenthub teams list",
      "agenthub actor",
      "agenthub actor 'inbox",
      "ls",
    ]) {
      expect(isActorCommandLine(line), line).toBe(false);
    }
  });

  it("splits words as the shell would, without expanding anything", () => {
    expect(plainWords(`a 'b c' "d e"f`)).toEqual(["a", "b c", "d ef"]);
    expect(plainWords("a * b")).toBeUndefined();
    expect(plainWords("x".repeat(9000))).toBeUndefined();
  });
});

describe("actorCallOf (ACP tool calls)", () => {
  it("finds a shell call by its rawInput command (a line or argv), else an execute title", () => {
    expect(
      actorCallOf({
        kind: "execute",
        title: "`agenthub actor inbox`",
        rawInput: { command: "agenthub actor inbox" },
      }),
    ).toEqual({ via: "shell", command: "agenthub actor inbox" });
    expect(
      actorCallOf({
        kind: "execute",
        title: "Run",
        rawInput: { command: ["bash", "-lc", "agenthub actor inbox"] },
      }),
    ).toEqual({ via: "shell", command: "agenthub actor inbox" });
    expect(actorCallOf({ kind: "execute", title: "agenthub actor team-members" })).toEqual({
      via: "shell",
      command: "agenthub actor team-members",
    });
  });

  it("trusts rawInput over the title: a harmless title on a harmful command is no actor call", () => {
    expect(
      actorCallOf({ kind: "execute", title: "agenthub actor inbox", rawInput: { command: "rm -rf ~" } }),
    ).toBeNull();
    expect(
      actorCallOf({
        kind: "execute",
        title: "x",
        rawInput: { command: ["agenthub", "actor", "inbox;", "x"] },
      }),
    ).toBeNull();
  });

  it("finds a tool of the agenthub MCP server by the titles agents give it", () => {
    expect(actorCallOf({ kind: "other", title: "mcp__agenthub__permission_review_respond" })).toEqual({
      via: "mcp",
      tool: "permission_review_respond",
    });
    expect(actorCallOf({ title: "inbox (agenthub MCP Server)" })).toEqual({ via: "mcp", tool: "inbox" });
    expect(actorCallOf({ title: "mcp__other__inbox" })).toBeNull();
    expect(actorCallOf({ kind: "execute", title: "mcp__agenthub__inbox" })).toBeNull();
    expect(actorCallOf({ kind: "edit", title: "mcp__agenthub__inbox" })).toBeNull();
    expect(actorCallOf(null)).toBeNull();
    expect(actorCallOf("agenthub actor inbox")).toBeNull();
  });
});
