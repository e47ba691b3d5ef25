import * as acp from "@agentclientprotocol/sdk";
import type { McpServerSpec, SessionSettings } from "../domain/agent.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";
import { planSessionSettings } from "../domain/session-config.js";
import { configOptionsOf } from "./session-info.js";

/** ACP's (unstable) model switch; the SDK's stable surface no longer names it, so it is sent by name. */
const SET_MODEL = "session/set_model";

/** Stdio MCP servers as `session/new` takes them. */
export function toAcpMcpServers(servers: readonly McpServerSpec[]): acp.McpServer[] {
  return servers.map((s) => ({
    name: s.name,
    command: s.command,
    args: [...s.args],
    env: Object.entries(s.env).map(([name, value]) => ({ name, value })),
  }));
}

/**
 * Puts a new session into the wanted mode, model and config options: everything is checked against
 * the agent's offer first (AGENT_CONFIG_INVALID, nothing changed), then set one call at a time.
 */
export async function applySessionSettings(o: {
  connection: acp.ClientConnection;
  sessionId: string;
  provider: string;
  settings: SessionSettings;
  /** The session info as it stands (updates the agent sends meanwhile change it too)... */
  get: () => AgentSessionInfo;
  /** ...and where a call's result goes. */
  set: (info: AgentSessionInfo) => void;
}): Promise<void> {
  const agent = o.connection.agent;
  for (const a of planSessionSettings(o.provider, o.get(), o.settings)) {
    switch (a.kind) {
      case "set_mode": {
        await agent.request(acp.methods.agent.session.setMode, { sessionId: o.sessionId, modeId: a.mode_id });
        const info = o.get();
        if (info.modes) o.set({ ...info, modes: { ...info.modes, current: a.mode_id } });
        break;
      }
      case "set_model": {
        await agent.request(SET_MODEL, { sessionId: o.sessionId, modelId: a.model_id });
        const info = o.get();
        if (info.models) o.set({ ...info, models: { ...info.models, current: a.model_id } });
        break;
      }
      case "set_config_option": {
        const res = await agent.request(acp.methods.agent.session.setConfigOption, {
          sessionId: o.sessionId,
          configId: a.config_id,
          ...(typeof a.value === "boolean"
            ? { type: "boolean" as const, value: a.value }
            : { value: a.value }),
        });
        // The answer carries every option as it now stands (setting one may change others).
        const options = configOptionsOf((res as { configOptions?: unknown }).configOptions);
        const info = o.get();
        o.set({
          ...info,
          config_options:
            options.length > 0
              ? options
              : info.config_options.map((c) => (c.id === a.config_id ? { ...c, current: a.value } : c)),
        });
        break;
      }
    }
  }
}
