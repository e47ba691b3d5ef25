import type { NodeStopReason } from "../contracts/agent-events.js";
import { isLiveAgentState, type NodeAgentState } from "../contracts/agent-states.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";
import type { TurnUsage } from "../domain/turn-usage.js";
import { AppError, isAppError } from "../errors/registry.js";
import type { AcpSession, AcpSessionEvent, PendingPermission, PermissionAnswer } from "./acp-session.js";
import { type AgentExit, AgentExitedError } from "./agent-exit.js";
import type { TruncatedField } from "./event-caps.js";
import type { Worktree } from "./worktree.js";

export type AgentState = NodeAgentState;

const SEEN_TURNS_MAX = 10_000;
/** ACP's `auth_required` error: the agent refuses prompts until it is given credentials. */
const ACP_AUTH_REQUIRED = -32000;

/** The stop reason of a turn whose prompt failed with `err`. */
function failedTurnReason(err: unknown): Extract<NodeStopReason, "agent_exited" | "auth_required" | "error"> {
  if (err instanceof AgentExitedError) return "agent_exited";
  if ((err as { code?: unknown } | null)?.code === ACP_AUTH_REQUIRED) return "auth_required";
  if (isAppError(err) && err.code === "AGENT_AUTH_REQUIRED") return "auth_required";
  return "error";
}

export interface AgentInfo {
  agent_id: string;
  state: AgentState;
  pid: number | undefined;
  session_id: string | undefined;
  workdir: string | undefined;
  worktree: Worktree | undefined;
  current_turn_id: string | undefined;
  queued_turn_ids: string[];
  pending_permissions: PendingPermission[];
  started_at: string;
  exit: AgentExit | undefined;
  /** What the agent's session offers and what is in force (modes, models, config options, auth). */
  session: AgentSessionInfo | undefined;
}

interface Turn {
  turn_id: string;
  text: string;
  ended: boolean;
}

type RecordEvent = (kind: string, data: unknown) => void;

/** A `turn_ended` event's data. */
interface TurnEnd {
  stop_reason: string;
  reply: string;
  error?: string;
  error_code?: string;
  truncated?: TruncatedField[];
  /** Tokens and cost the agent reported for the turn. */
  usage?: TurnUsage;
  /** How many agent messages the turn had (`reply` is the last). */
  messages?: number;
}

/** One agent on this node: its session, state, and a queue of turns run one prompt at a time. */
export class ManagedAgent {
  state: AgentState = "starting";
  session: AcpSession | undefined;
  workdir: string | undefined;
  worktree: Worktree | undefined;
  exit: AgentExit | undefined;
  stopping = false;
  private ready = false;
  private readonly queue: Turn[] = [];
  private current: Turn | undefined;
  private readonly seenTurns = new Set<string>();
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly agentId: string,
    private readonly record: RecordEvent,
  ) {}

  get live(): boolean {
    return isLiveAgentState(this.state);
  }

  setState(state: AgentState, data: object = {}): void {
    this.state = state;
    this.record("status", { state, ...data });
  }

  info(): AgentInfo {
    return {
      agent_id: this.agentId,
      state: this.state,
      pid: this.session?.pid,
      session_id: this.session?.sessionId,
      workdir: this.workdir,
      worktree: this.worktree,
      current_turn_id: this.current?.turn_id,
      queued_turn_ids: this.queue.map((t) => t.turn_id),
      pending_permissions: this.session?.pendingPermissions() ?? [],
      started_at: this.startedAt,
      exit: this.exit,
      session: this.session?.session,
    };
  }

  /** Called once the ACP session is ready. */
  markReady(): void {
    if (!this.live || this.stopping) return;
    this.ready = true;
    this.setState("running", {
      pid: this.session?.pid,
      session_id: this.session?.sessionId,
      workdir: this.workdir,
    });
    this.setState("idle");
    this.pump();
  }

  /** Queues a turn; a turn id seen before is not queued again (retried dispatch). */
  enqueue(turnId: string, text: string): { turn_id: string; duplicate: boolean } {
    if (!this.live || this.stopping) {
      throw new AppError(
        "CONFLICT",
        { agent_id: this.agentId, state: this.state },
        { message: "agent is not running" },
      );
    }
    if (this.seenTurns.has(turnId)) return { turn_id: turnId, duplicate: true };
    this.seenTurns.add(turnId);
    // Retried dispatches come within moments; remembering the newest ids bounds a long-lived agent's memory.
    if (this.seenTurns.size > SEEN_TURNS_MAX) {
      const oldest = this.seenTurns.values().next().value;
      if (oldest !== undefined) this.seenTurns.delete(oldest);
    }
    this.queue.push({ turn_id: turnId, text, ended: false });
    this.record("turn_queued", { turn_id: turnId, position: this.queue.length });
    this.pump();
    return { turn_id: turnId, duplicate: false };
  }

  /** Cancels a queued turn, or the running one (ACP session/cancel). False if nothing matched. */
  async cancelTurn(turnId?: string): Promise<boolean> {
    const idx = turnId === undefined ? -1 : this.queue.findIndex((t) => t.turn_id === turnId);
    const queued = this.queue[idx];
    if (queued) {
      this.queue.splice(idx, 1);
      this.endTurn(queued, { stop_reason: "cancelled", reply: "" });
      return true;
    }
    if (!this.current || (turnId !== undefined && this.current.turn_id !== turnId)) return false;
    await this.session?.cancel();
    return true;
  }

  respondPermission(requestId: string, answer: PermissionAnswer, meta?: { [k: string]: unknown }): void {
    if (!this.session) throw new AppError("PERMISSION_REQUEST_NOT_FOUND", { request_id: requestId });
    this.session.respondPermission(requestId, answer, meta);
  }

  /** Translates session events into event-log records and state changes. */
  onSessionEvent(e: AcpSessionEvent): void {
    switch (e.type) {
      case "session_update":
        this.record("session_update", { turn_id: this.current?.turn_id, update: e.update });
        return;
      case "permission_request": {
        const { type: _t, ...data } = e;
        this.record("permission_request", { ...data, turn_id: this.current?.turn_id });
        return;
      }
      case "permission_resolved": {
        const { type: _t, ...data } = e;
        this.record("permission_resolved", data);
        return;
      }
      case "session_config":
        this.record("session_config", { session: e.session });
        return;
      case "session_started": {
        const { type: _t, ...data } = e;
        this.record("session_started", data);
        return;
      }
      case "stderr":
        this.record("stderr", { line: e.line });
        return;
      case "exit":
        this.onExit(e);
    }
  }

  private onExit(e: AgentExit): void {
    const exit: AgentExit = {
      code: e.code,
      signal: e.signal,
      stderr_tail: e.stderr_tail,
      message: e.message,
    };
    this.exit = exit;
    const failed = !this.ready || e.signal !== null || e.code !== 0;
    const state: AgentState = this.stopping ? "stopped" : failed ? "failed" : "exited";
    this.record("agent_exited", { ...exit, during: this.ready ? "run" : "start" });
    this.setState(state, { code: e.code, signal: e.signal, message: e.message });
    const why = this.stopping ? "stopped" : "agent_exited";
    if (this.current) this.endTurn(this.current, { stop_reason: why, reply: "", error: e.message });
    for (const t of this.queue.splice(0)) this.endTurn(t, { stop_reason: why, reply: "", error: e.message });
  }

  private endTurn(turn: Turn, data: TurnEnd): void {
    if (turn.ended) return;
    turn.ended = true;
    this.record("turn_ended", { turn_id: turn.turn_id, ...data });
  }

  private pump(): void {
    const session = this.session;
    if (!this.ready || this.stopping || this.current || this.state !== "idle" || !session) return;
    const turn = this.queue.shift();
    if (!turn) return;
    this.current = turn;
    this.setState("busy", { turn_id: turn.turn_id });
    this.record("turn_started", { turn_id: turn.turn_id, text: turn.text });
    session.prompt(turn.text).then(
      (res) =>
        this.finishTurn(turn, {
          stop_reason: res.stopReason,
          // The turn's final message: the whole transcript is in its session_update events.
          reply: res.replyText,
          messages: res.messages,
          ...(res.usage ? { usage: res.usage } : {}),
          // Cut to the cap while it streamed in: its original size, as the event log records it.
          ...(res.replyTruncatedBytes === undefined
            ? {}
            : { truncated: [{ path: "reply", bytes: res.replyTruncatedBytes }] }),
        }),
      (err: unknown) =>
        this.finishTurn(turn, {
          stop_reason: failedTurnReason(err),
          reply: "",
          error: err instanceof Error ? err.message : String(err),
          // A typed cause (e.g. AGENT_AUTH_REQUIRED) the hub fails the step with.
          ...(isAppError(err) ? { error_code: err.code } : {}),
        }),
    );
  }

  private finishTurn(turn: Turn, data: TurnEnd): void {
    this.endTurn(turn, data);
    if (this.current === turn) this.current = undefined;
    if (this.state === "busy" && !this.stopping) this.setState("idle");
    this.pump();
  }
}
