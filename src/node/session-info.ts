import type * as acp from "@agentclientprotocol/sdk";
import type {
  AgentSessionInfo,
  AuthMethodInfo,
  ChoiceState,
  ConfigOptionInfo,
  OfferedChoice,
} from "../domain/agent-session.js";

/**
 * ACP's wire shapes of what an agent offers (initialize, session/new, session updates) turned into the
 * AgentSessionInfo agenthub reports. Agents are not trusted to send well-formed data: anything
 * malformed is left out rather than failing the session.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Most entries kept of any list an agent offers (a hostile agent could send millions). */
const MAX_ENTRIES = 200;
/** Longest name and description kept (ids are kept whole: a setting names them exactly). */
const MAX_NAME = 200;
const MAX_DESCRIPTION = 1000;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function described(id: string, name: unknown, description: unknown): OfferedChoice {
  const d = str(description);
  return {
    id,
    name: clip(str(name) ?? id, MAX_NAME),
    ...(d ? { description: clip(d, MAX_DESCRIPTION) } : {}),
  };
}

function authMethodsOf(raw: unknown): AuthMethodInfo[] {
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, MAX_ENTRIES).flatMap((m) => {
    if (!isObj(m) || !str(m.id)) return [];
    return [described(m.id as string, m.name, m.description)];
  });
}

/**
 * The agent's identity, auth methods and capabilities from its `initialize` answer, and the names of
 * the MCP servers its session is given.
 */
export function sessionInfoFromInitialize(
  init: acp.InitializeResponse,
  mcpServers: readonly { name: string }[] = [],
): AgentSessionInfo {
  const raw = init as unknown as Json;
  const agentInfo = isObj(raw.agentInfo) ? raw.agentInfo : undefined;
  const caps = isObj(raw.agentCapabilities) ? raw.agentCapabilities : {};
  return {
    agent:
      agentInfo && str(agentInfo.name)
        ? { name: agentInfo.name as string, version: str(agentInfo.version) ?? "" }
        : null,
    auth_methods: authMethodsOf(raw.authMethods),
    load_session: caps.loadSession === true,
    modes: null,
    models: null,
    config_options: [],
    mcp_servers: mcpServers.map((s) => s.name),
  };
}

function modesOf(raw: unknown): ChoiceState | null {
  if (!isObj(raw) || !Array.isArray(raw.availableModes)) return null;
  const available = raw.availableModes.slice(0, MAX_ENTRIES).flatMap((m) => {
    if (!isObj(m) || !str(m.id)) return [];
    return [described(m.id as string, m.name, m.description)];
  });
  return { current: str(raw.currentModeId) ?? null, available };
}

/** ACP's unstable `models` state (`session/set_model`), which some agents still send. */
function modelsOf(raw: unknown): ChoiceState | null {
  if (!isObj(raw) || !Array.isArray(raw.availableModels)) return null;
  const available = raw.availableModels.slice(0, MAX_ENTRIES).flatMap((m) => {
    if (!isObj(m) || !str(m.modelId)) return [];
    return [described(m.modelId as string, m.name, m.description)];
  });
  return { current: str(raw.currentModelId) ?? null, available };
}

function selectValues(options: unknown): OfferedChoice[] {
  if (!Array.isArray(options)) return [];
  const flat = options.flatMap((o) => (isObj(o) && Array.isArray(o.options) ? o.options : [o]));
  return flat.slice(0, MAX_ENTRIES).flatMap((o) => {
    if (!isObj(o) || !str(o.value)) return [];
    return [described(o.value as string, o.name, o.description)];
  });
}

/** Config options as offered (`configOptions` of session/new, set_config_option or an update). */
export function configOptionsOf(raw: unknown): ConfigOptionInfo[] {
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, MAX_ENTRIES).flatMap((o): ConfigOptionInfo[] => {
    if (!isObj(o) || !str(o.id)) return [];
    const base = {
      id: o.id as string,
      name: clip(str(o.name) ?? (o.id as string), MAX_NAME),
      ...(str(o.description) ? { description: clip(o.description as string, MAX_DESCRIPTION) } : {}),
      category: str(o.category) ?? null,
    };
    if (o.type === "boolean" && typeof o.currentValue === "boolean") {
      return [{ ...base, type: "boolean", current: o.currentValue, values: [] }];
    }
    if (typeof o.currentValue === "string") {
      return [{ ...base, type: "select", current: o.currentValue, values: selectValues(o.options) }];
    }
    return [];
  });
}

/** `info` with what `session/new` (or `session/load`) offered: modes, models, config options. */
export function withSessionOffer(info: AgentSessionInfo, res: unknown): AgentSessionInfo {
  const raw = isObj(res) ? res : {};
  return {
    ...info,
    modes: modesOf(raw.modes),
    models: modelsOf(raw.models),
    config_options: configOptionsOf(raw.configOptions),
  };
}

/**
 * `info` after a session update that changes it (`current_mode_update`, `config_option_update`), or
 * undefined when the update does not concern the session's settings.
 */
export function withSessionUpdate(
  info: AgentSessionInfo,
  update: acp.SessionUpdate,
): AgentSessionInfo | undefined {
  if (update.sessionUpdate === "current_mode_update") {
    const id = str((update as unknown as Json).currentModeId);
    if (!id) return undefined;
    return { ...info, modes: info.modes ? { ...info.modes, current: id } : { current: id, available: [] } };
  }
  if (update.sessionUpdate === "config_option_update") {
    return { ...info, config_options: configOptionsOf((update as unknown as Json).configOptions) };
  }
  return undefined;
}
