import { AppError } from "../errors/registry.js";
import type { ConfigOptionValue, SessionSettings } from "./agent.js";
import type { AgentSessionInfo, ConfigOptionInfo } from "./agent-session.js";

/**
 * The ACP calls that put an agent's session into the wanted mode, model and config options, checked
 * against what the agent offers first: a value it does not offer refuses the start with
 * AGENT_CONFIG_INVALID naming the offered ones, before anything is changed.
 *
 * - `mode`: `session/set_mode` when the agent offers modes; else a config option of category "mode".
 * - `model`: a config option of category "model" when the agent offers one (the ACP way); else
 *   `session/set_model` over its (unstable) `models` state.
 * - `config_options`: `session/set_config_option` per id; a select takes one of its values (as a
 *   string), a boolean option `true`/`false`.
 */
export type SessionAction =
  | { kind: "set_mode"; mode_id: string }
  | { kind: "set_model"; model_id: string }
  | { kind: "set_config_option"; config_id: string; value: ConfigOptionValue };

/** What the agent offers for each setting, as the error shows it. */
function offeredList(ids: readonly string[]): string {
  return ids.length > 0 ? ids.join(", ") : "(none)";
}

function invalid(provider: string, setting: string, value: ConfigOptionValue, offered: readonly string[]) {
  return new AppError("AGENT_CONFIG_INVALID", {
    provider,
    setting,
    value: String(value),
    offered: offeredList(offered),
  });
}

function optionOfCategory(info: AgentSessionInfo, category: string): ConfigOptionInfo | undefined {
  return info.config_options.find((o) => o.category === category && o.type === "select");
}

/** The action setting config option `o` to `value`, or the AGENT_CONFIG_INVALID error. */
function setOption(provider: string, setting: string, o: ConfigOptionInfo, value: ConfigOptionValue) {
  if (o.type === "boolean") {
    if (typeof value !== "boolean") throw invalid(provider, setting, value, ["true", "false"]);
    return { kind: "set_config_option" as const, config_id: o.id, value };
  }
  const ids = o.values.map((v) => v.id);
  if (typeof value !== "string" || !ids.includes(value)) throw invalid(provider, setting, value, ids);
  return { kind: "set_config_option" as const, config_id: o.id, value };
}

/**
 * The calls that apply `wanted` to a session offering `info`, in order (mode, model, options); a
 * setting already in force needs no call. Throws AGENT_CONFIG_INVALID for anything not offered.
 */
export function planSessionSettings(
  provider: string,
  info: AgentSessionInfo,
  wanted: SessionSettings,
): SessionAction[] {
  const actions: SessionAction[] = [];
  if (wanted.mode !== undefined) {
    const modeOption = optionOfCategory(info, "mode");
    if (info.modes) {
      const ids = info.modes.available.map((m) => m.id);
      if (!ids.includes(wanted.mode)) throw invalid(provider, "mode", wanted.mode, ids);
      if (info.modes.current !== wanted.mode) actions.push({ kind: "set_mode", mode_id: wanted.mode });
    } else if (modeOption) {
      const a = setOption(provider, "mode", modeOption, wanted.mode);
      if (modeOption.current !== wanted.mode) actions.push(a);
    } else throw invalid(provider, "mode", wanted.mode, []);
  }
  if (wanted.model !== undefined) {
    const modelOption = optionOfCategory(info, "model");
    if (modelOption) {
      const a = setOption(provider, "model", modelOption, wanted.model);
      if (modelOption.current !== wanted.model) actions.push(a);
    } else if (info.models) {
      const ids = info.models.available.map((m) => m.id);
      if (!ids.includes(wanted.model)) throw invalid(provider, "model", wanted.model, ids);
      if (info.models.current !== wanted.model) actions.push({ kind: "set_model", model_id: wanted.model });
    } else throw invalid(provider, "model", wanted.model, []);
  }
  for (const [id, value] of Object.entries(wanted.config_options ?? {})) {
    const o = info.config_options.find((x) => x.id === id);
    if (!o) {
      throw invalid(
        provider,
        "config option",
        id,
        info.config_options.map((x) => x.id),
      );
    }
    const a = setOption(provider, `config option "${id}" value`, o, value);
    if (o.current !== value) actions.push(a);
  }
  return actions;
}
