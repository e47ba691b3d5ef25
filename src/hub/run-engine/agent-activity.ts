import type { AgentEvent, SessionUpdate } from "../../contracts/agent-events.js";
import type { RunEventKind } from "../../contracts/run-events.js";
import { isTerminal } from "../../domain/run-state.js";
import { parseTurnId } from "../../domain/turn-id.js";
import type { Agent } from "../../store/agents-repo.js";
import type { RunService } from "../run-service.js";

type Ev<K extends AgentEvent["kind"]> = Extract<AgentEvent, { kind: K }>;

/** Longest title, path or plan entry kept in a run event; most paths and plan entries kept. */
const MAX_TEXT = 500;
const MAX_PATHS = 20;
const MAX_PLAN_ENTRIES = 50;
/** Most runs told that a member's agent restarted (its newest runs with work for it). */
const MAX_RUNS_TOLD = 20;

const TERMINAL_TOOL_STATUSES = new Set(["completed", "failed"]);

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/**
 * What a member's agent does, summarised in its runs' event logs (its full transcript stays in the
 * agent's events): tool calls (`agent.tool_call`: title, kind, status and paths, when one starts and
 * when it completes or fails), plans (`agent.plan`) and mode changes (`agent.mode_changed`) of its run
 * turns; and after it restarted, whether its ACP session was restored (`agent.session_loaded`) or its
 * context is lost (`agent.context_lost`), in each run that still has work for it. A run that ended is
 * told nothing more of its turns.
 */
export class AgentActivity {
  constructor(private readonly runs: RunService) {}

  sessionUpdate(agent: Agent, e: Ev<"session_update">): void {
    const summary = summarise(e.update);
    if (!summary || !agent.team_id) return;
    const ref = parseTurnId(e.turnId);
    if (!ref) return;
    // Any client may choose a turn id: only a run of the agent's own team is told. A run that ended
    // keeps its end as its last word (a leader's mail turn may still be finishing a tool call).
    const run = this.runs.runs.run(ref.runId);
    if (!run || run.team_id !== agent.team_id || isTerminal(run.status)) return;
    this.runs.appendEvent(ref.runId, summary.kind, ref.kind === "step" ? ref.stepKey : null, {
      member_id: agent.member_id,
      agent_id: agent.id,
      turn_id: e.turnId,
      ...(ref.kind === "step" ? { attempt: ref.attempt } : {}),
      ...summary.data,
    });
  }

  sessionStarted(agent: Agent, e: Ev<"session_started">): void {
    // A first session has nothing to restore; only a restart says what became of the last one.
    if (e.resumedFrom === null || !agent.team_id || !agent.member_id) return;
    const kind: RunEventKind = e.loaded ? "agent.session_loaded" : "agent.context_lost";
    const data = {
      member_id: agent.member_id,
      agent_id: agent.id,
      session_id: e.sessionId,
      previous_session_id: e.resumedFrom,
      ...(e.loaded
        ? {}
        : {
            message: `member "${agent.member_id}" restarted without its previous conversation: ${e.contextLost ?? "its session could not be restored"}`,
          }),
    };
    for (const runId of this.runs.runs.runsWithMemberWork(agent.team_id, agent.member_id, MAX_RUNS_TOLD)) {
      this.runs.appendEvent(runId, kind, null, data);
    }
  }
}

/** The run event a session update makes, or undefined for what runs do not show (messages, …). */
function summarise(u: SessionUpdate): { kind: RunEventKind; data: Record<string, unknown> } | undefined {
  switch (u.type) {
    case "tool_call":
    case "tool_call_update":
      // An update shows when the call ends; the ones in between (progress, output) only in the transcript.
      if (u.type === "tool_call_update" && !TERMINAL_TOOL_STATUSES.has(u.status ?? "")) return undefined;
      return {
        kind: "agent.tool_call",
        data: {
          tool_call_id: u.toolCallId,
          title: u.title === null ? null : clip(u.title),
          kind: u.toolKind,
          status: u.status,
          paths: u.paths.slice(0, MAX_PATHS).map(clip),
        },
      };
    case "plan":
      return {
        kind: "agent.plan",
        data: {
          entries: u.entries.slice(0, MAX_PLAN_ENTRIES).map((p) => ({ ...p, content: clip(p.content) })),
          ...(u.entries.length > MAX_PLAN_ENTRIES
            ? { more_entries: u.entries.length - MAX_PLAN_ENTRIES }
            : {}),
        },
      };
    case "mode":
      return { kind: "agent.mode_changed", data: { mode_id: u.modeId } };
    default:
      return undefined;
  }
}
