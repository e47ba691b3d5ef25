import type { Schemas } from "../api/client";
import type { ToolCallLike } from "../components/tool-call";

/**
 * An agent's event log folded into transcript rows: streamed message chunks join one message, tool
 * call updates change their call, a plan shows its latest entries, permission requests carry their
 * answer once resolved. Adding an event is O(1), so 10,000 events fold as fast as they arrive.
 */

export type AgentEvent = Schemas["AgentEvent"];

export interface PlanEntry {
  content?: string;
  status?: string;
  priority?: string;
}

export interface AcpOption {
  optionId: string;
  name?: string;
  kind?: string;
}

export type Row = { key: string; seq: number; at: string | null } & (
  | { type: "turn"; turnId: unknown; text: string }
  | { type: "message"; role: "agent" | "user" | "thought"; text: string }
  | { type: "tool"; call: ToolCallLike }
  | { type: "plan"; entries: PlanEntry[] }
  | { type: "permission"; requestId: string; toolCall: unknown; options: AcpOption[]; outcome: unknown }
  | { type: "stderr"; line: string }
  | { type: "status"; text: string }
  | { type: "turn_end"; stopReason: string; error: string | undefined }
  | { type: "exit"; text: string }
);

type Data = Record<string, unknown>;

const str = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

const MESSAGE_ROLE: Record<string, "agent" | "user" | "thought"> = {
  agent_message_chunk: "agent",
  user_message_chunk: "user",
  agent_thought_chunk: "thought",
};

export class Transcript {
  rows: Row[] = [];
  lastSeq = 0;
  /** The newest agent state its events reported. */
  state: string | undefined;
  private readonly tools = new Map<string, number>();
  private readonly permissions = new Map<string, number>();
  private readonly plans = new Map<string, number>();

  /** Replaces row `i` (a new object, so its view re-renders). */
  private update(i: number, change: (r: Row) => Row): void {
    const r = this.rows[i];
    if (r) this.rows[i] = change(r);
  }

  private push(row: Row): number {
    this.rows.push(row);
    return this.rows.length - 1;
  }

  add(e: AgentEvent): void {
    if (e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    const d = (e.data ?? {}) as Data;
    const base = { key: String(e.seq), seq: e.seq, at: e.at };
    switch (e.kind) {
      case "session_update":
        this.sessionUpdate(base, d.turn_id, (d.update ?? {}) as Data);
        return;
      case "turn_started":
        this.push({ ...base, type: "turn", turnId: d.turn_id, text: str(d.text) });
        return;
      case "turn_ended":
        this.push({
          ...base,
          type: "turn_end",
          stopReason: str(d.stop_reason),
          error: typeof d.error === "string" && d.error ? d.error : undefined,
        });
        return;
      case "permission_request": {
        const requestId = str(d.request_id);
        const options = Array.isArray(d.options) ? (d.options as AcpOption[]) : [];
        const i = this.push({
          ...base,
          type: "permission",
          requestId,
          toolCall: d.tool_call,
          options,
          outcome: undefined,
        });
        this.permissions.set(requestId, i);
        return;
      }
      case "permission_resolved": {
        const i = this.permissions.get(str(d.request_id));
        if (i !== undefined)
          this.update(i, (r) => ({ ...r, outcome: d.outcome ?? { resolved: true } }) as Row);
        return;
      }
      case "stderr":
        this.push({ ...base, type: "stderr", line: str(d.line) });
        return;
      case "status":
        this.state = str(d.state) || this.state;
        this.push({
          ...base,
          type: "status",
          text: `agent ${str(d.state)}${d.message ? `: ${str(d.message)}` : ""}`,
        });
        return;
      case "agent_exited":
        this.push({
          ...base,
          type: "exit",
          text: `exited (code ${str(d.code) || "—"}${d.signal ? `, signal ${str(d.signal)}` : ""})${d.message ? `: ${str(d.message)}` : ""}`,
        });
        return;
      case "turn_queued":
        return;
      default:
        this.push({ ...base, type: "status", text: e.kind });
    }
  }

  private sessionUpdate(
    base: { key: string; seq: number; at: string | null },
    turnId: unknown,
    u: Data,
  ): void {
    const kind = str(u.sessionUpdate);
    const role = MESSAGE_ROLE[kind];
    if (role) {
      const content = (u.content ?? {}) as Data;
      const text = content.type === "text" ? str(content.text) : `[${str(content.type) || "content"}]`;
      const last = this.rows.at(-1);
      if (last?.type === "message" && last.role === role) {
        this.update(
          this.rows.length - 1,
          (r) => ({ ...r, text: (r as { text: string }).text + text }) as Row,
        );
      } else this.push({ ...base, type: "message", role, text });
      return;
    }
    if (kind === "tool_call" || kind === "tool_call_update") {
      const id = str(u.toolCallId);
      const { sessionUpdate: _k, ...fields } = u;
      const i = this.tools.get(id);
      if (i === undefined)
        this.tools.set(id, this.push({ ...base, type: "tool", call: fields as ToolCallLike }));
      else
        this.update(
          i,
          (r) =>
            ({ ...r, call: { ...(r as { call: ToolCallLike }).call, ...(fields as ToolCallLike) } }) as Row,
        );
      return;
    }
    if (kind === "plan") {
      const entries = Array.isArray(u.entries) ? (u.entries as PlanEntry[]) : [];
      const turn = str(turnId);
      const i = this.plans.get(turn);
      if (i === undefined) this.plans.set(turn, this.push({ ...base, type: "plan", entries }));
      else this.update(i, (r) => ({ ...r, entries }) as Row);
      return;
    }
    if (kind === "current_mode_update") {
      this.push({ ...base, type: "status", text: `mode: ${str(u.currentModeId)}` });
      return;
    }
    // available_commands_update and other bookkeeping are not part of the conversation.
  }
}
