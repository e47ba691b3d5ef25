import type { ConfigOptionValue, McpServerSpec, SessionSettings } from "./agent.js";
import {
  isNonEmptyString,
  isObject,
  isStringArray,
  type JsonObject,
  type ProblemList,
} from "./problem-list.js";
import { keyPath, refuseUnknownKeys, SPEC_KEYS } from "./spec-keys.js";

/**
 * The session settings of a member's agent in a team spec (`mode`, `model`, `config_options`,
 * `mcp_servers`), checked for shape only: which values an agent offers is known once it runs, and
 * the node checks them against its offer then.
 */

/** Longest mode, model, config option id or value (ids agents use are short). */
export const MAX_SETTING = 256;
export const MAX_CONFIG_OPTIONS = 64;
export const MAX_MCP_SERVERS = 32;
/** Longest single argument or environment value a process can be given (Linux MAX_ARG_STRLEN). */
const MAX_ARG = 128 * 1024;
const MAX_PATH = 4095;

/** What an environment variable name can be at all: not empty, no "=" and no NUL byte. */
export const isEnvName = (k: string) => k.length > 0 && !k.includes("=") && !k.includes("\u0000");

/** Reads the session settings of `raw` (an agent object) at `field`; problems go to `p`. */
export function parseSessionSettings(raw: JsonObject, field: string, p: ProblemList): SessionSettings {
  const out: SessionSettings = {};
  for (const key of ["mode", "model"] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (!isNonEmptyString(v) || v.length > MAX_SETTING) {
      p.add(
        `${field}.${key}`,
        `${field}.${key} must be a non-empty string of at most ${MAX_SETTING} characters`,
      );
    } else out[key] = v;
  }
  if (raw.config_options !== undefined) {
    const opts = parseConfigOptions(raw.config_options, `${field}.config_options`, p);
    if (opts) out.config_options = opts;
  }
  if (raw.mcp_servers !== undefined) {
    const servers = parseMcpServers(raw.mcp_servers, `${field}.mcp_servers`, p);
    if (servers) out.mcp_servers = servers;
  }
  return out;
}

function parseConfigOptions(
  raw: unknown,
  field: string,
  p: ProblemList,
): Record<string, ConfigOptionValue> | undefined {
  if (!isObject(raw)) {
    p.add(field, `${field} must be an object of config option ids to values (strings or booleans)`);
    return undefined;
  }
  const entries = Object.entries(raw);
  if (entries.length > MAX_CONFIG_OPTIONS) {
    p.add(field, `${field} may set at most ${MAX_CONFIG_OPTIONS} options`);
    return undefined;
  }
  const out: Record<string, ConfigOptionValue> = {};
  for (const [id, v] of entries) {
    const at = keyPath(field, id);
    if (id.trim() === "" || id.length > MAX_SETTING) {
      p.add(at, `${at}: a config option id must be 1-${MAX_SETTING} characters`);
    } else if (typeof v === "boolean" || (typeof v === "string" && v !== "" && v.length <= MAX_SETTING)) {
      out[id] = v;
    } else {
      p.add(at, `${at} must be a boolean or a non-empty string of at most ${MAX_SETTING} characters`);
    }
  }
  return out;
}

function parseMcpServers(raw: unknown, field: string, p: ProblemList): McpServerSpec[] | undefined {
  if (!Array.isArray(raw)) {
    p.add(field, `${field} must be an array of {name, command, args, env}`);
    return undefined;
  }
  if (raw.length > MAX_MCP_SERVERS) {
    p.add(field, `${field} may list at most ${MAX_MCP_SERVERS} servers`);
    return undefined;
  }
  const out: McpServerSpec[] = [];
  const names = new Set<string>();
  raw.forEach((s, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(s)) {
      p.add(at, `${at} must be an object with name and command`);
      return;
    }
    refuseUnknownKeys(s, SPEC_KEYS.mcp_server, at, p);
    const server = parseMcpServer(s, at, p);
    if (!server) return;
    if (names.has(server.name)) p.add(`${at}.name`, `${at}.name: duplicate MCP server name "${server.name}"`);
    names.add(server.name);
    out.push(server);
  });
  return out;
}

function parseMcpServer(s: JsonObject, at: string, p: ProblemList): McpServerSpec | undefined {
  let ok = true;
  if (!isNonEmptyString(s.name) || s.name.length > MAX_SETTING) {
    p.add(`${at}.name`, `${at}.name must be a non-empty string of at most ${MAX_SETTING} characters`);
    ok = false;
  }
  if (!isNonEmptyString(s.command) || s.command.length > MAX_PATH) {
    p.add(`${at}.command`, `${at}.command must be a non-empty string of at most ${MAX_PATH} characters`);
    ok = false;
  }
  let args: string[] = [];
  if (s.args !== undefined) {
    if (!isStringArray(s.args) || s.args.some((a) => a.length > MAX_ARG)) {
      p.add(`${at}.args`, `${at}.args must be an array of strings (each at most ${MAX_ARG} characters)`);
      ok = false;
    } else args = [...s.args];
  }
  let env: Record<string, string> = {};
  if (s.env !== undefined) {
    const e = s.env;
    if (!isObject(e) || Object.entries(e).some(([k, v]) => typeof v !== "string" || !isEnvName(k))) {
      p.add(`${at}.env`, `${at}.env must be an object of environment variable names to string values`);
      ok = false;
    } else env = { ...(e as Record<string, string>) };
  }
  if (!ok) return undefined;
  return { name: s.name as string, command: s.command as string, args, env };
}
