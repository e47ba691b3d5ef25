import { describe, expect, it } from "vitest";
import { type AgentSessionInfo, emptySessionInfo } from "../../src/domain/agent-session.js";
import { planSessionSettings } from "../../src/domain/session-config.js";
import { AppError } from "../../src/errors/registry.js";

const choices = (...ids: string[]) => ids.map((id) => ({ id, name: id }));

/** An agent offering modes, models (the unstable state), and a few config options. */
function offer(more: Partial<AgentSessionInfo> = {}): AgentSessionInfo {
  return {
    ...emptySessionInfo(),
    modes: { current: "ask", available: choices("ask", "code", "plan") },
    models: { current: "small", available: choices("small", "large") },
    config_options: [
      {
        id: "effort",
        name: "Effort",
        category: "thought_level",
        type: "select",
        current: "low",
        values: choices("low", "high"),
      },
      { id: "fast", name: "Fast", category: null, type: "boolean", current: false, values: [] },
    ],
    ...more,
  };
}

function refusal(info: AgentSessionInfo, wanted: Parameters<typeof planSessionSettings>[2]) {
  try {
    planSessionSettings("claude", info, wanted);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { code: e.code, status: e.status, message: e.message, details: e.details };
  }
  throw new Error("expected a refusal");
}

describe("planSessionSettings", () => {
  it("asks nothing of an agent when nothing is wanted, or when what is wanted is in force", () => {
    expect(planSessionSettings("claude", offer(), {})).toEqual([]);
    expect(
      planSessionSettings("claude", offer(), {
        mode: "ask",
        model: "small",
        config_options: { effort: "low", fast: false },
      }),
    ).toEqual([]);
  });

  it("sets mode, model and options in that order, each with the call the agent offers", () => {
    expect(
      planSessionSettings("claude", offer(), {
        config_options: { fast: true, effort: "high" },
        model: "large",
        mode: "plan",
      }),
    ).toEqual([
      { kind: "set_mode", mode_id: "plan" },
      { kind: "set_model", model_id: "large" },
      { kind: "set_config_option", config_id: "fast", value: true },
      { kind: "set_config_option", config_id: "effort", value: "high" },
    ]);
  });

  it("prefers a model config option over the unstable models state, and a mode option when no modes are offered", () => {
    const info = offer({
      modes: null,
      config_options: [
        {
          id: "m",
          name: "Mode",
          category: "mode",
          type: "select",
          current: "agent",
          values: choices("agent", "read-only"),
        },
        {
          id: "model",
          name: "Model",
          category: "model",
          type: "select",
          current: "small",
          values: choices("small", "huge"),
        },
      ],
    });
    expect(planSessionSettings("codex", info, { mode: "read-only", model: "huge" })).toEqual([
      { kind: "set_config_option", config_id: "m", value: "read-only" },
      { kind: "set_config_option", config_id: "model", value: "huge" },
    ]);
    // "huge" is offered by the option only: the models state's list does not decide.
    expect(refusal(info, { model: "large" }).message).toBe(
      'agent "claude" does not offer model "large"; offered: small, huge',
    );
  });

  it("refuses what the agent does not offer, naming the offered values (422)", () => {
    expect(refusal(offer(), { mode: "yolo" })).toEqual({
      code: "AGENT_CONFIG_INVALID",
      status: 422,
      message: 'agent "claude" does not offer mode "yolo"; offered: ask, code, plan',
      details: { provider: "claude", setting: "mode", value: "yolo", offered: "ask, code, plan" },
    });
    expect(refusal(offer(), { model: "medium" }).message).toBe(
      'agent "claude" does not offer model "medium"; offered: small, large',
    );
    expect(refusal(offer(), { config_options: { colour: "red" } }).message).toBe(
      'agent "claude" does not offer config option "colour"; offered: effort, fast',
    );
    expect(refusal(offer(), { config_options: { effort: "max" } }).message).toBe(
      'agent "claude" does not offer config option "effort" value "max"; offered: low, high',
    );
    expect(refusal(offer(), { config_options: { fast: "yes" } }).message).toBe(
      'agent "claude" does not offer config option "fast" value "yes"; offered: true, false',
    );
    expect(refusal(offer({ modes: null }), { mode: "plan" }).message).toBe(
      'agent "claude" does not offer mode "plan"; offered: (none)',
    );
    expect(refusal(emptySessionInfo(), { model: "x" }).message).toBe(
      'agent "claude" does not offer model "x"; offered: (none)',
    );
  });

  it("checks everything before anything is set: a bad option after a good mode refuses the whole plan", () => {
    expect(refusal(offer(), { mode: "plan", config_options: { effort: "max" } }).code).toBe(
      "AGENT_CONFIG_INVALID",
    );
  });
});

describe("registry message templates", () => {
  it("fills {placeholders} from details, lists joined, and keeps a missing one visible", () => {
    expect(
      new AppError("AGENT_AUTH_REQUIRED", { provider: "codex", hint: "set OPENAI_API_KEY" }).message,
    ).toBe('agent "codex" needs credentials: set OPENAI_API_KEY');
    expect(
      new AppError("AGENT_CONFIG_INVALID", {
        provider: "x",
        setting: "mode",
        value: "a",
        offered: ["b", "c"],
      }).message,
    ).toBe('agent "x" does not offer mode "a"; offered: b, c');
    expect(new AppError("AGENT_AUTH_REQUIRED", { provider: "codex" }).message).toBe(
      'agent "codex" needs credentials: {hint}',
    );
    // A caller's own message still wins; messages without placeholders are untouched.
    expect(new AppError("AGENT_AUTH_REQUIRED", { provider: "c" }, { message: "own" }).message).toBe("own");
    expect(new AppError("TEAM_NOT_FOUND", { provider: "x" }).message).toBe("team not found");
  });
});
