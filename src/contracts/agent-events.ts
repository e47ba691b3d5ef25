/**
 * The events a node records for an agent (its ACP session's updates and agenthub's own events), as
 * one typed union. A node stores and streams them as `{ kind, data }` JSON; the hub parses each once,
 * when it stores it (`hub/event-ingestor.ts`), and its consumers switch on `kind` instead of reading
 * JSON. Parsing never throws: a kind this version does not know, or a known kind without the fields
 * it needs, is kept as `unknown` (the stored event and its JSON stay as they came).
 */
import type { PermissionOption } from "../domain/agent.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";
import { costOf, TOKEN_FIELDS, type TurnUsage } from "../domain/turn-usage.js";
import { isAgentStatus, type NodeAgentState } from "./agent-states.js";
import type { PermissionOutcome } from "./node-client.js";

/** ACP's stop reasons (`session/prompt`), and the ones a node gives a turn it ended itself. */
export const ACP_STOP_REASONS = [
  "end_turn",
  "max_tokens",
  "max_turn_requests",
  "refusal",
  "cancelled",
] as const;
export const NODE_STOP_REASONS = [
  /** The agent process died during the turn. */
  "agent_exited",
  /** The agent was stopped (team runtime stopped, daemon shutting down). */
  "stopped",
  /** The prompt failed (`error` says how). */
  "error",
  /** The agent refused the prompt until it is given credentials (ACP `auth_required`, -32000). */
  "auth_required",
] as const;
export type NodeStopReason = (typeof NODE_STOP_REASONS)[number];
export type KnownStopReason = (typeof ACP_STOP_REASONS)[number] | NodeStopReason;
/** A known stop reason, or whatever else an agent answered (kept, so a failure can name it). */
export type TurnStopReason = KnownStopReason | (string & {});

/** Where a node cut a long string of an event and how long it was. */
export interface TruncatedField {
  path: string;
  bytes: number;
}

/** One entry of an agent's plan (ACP `plan`): what it intends, and how far it got. */
export interface PlanEntry {
  content: string;
  status: string | null;
  priority: string | null;
}

/** An ACP `session/update`, by what the hub and console tell apart. */
export type SessionUpdate =
  | { type: "message_chunk"; role: "agent" | "thought" | "user"; text: string; messageId: string | null }
  | {
      type: "tool_call";
      toolCallId: string;
      title: string;
      status: string | null;
      toolKind: string | null;
      /** The files it touches (ACP `locations[].path`). */
      paths: string[];
    }
  | {
      type: "tool_call_update";
      toolCallId: string;
      title: string | null;
      status: string | null;
      toolKind: string | null;
      paths: string[];
    }
  | { type: "plan"; entries: PlanEntry[] }
  | { type: "mode"; modeId: string }
  | { type: "other"; sessionUpdate: string };

/** How an agent's ACP session began: a new one, or one restored with `session/load`. */
export interface SessionStart {
  sessionId: string;
  /** The session agenthub asked to restore (null: none was kept, a fresh start). */
  resumedFrom: string | null;
  /** The asked-for session was restored with `session/load`. */
  loaded: boolean;
  /** Why the asked-for session could not be restored (its context is lost); null otherwise. */
  contextLost: string | null;
}

export type AgentEvent =
  | { kind: "status"; state: NodeAgentState; message: string | null }
  | { kind: "turn_queued"; turnId: string; position: number }
  | { kind: "turn_started"; turnId: string }
  | { kind: "session_update"; turnId: string | null; update: SessionUpdate }
  | {
      kind: "permission_request";
      requestId: string;
      turnId: string | null;
      /** The ACP tool call the permission is for, as the agent sent it (shown to reviewers). */
      toolCall: Readonly<Record<string, unknown>> | null;
      options: PermissionOption[];
    }
  | {
      kind: "permission_resolved";
      requestId: string;
      outcome: PermissionOutcome | null;
      reason: string | null;
    }
  | { kind: "stderr"; line: string }
  | {
      kind: "agent_exited";
      code: number | null;
      signal: string | null;
      stderrTail: string[];
      message: string;
      during: "start" | "run" | null;
      /** Recorded for a process a previous run of the node left behind (no turn_ended follows). */
      reaped: boolean;
      /** The exit was asked for (a stop), not a failure. */
      expected: boolean;
    }
  | {
      kind: "turn_ended";
      turnId: string;
      stopReason: TurnStopReason;
      reply: string;
      error: string | null;
      /** The registry code of the failure when the node had one (e.g. AGENT_AUTH_REQUIRED). */
      errorCode: string | null;
      truncated: TruncatedField[];
      /** Tokens and cost of the turn, when the agent reported any. */
      usage: TurnUsage | null;
      /** How many agent messages the turn had (`reply` is the last one with text). */
      messages: number;
    }
  | ({ kind: "session_started" } & SessionStart)
  | {
      /** What the agent's session offers and what is in force (after session/new and each change). */
      kind: "session_config";
      session: AgentSessionInfo;
    }
  | { kind: "unknown"; rawKind: string; reason: string };

export type AgentEventKind = Exclude<AgentEvent["kind"], "unknown">;

type Data = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Data | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Data) : null;

function unknownEvent(rawKind: string, reason: string): AgentEvent {
  return { kind: "unknown", rawKind, reason };
}

/** One stored event as the union; never throws. */
export function parseAgentEvent(kind: string, data: unknown): AgentEvent {
  const d = obj(data) ?? {};
  switch (kind) {
    case "status": {
      const state = str(d.state);
      if (state === null || !isNodeState(state)) return unknownEvent(kind, `unknown agent state ${state}`);
      return { kind, state, message: str(d.message) };
    }
    case "turn_queued":
    case "turn_started": {
      const turnId = str(d.turn_id);
      if (turnId === null) return unknownEvent(kind, "no turn_id");
      return kind === "turn_queued" ? { kind, turnId, position: num(d.position) ?? 0 } : { kind, turnId };
    }
    case "session_update": {
      const update = obj(d.update);
      if (!update) return unknownEvent(kind, "no update");
      return { kind, turnId: str(d.turn_id), update: parseSessionUpdate(update) };
    }
    case "permission_request": {
      const requestId = str(d.request_id);
      if (requestId === null) return unknownEvent(kind, "no request_id");
      return {
        kind,
        requestId,
        turnId: str(d.turn_id),
        toolCall: obj(d.tool_call),
        options: parseOptions(d.options),
      };
    }
    case "permission_resolved": {
      const requestId = str(d.request_id);
      if (requestId === null) return unknownEvent(kind, "no request_id");
      return { kind, requestId, outcome: parseOutcome(d.outcome), reason: str(d.reason) };
    }
    case "stderr":
      return { kind, line: str(d.line) ?? "" };
    case "agent_exited": {
      const during = str(d.during);
      return {
        kind,
        code: num(d.code),
        signal: str(d.signal),
        stderrTail: Array.isArray(d.stderr_tail) ? d.stderr_tail.filter((l) => typeof l === "string") : [],
        message: str(d.message) || "agent exited",
        during: during === "start" || during === "run" ? during : null,
        reaped: d.reaped === true,
        expected: d.expected === true,
      };
    }
    case "turn_ended": {
      const turnId = str(d.turn_id);
      if (turnId === null) return unknownEvent(kind, "no turn_id");
      return {
        kind,
        turnId,
        stopReason: str(d.stop_reason) ?? "",
        reply: str(d.reply) ?? "",
        error: str(d.error) || null,
        errorCode: str(d.error_code) || null,
        truncated: parseTruncated(d.truncated),
        usage: parseUsage(d.usage),
        messages: num(d.messages) ?? 0,
      };
    }
    case "session_started": {
      const sessionId = str(d.session_id);
      if (sessionId === null) return unknownEvent(kind, "no session_id");
      return {
        kind,
        sessionId,
        resumedFrom: str(d.resumed_from),
        loaded: d.loaded === true,
        contextLost: str(d.context_lost),
      };
    }
    case "session_config":
      return isSessionInfo(d.session) ? { kind, session: d.session } : unknownEvent(kind, "no session");
    default:
      return unknownEvent(kind, "kind not known to this hub");
  }
}

function isNodeState(s: string): s is NodeAgentState {
  return isAgentStatus(s) && s !== "created";
}

function parseSessionUpdate(u: Data): SessionUpdate {
  const kind = str(u.sessionUpdate) ?? "";
  const content = obj(u.content);
  const text = content?.type === "text" ? (str(content.text) ?? "") : "";
  switch (kind) {
    case "agent_message_chunk":
      return { type: "message_chunk", role: "agent", text, messageId: str(u.messageId) };
    case "agent_thought_chunk":
      return { type: "message_chunk", role: "thought", text, messageId: str(u.messageId) };
    case "user_message_chunk":
      return { type: "message_chunk", role: "user", text, messageId: str(u.messageId) };
    case "tool_call":
      return {
        type: "tool_call",
        toolCallId: str(u.toolCallId) ?? "",
        title: str(u.title) ?? "",
        status: str(u.status),
        toolKind: str(u.kind),
        paths: parsePaths(u.locations),
      };
    case "tool_call_update":
      return {
        type: "tool_call_update",
        toolCallId: str(u.toolCallId) ?? "",
        title: str(u.title),
        status: str(u.status),
        toolKind: str(u.kind),
        paths: parsePaths(u.locations),
      };
    case "plan":
      return { type: "plan", entries: parsePlan(u.entries) };
    case "current_mode_update":
      return { type: "mode", modeId: str(u.currentModeId) ?? "" };
    default:
      return { type: "other", sessionUpdate: kind };
  }
}

/** ACP tool call `locations` as paths (malformed entries left out). */
function parsePaths(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l) => {
    const path = str(obj(l)?.path);
    return path ? [path] : [];
  });
}

function parsePlan(raw: unknown): PlanEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v) => {
    const e = obj(v);
    const content = str(e?.content);
    return content === null ? [] : [{ content, status: str(e?.status), priority: str(e?.priority) }];
  });
}

/** A turn's usage as the node recorded it (snake_case token counts, `cost` or null). */
function parseUsage(raw: unknown): TurnUsage | null {
  const u = obj(raw);
  if (!u) return null;
  const counts = Object.fromEntries(TOKEN_FIELDS.map((f) => [f, Math.max(0, Math.floor(num(u[f]) ?? 0))]));
  return { ...(counts as Omit<TurnUsage, "cost">), cost: costOf(u.cost) ?? null };
}

/** ACP permission options (`optionId`, `name`, `kind`) in the API's snake_case. */
function parseOptions(raw: unknown): PermissionOption[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((v) => {
    const o = obj(v) ?? {};
    return {
      option_id: str(o.optionId) ?? str(o.option_id) ?? "",
      name: str(o.name) ?? "",
      kind: str(o.kind) ?? "",
    };
  });
}

function parseOutcome(raw: unknown): PermissionOutcome | null {
  const o = obj(raw);
  if (!o) return null;
  if (o.cancelled === true) return { cancelled: true };
  const optionId = str(o.option_id);
  return optionId === null ? null : { option_id: optionId };
}

function parseTruncated(raw: unknown): TruncatedField[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v) => {
    const t = obj(v);
    const path = str(t?.path);
    const bytes = num(t?.bytes);
    return path !== null && bytes !== null ? [{ path, bytes }] : [];
  });
}

/** Session info as a node reports it (its shape is the node's; only an object with both lists is taken). */
function isSessionInfo(v: unknown): v is AgentSessionInfo {
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray((v as AgentSessionInfo).config_options) &&
    Array.isArray((v as AgentSessionInfo).auth_methods)
  );
}
