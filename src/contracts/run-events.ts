/**
 * The kinds of run events (the run's append-only log, `GET /runs/:id/events` and its SSE stream).
 * A run or step entering a status records `run.<status>` / `step.<status>`; the others name what happened.
 * `agent.*` summarise what a member's agent did in the run's turns (tool calls with title, status and
 * paths; plans; mode changes) and what happened to its session when it restarted.
 */
export const RUN_EVENT_KINDS = [
  // run.<status> (derived status changes) and run actions
  "run.submitted",
  "run.working",
  "run.input_required",
  "run.awaiting_review",
  "run.completed",
  "run.failed",
  "run.canceled",
  "run.created",
  "run.resumed",
  "run.restarted",
  "run.waiting_for_runtime",
  // step.<status> (step transitions) and step actions
  "step.submitted",
  "step.working",
  "step.input_required",
  "step.awaiting_review",
  "step.completed",
  "step.failed",
  "step.canceled",
  "step.resumed",
  "step.retried",
  "step.restarted",
  "step.added",
  "step.warning",
  "step.dispatched",
  // a turn of an attempt that a resume or restart replaced ended; recorded, not applied
  "step.stale_turn_ignored",
  // reviews
  "review.requested",
  "review.resolved",
  "review.timed_out",
  "review.delivery_failed",
  // mailbox
  "mailbox.sent",
  "mailbox.delivered",
  "mailbox.acked",
  // what a member's agent did during the run's turns (its full transcript stays in the agent's events)
  "agent.tool_call",
  "agent.plan",
  "agent.mode_changed",
  // a member's agent restarted: its ACP session restored (session/load), or started afresh (context lost)
  "agent.session_loaded",
  "agent.context_lost",
] as const;
export type RunEventKind = (typeof RUN_EVENT_KINDS)[number];
