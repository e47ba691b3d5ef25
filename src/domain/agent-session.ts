/**
 * What an agent's ACP session offers and what is in force: its auth methods and capabilities (from
 * `initialize`), its modes, models and config options (from `session/new`, kept current by the
 * agent's `current_mode_update` / `config_option_update`). The node reports it; the hub stores and
 * shows it (`GET /api/agents/:id`). Names are snake_case like the rest of the API.
 */
import type { ConfigOptionValue } from "./agent.js";

export interface OfferedChoice {
  id: string;
  name: string;
  description?: string | undefined;
}

export interface AuthMethodInfo {
  id: string;
  name: string;
  description?: string | undefined;
}

/** A choice among ids (modes, models): those offered and the current one. */
export interface ChoiceState {
  current: string | null;
  available: OfferedChoice[];
}

export interface ConfigOptionInfo {
  id: string;
  name: string;
  description?: string | undefined;
  /** ACP's category: "mode", "model", "thought_level", … or null. */
  category: string | null;
  type: "select" | "boolean";
  current: ConfigOptionValue;
  /** A select option's values (groups flattened); empty for a boolean option. */
  values: OfferedChoice[];
}

export interface AgentSessionInfo {
  /** The agent's name and version as it reports them (`agentInfo`), when it does. */
  agent: { name: string; version: string } | null;
  auth_methods: AuthMethodInfo[];
  /** The agent can restore a session (`session/load`). */
  load_session: boolean;
  modes: ChoiceState | null;
  /** Models offered through ACP's (unstable) `models` state; models offered as a config option are there. */
  models: ChoiceState | null;
  config_options: ConfigOptionInfo[];
  /**
   * The names of the MCP servers `session/new` gave it (`agenthub`: agenthub's actor commands as tools).
   * Absent in what older nodes reported.
   */
  mcp_servers?: string[] | undefined;
}

/** The session info of an agent that has not (yet) told anything. */
export function emptySessionInfo(): AgentSessionInfo {
  return {
    agent: null,
    auth_methods: [],
    load_session: false,
    modes: null,
    models: null,
    config_options: [],
    mcp_servers: [],
  };
}
