import { runOutcome, stepOutcome } from "../../domain/step-outcome.js";
import { emptyUsage, type UsageTotals } from "../../domain/turn-usage.js";
import { iso } from "../../hub/access.js";
import type { MessageDetail } from "../../hub/mailbox-service.js";
import type { KeptWorktree } from "../../hub/member-worktrees.js";
import type { Review, ReviewDecision } from "../../hub/review-service.js";
import type { RunDetail } from "../../hub/run-service.js";
import type { MemberRuntimeView } from "../../hub/team-runtime.js";
import type { InboxMessage, MailboxMessage } from "../../store/mailbox-repo.js";
import type { RunEvent } from "../../store/run-events-repo.js";
import type { Run, Step } from "../../store/runs-repo.js";
import { permissionRequestView } from "./agents.js";
import { keptWorktreeView } from "./worktrees.js";

/** Runs, steps, run events, mailbox messages and permission reviews as REST answers show them. */

const errorOf = (code: string | null, message: string | null) =>
  code ? { code, message: message ?? "" } : null;

/** A step with its current attempt's usage (none reported: zeros). */
export function stepView(s: Step, usage: UsageTotals = emptyUsage()) {
  return {
    step_key: s.step_key,
    member_id: s.member_id,
    depends_on: s.depends_on,
    prompt: s.prompt,
    input: s.input === undefined ? null : s.input,
    status: s.status,
    attempt: s.attempt,
    output: s.output,
    error: errorOf(s.error_code, s.error_message),
    outcome: stepOutcome(s),
    warnings: s.warnings.map((w) => ({ code: w.code, message: w.message })),
    usage,
    created_at: iso(s.created_at),
    started_at: iso(s.started_at),
    finished_at: iso(s.finished_at),
  };
}

/** A run without its steps (lists). The spec snapshot is not shown: it carries members' env values. */
export function runSummaryView(r: Run) {
  return {
    id: r.id,
    team_id: r.team_id,
    status: r.status,
    input: r.input,
    attempt: r.attempt,
    error: errorOf(r.error_code, r.error_message),
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    finished_at: iso(r.finished_at),
  };
}

export function runView(d: RunDetail) {
  return {
    ...runSummaryView(d.run),
    outcome: runOutcome(d.run, d.steps),
    steps: d.steps.map((s) => stepView(s, d.usage.steps.get(s.step_key))),
    usage: d.usage.total,
    member_usage: d.usage.members,
  };
}

export function runEventView(e: RunEvent) {
  return { seq: e.seq, kind: e.kind, step_key: e.step_key, data: e.data, at: iso(e.created_at) };
}

function messageFields(m: MailboxMessage) {
  return {
    message_id: m.id,
    seq: m.seq,
    from_actor_id: m.from_actor_id,
    route: m.route,
    to_actor_id: m.to_actor_id,
    kind: m.kind,
    payload: m.payload,
    created_at: iso(m.created_at),
  };
}

export function messageView(d: MessageDetail) {
  return { ...messageFields(d.message), deliveries: d.deliveries };
}

export function inboxMessageView(m: InboxMessage) {
  return { ...messageFields(m), status: m.delivery_status };
}

export function reviewView(r: Review) {
  const { id, ...rest } = permissionRequestView(r);
  return { review_id: id, ...rest };
}

export function reviewDecisionView(d: ReviewDecision) {
  return { ...reviewView(d.review), already_resolved: d.already_resolved };
}

/** A team's runtime as the runtime reports it (member agents and their states). */
export function teamRuntimeView(r: {
  team_id: string;
  status: string;
  members: readonly MemberRuntimeView[];
  kept_worktrees: readonly KeptWorktree[];
}) {
  return {
    team_id: r.team_id,
    status: r.status,
    members: r.members.map((m) => ({
      member_id: m.member_id,
      role: m.role,
      agent_id: m.agent_id,
      node_id: m.node_id,
      status: m.status,
      workdir: m.workdir,
      last_error: m.last_error,
    })),
    kept_worktrees: r.kept_worktrees.map(keptWorktreeView),
  };
}
