import { describe, expect, it } from "vitest";
import { parseAgentEvent } from "../../src/contracts/agent-events.js";

describe("parseAgentEvent", () => {
  it("reads a turn's end: stop reason, reply, error, truncated fields, usage and message count", () => {
    expect(
      parseAgentEvent("turn_ended", {
        turn_id: "step|run_1|1|a",
        stop_reason: "end_turn",
        reply: "done…[truncated: 2000000 bytes]",
        truncated: [{ path: "reply", bytes: 2_000_000 }, { path: 3 }],
        messages: 3,
        usage: {
          input_tokens: 120,
          output_tokens: 30.7,
          cached_read_tokens: -4,
          total_tokens: 150,
          cost: { amount: 0.25, currency: "USD" },
        },
      }),
    ).toEqual({
      kind: "turn_ended",
      turnId: "step|run_1|1|a",
      stopReason: "end_turn",
      reply: "done…[truncated: 2000000 bytes]",
      error: null,
      errorCode: null,
      truncated: [{ path: "reply", bytes: 2_000_000 }],
      messages: 3,
      // Counts are whole and never negative; missing ones are 0.
      usage: {
        input_tokens: 120,
        output_tokens: 30,
        cached_read_tokens: 0,
        cached_write_tokens: 0,
        thought_tokens: 0,
        total_tokens: 150,
        cost: { amount: 0.25, currency: "USD" },
      },
    });
    // A malformed cost is dropped, the tokens kept; no usage at all is null.
    expect(
      parseAgentEvent("turn_ended", { turn_id: "t", usage: { input_tokens: 1, cost: { amount: "1" } } }),
    ).toMatchObject({ usage: { input_tokens: 1, cost: null }, messages: 0 });
    expect(parseAgentEvent("turn_ended", { turn_id: "t", usage: "lots" })).toMatchObject({ usage: null });
    expect(
      parseAgentEvent("turn_ended", {
        turn_id: "t",
        stop_reason: "auth_required",
        error: "Authentication required",
      }),
    ).toMatchObject({ stopReason: "auth_required", reply: "", error: "Authentication required" });
  });

  it("reads an exit, with the fields a reaped agent carries", () => {
    expect(
      parseAgentEvent("agent_exited", {
        code: null,
        signal: "SIGKILL",
        stderr_tail: ["a", 7, "b"],
        message: "node restarted",
        reaped: true,
      }),
    ).toEqual({
      kind: "agent_exited",
      code: null,
      signal: "SIGKILL",
      stderrTail: ["a", "b"],
      message: "node restarted",
      during: null,
      reaped: true,
      expected: false,
    });
    expect(parseAgentEvent("agent_exited", {})).toMatchObject({ message: "agent exited", stderrTail: [] });
  });

  it("reads permission requests (ACP options in snake_case) and their resolutions", () => {
    expect(
      parseAgentEvent("permission_request", {
        request_id: "perm_1",
        turn_id: "step|r|1|a",
        tool_call: { toolCallId: "t1", title: "write" },
        options: [{ optionId: "proceed_once", name: "Allow", kind: "allow_once" }, "junk"],
      }),
    ).toEqual({
      kind: "permission_request",
      requestId: "perm_1",
      turnId: "step|r|1|a",
      toolCall: { toolCallId: "t1", title: "write" },
      options: [
        { option_id: "proceed_once", name: "Allow", kind: "allow_once" },
        { option_id: "", name: "", kind: "" },
      ],
    });
    expect(
      parseAgentEvent("permission_resolved", { request_id: "perm_1", outcome: { option_id: "x" } }),
    ).toEqual({
      kind: "permission_resolved",
      requestId: "perm_1",
      outcome: { option_id: "x" },
      reason: null,
    });
    expect(
      parseAgentEvent("permission_resolved", {
        request_id: "p",
        outcome: { cancelled: true },
        reason: "agent exited",
      }),
    ).toMatchObject({ outcome: { cancelled: true }, reason: "agent exited" });
  });

  it("tells ACP session updates apart: message chunks, tool calls, plans, modes", () => {
    const update = (u: Record<string, unknown>) =>
      parseAgentEvent("session_update", { turn_id: "t", update: u }) as { update: unknown };
    expect(
      update({ sessionUpdate: "agent_message_chunk", content: { type: "text", text: "hi" } }).update,
    ).toEqual({
      type: "message_chunk",
      role: "agent",
      text: "hi",
      messageId: null,
    });
    expect(
      update({ sessionUpdate: "agent_thought_chunk", content: { type: "image" }, messageId: "m2" }).update,
    ).toEqual({
      type: "message_chunk",
      role: "thought",
      text: "",
      messageId: "m2",
    });
    expect(
      update({
        sessionUpdate: "tool_call",
        toolCallId: "c1",
        title: "ls",
        kind: "execute",
        status: "pending",
        locations: [{ path: "/w/a.txt", line: 3 }, { line: 1 }, "junk"],
      }).update,
    ).toEqual({
      type: "tool_call",
      toolCallId: "c1",
      title: "ls",
      status: "pending",
      toolKind: "execute",
      paths: ["/w/a.txt"],
    });
    expect(
      update({ sessionUpdate: "tool_call_update", toolCallId: "c1", status: "completed" }).update,
    ).toEqual({
      type: "tool_call_update",
      toolCallId: "c1",
      title: null,
      status: "completed",
      toolKind: null,
      paths: [],
    });
    expect(
      update({
        sessionUpdate: "plan",
        entries: [
          { content: "read the code", status: "completed", priority: "high" },
          {},
          { content: "test" },
        ],
      }).update,
    ).toEqual({
      type: "plan",
      entries: [
        { content: "read the code", status: "completed", priority: "high" },
        { content: "test", status: null, priority: null },
      ],
    });
    expect(update({ sessionUpdate: "current_mode_update", currentModeId: "plan" }).update).toEqual({
      type: "mode",
      modeId: "plan",
    });
    expect(update({ sessionUpdate: "usage_update", used: 1 }).update).toEqual({
      type: "other",
      sessionUpdate: "usage_update",
    });
  });

  it("reads how a session started: restored, or new with the context lost", () => {
    expect(
      parseAgentEvent("session_started", {
        session_id: "s2",
        resumed_from: "s1",
        loaded: false,
        context_lost: "the agent cannot load sessions",
      }),
    ).toEqual({
      kind: "session_started",
      sessionId: "s2",
      resumedFrom: "s1",
      loaded: false,
      contextLost: "the agent cannot load sessions",
    });
    expect(parseAgentEvent("session_started", { session_id: "s1", loaded: true })).toEqual({
      kind: "session_started",
      sessionId: "s1",
      resumedFrom: null,
      loaded: true,
      contextLost: null,
    });
    expect(parseAgentEvent("session_started", {})).toMatchObject({ kind: "unknown" });
  });

  it("reads states, stderr lines and queued turns", () => {
    expect(parseAgentEvent("status", { state: "idle" })).toEqual({
      kind: "status",
      state: "idle",
      message: null,
    });
    expect(parseAgentEvent("stderr", { line: "warn: x" })).toEqual({ kind: "stderr", line: "warn: x" });
    expect(parseAgentEvent("turn_queued", { turn_id: "t", position: 2 })).toEqual({
      kind: "turn_queued",
      turnId: "t",
      position: 2,
    });
    expect(parseAgentEvent("turn_started", { turn_id: "t", text: "prompt" })).toEqual({
      kind: "turn_started",
      turnId: "t",
    });
  });

  it("never throws: unknown kinds and known kinds without what they need are `unknown`", () => {
    expect(parseAgentEvent("usage", { tokens: 1 })).toEqual({
      kind: "unknown",
      rawKind: "usage",
      reason: "kind not known to this hub",
    });
    for (const [kind, data] of [
      ["turn_ended", { stop_reason: "end_turn" }],
      ["status", { state: "created" }],
      ["status", { state: "dancing" }],
      ["permission_request", { options: [] }],
      ["permission_resolved", null],
      ["session_update", { update: "text" }],
      ["turn_started", []],
    ] as const) {
      expect(parseAgentEvent(kind, data), `${kind} ${JSON.stringify(data)}`).toMatchObject({
        kind: "unknown",
        rawKind: kind,
      });
    }
  });
});
