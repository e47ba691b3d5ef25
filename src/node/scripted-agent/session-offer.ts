import * as acp from "@agentclientprotocol/sdk";

/**
 * What the scripted agent offers, from its environment (so tests configure it per agent):
 *
 *   SCRIPTED_MODES=ask,code,plan         session modes; the first is current
 *   SCRIPTED_MODELS=small,large          ACP's unstable `models` state (session/set_model); first current
 *   SCRIPTED_CONFIG_OPTIONS=effort:low,high;fast:bool;model/model:small,large
 *                                        config options `id[/category]:values` (first current) or
 *                                        `id:bool` (a boolean, false)
 *   SCRIPTED_AUTH_METHODS=api-key,login  auth methods offered in initialize
 *   SCRIPTED_REQUIRE_AUTH=session|prompt unless SCRIPTED_API_KEY is set, session/new (or the first
 *                                        prompt) fails with ACP's auth_required (-32000)
 *   SCRIPTED_SESSION_ERROR=<text>        session/new fails with an internal error whose message is
 *                                        <text> followed by a stray `})` line (as agents leak stderr)
 */

export interface Offer {
  modes: acp.SessionModeState | undefined;
  models: { currentModelId: string; availableModels: { modelId: string; name: string }[] } | undefined;
  configOptions: acp.SessionConfigOption[];
  authMethods: acp.AuthMethod[];
}

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

function parseConfigOptions(spec: string | undefined): acp.SessionConfigOption[] {
  if (!spec) return [];
  return spec.split(";").flatMap((part): acp.SessionConfigOption[] => {
    const [head, values] = part.split(":");
    const [id, category] = (head ?? "").split("/");
    if (!id) return [];
    const base = { id, name: id, ...(category ? { category } : {}) };
    if (values === "bool") return [{ ...base, type: "boolean", currentValue: false }];
    const vals = list(values);
    if (vals.length === 0) return [];
    return [
      {
        ...base,
        type: "select",
        currentValue: vals[0]!,
        options: vals.map((value) => ({ value, name: value })),
      },
    ];
  });
}

export function offerFromEnv(env: NodeJS.ProcessEnv): Offer {
  const modes = list(env.SCRIPTED_MODES);
  const models = list(env.SCRIPTED_MODELS);
  return {
    modes:
      modes.length > 0
        ? { currentModeId: modes[0]!, availableModes: modes.map((id) => ({ id, name: id })) }
        : undefined,
    models:
      models.length > 0
        ? {
            currentModelId: models[0]!,
            availableModels: models.map((modelId) => ({ modelId, name: modelId })),
          }
        : undefined,
    configOptions: parseConfigOptions(env.SCRIPTED_CONFIG_OPTIONS),
    authMethods: list(env.SCRIPTED_AUTH_METHODS).map((id) => ({ id, name: id })),
  };
}

/** Throws ACP's auth_required when the agent was told to require credentials at `at` and has none. */
export function requireAuth(env: NodeJS.ProcessEnv, at: "session" | "prompt"): void {
  if (env.SCRIPTED_REQUIRE_AUTH === at && !env.SCRIPTED_API_KEY) {
    throw acp.RequestError.authRequired(undefined, "set SCRIPTED_API_KEY");
  }
}

/** One session's settings as the agent holds them (changed by set_mode, set_model, set_config_option). */
export class SessionSettingsState {
  mode: string | undefined;
  model: string | undefined;
  readonly options: acp.SessionConfigOption[];

  constructor(private readonly offer: Offer) {
    this.mode = offer.modes?.currentModeId;
    this.model = offer.models?.currentModelId;
    this.options = offer.configOptions.map((o) => ({ ...o }));
  }

  newSessionFields(): Pick<acp.NewSessionResponse, "modes" | "configOptions"> & { models?: unknown } {
    return {
      ...(this.offer.modes ? { modes: { ...this.offer.modes, currentModeId: this.mode! } } : {}),
      ...(this.offer.models ? { models: { ...this.offer.models, currentModelId: this.model! } } : {}),
      ...(this.options.length > 0 ? { configOptions: this.options } : {}),
    };
  }

  setMode(id: string): void {
    if (!this.offer.modes?.availableModes.some((m) => m.id === id)) {
      throw acp.RequestError.invalidParams({ modeId: id }, `unknown mode ${id}`);
    }
    this.mode = id;
  }

  setModel(id: string): void {
    if (!this.offer.models?.availableModels.some((m) => m.modelId === id)) {
      throw acp.RequestError.invalidParams({ modelId: id }, `unknown model ${id}`);
    }
    this.model = id;
  }

  setOption(id: string, value: unknown): acp.SessionConfigOption[] {
    const o = this.options.find((x) => x.id === id);
    if (!o) throw acp.RequestError.invalidParams({ configId: id }, `unknown config option ${id}`);
    if (o.type === "boolean") {
      if (typeof value !== "boolean") throw acp.RequestError.invalidParams({ value }, "expected a boolean");
      o.currentValue = value;
    } else {
      const values = (o.options as acp.SessionConfigSelectOption[]).map((x) => x.value);
      if (typeof value !== "string" || !values.includes(value)) {
        throw acp.RequestError.invalidParams({ value }, `unknown value for ${id}`);
      }
      o.currentValue = value;
    }
    return this.options;
  }

  /** What the `session-state` directive replies. */
  snapshot(mcpServers: readonly acp.McpServer[]): Record<string, unknown> {
    return {
      mode: this.mode ?? null,
      model: this.model ?? null,
      config: Object.fromEntries(this.options.map((o) => [o.id, o.currentValue])),
      mcp_servers: mcpServers.map((s) => ({
        name: s.name,
        ...("command" in s ? { command: s.command, args: s.args, env: s.env.map((e) => e.name) } : {}),
      })),
    };
  }
}
