import type { AgentEvent } from "../contracts/agent-events.js";
import type { PermissionOutcome } from "../contracts/node-client.js";
import { humanActorId } from "../domain/mailbox-routing.js";
import { pageSize } from "../domain/paging.js";
import { agentChoiceRefusal, autoAllow, policyOf, timeoutOutcome } from "../domain/permission-policy.js";
import { decisionOf, routeReview } from "../domain/review-routing.js";
import { mergeToolCall, summarizeToolCall } from "../domain/review-summary.js";
import { parseTurnId } from "../domain/turn-id.js";
import { AppError } from "../errors/registry.js";
import type { Run } from "../store/runs-repo.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import {
  type AgentService,
  type PermissionAnswer,
  type PermissionRequest,
  type PermissionStatus,
  parseOutcome,
} from "./agent-service.js";
import type { Principal } from "./auth-service.js";
import type { HubServices } from "./hub-services.js";
import type { NodeRegistry } from "./node-registry.js";

type PermissionRequestEvent = Extract<AgentEvent, { kind: "permission_request" }>;
type PermissionResolvedEvent = Extract<AgentEvent, { kind: "permission_resolved" }>;

/**
 * Who answers: a member through the actor CLI, a human over REST, the hub on a timeout, or a rule of
 * the team's permission policy.
 */
export type Decider =
  | { kind: "member"; memberId: string }
  | { kind: "human"; principal: Principal }
  | { kind: "timeout" }
  | { kind: "policy"; rule: string };

export const HUMAN_REVIEWER = "human";

/** How many of an agent's latest events are searched for what it said about a tool call before asking. */
const ANNOUNCED_WINDOW = 500;

/** A permission review: an agent's permission request made during a run (linked to its run and step). */
export type Review = PermissionRequest;

/** The review after an answer; `already_resolved` when it had been decided before (nothing changed). */
export interface ReviewDecision {
  review: Review;
  already_resolved: boolean;
}

function deciderName(d: Decider): string {
  switch (d.kind) {
    case "member":
      return d.memberId;
    case "human":
      return humanActorId(d.principal.username);
    case "timeout":
      return "system:timeout";
    case "policy":
      return `policy:${d.rule}`;
  }
}

/**
 * Permission reviews: an ACP permission request made during a run, answered at once when a rule of
 * the run's permission policy allows it, else routed by the spec (to the leader's inbox, or to
 * humans), answered once by the routed reviewer (or root; an agent only with the options the policy
 * lets agents choose), and answered by the policy's `on_timeout` when nobody does within
 * `[permissions] review_timeout_seconds`. Every decision records who made it and when, in the
 * request and in the run's event log.
 */
export class ReviewService {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly s: HubServices,
    private readonly agents: AgentService,
    private readonly nodes: NodeRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  /** Re-arms the timeouts of reviews still pending from before a restart. */
  recover(): void {
    for (const r of this.agents.permissions.pendingReviews()) this.arm(r);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  list(p: Principal, runId: string, status?: PermissionStatus): Review[] {
    this.s.runs.visibleRun(p, runId);
    return this.agents.permissions.byRun(runId, status);
  }

  /**
   * Reviews routed to a human that `p` may answer, across runs: in the caller's teams (root: every
   * team), oldest first.
   */
  forHuman(p: Principal, q: { status?: PermissionStatus; limit?: number }): Review[] {
    return this.agents.permissions.byReviewer(HUMAN_REVIEWER, {
      ownerId: p.is_root ? null : p.user_id,
      status: q.status,
      limit: pageSize(q.limit),
    });
  }

  /** One review, when `p` may see its run (REVIEW_NOT_FOUND otherwise, so nothing leaks). */
  get(p: Principal, reviewId: string): Review {
    const row = this.agents.permissions.byId(reviewId);
    const run = row?.run_id ? this.s.runs.runs.run(row.run_id) : undefined;
    const team = run ? this.s.teams.repo.get(run.team_id) : undefined;
    if (!row || !team || (!p.is_root && team.owner_id !== p.user_id)) {
      throw new AppError("REVIEW_NOT_FOUND", { review_id: reviewId });
    }
    return row;
  }

  /** A member's agent asked permission: link the request to its run and step and route it. */
  onRequest(agentId: string, e: PermissionRequestEvent): void {
    const row = this.agents.permissions.byNodeRequest(agentId, e.requestId);
    const agent = this.agents.repo.byId(agentId);
    if (!row || row.run_id || row.status !== "pending" || !agent?.team_id || !agent.member_id) return;
    const ref = parseTurnId(e.turnId);
    const run = ref ? this.s.runs.runs.run(ref.runId) : this.s.runs.latestActiveRun(agent.team_id);
    if (!run) return;
    const stepKey = ref?.kind === "step" ? ref.stepKey : null;
    const route = routeReview(run.spec, agent.member_id);
    const tool_call = mergeToolCall(this.announced(agentId, e.requestId, row.tool_call), row.tool_call);
    const { options } = row;
    const auto = autoAllow(policyOf(run.spec.permissions), agent.member_id, tool_call, options);
    // Answered by a rule, the review is nobody's to answer (nor a person's to be notified of).
    const reviewer = auto ? `policy:${auto.rule}` : route.kind === "member" ? route.reviewer : HUMAN_REVIEWER;
    this.agents.permissions.link(row.id, {
      run_id: run.id,
      step_key: stepKey,
      requester_member_id: agent.member_id,
      reviewer,
      tool_call,
    });
    const summary = summarizeToolCall(tool_call);
    this.s.runs.appendEvent(run.id, "review.requested", stepKey, {
      review_id: row.id,
      requester: agent.member_id,
      reviewer,
      tool_call: summary?.title ?? null,
      tool_kind: summary?.kind ?? null,
      options: options.map((o) => o.option_id),
    });
    const linked = this.review(row.id);
    if (auto) {
      // Decided like a human would, before anyone is asked: no step pause, no mail, no timer.
      void this.decide(run, linked, { option_id: auto.option_id }, { kind: "policy", rule: auto.rule }).catch(
        (err: unknown) => {
          this.logger.warn(
            { review_id: row.id, err: (err as Error).message },
            "automatic answer not delivered",
          );
        },
      );
      return;
    }
    if (stepKey) {
      const step = this.s.runs.runs.step(run.id, stepKey);
      if (step?.status === "working") {
        this.s.runs.transitionStep({ kind: "system" }, run.id, stepKey, {
          action: "awaiting_review",
          reviewId: row.id,
          reviewer,
        });
      }
    }
    if (route.kind === "member") {
      this.s.mailbox.send(run, {
        fromActorId: agent.member_id,
        route: "to_member",
        toActorId: route.reviewer,
        kind: "permission_review",
        idempotencyKey: `review:${row.id}`,
        payload: {
          review_id: row.id,
          run_id: run.id,
          step_key: stepKey,
          requester: agent.member_id,
          // A compact, size-capped summary: the full call (a written file twice over) stays in the review.
          tool_call: summary,
          options,
        },
      });
    }
    this.arm(linked);
  }

  /**
   * The `tool_call` / `tool_call_update`s the agent sent for the tool call of request `requestId`
   * before asking (among its last {@link ANNOUNCED_WINDOW} stored events).
   */
  private announced(agentId: string, requestId: string, toolCall: unknown): unknown[] {
    const id = (toolCall as { toolCallId?: unknown } | null)?.toolCallId;
    const last = this.agents.repo.byId(agentId)?.last_event_seq ?? 0;
    if (typeof id !== "string" || last === 0) return [];
    const out: unknown[] = [];
    for (const ev of this.agents.repo.events(
      agentId,
      Math.max(0, last - ANNOUNCED_WINDOW),
      ANNOUNCED_WINDOW,
    )) {
      if (ev.kind === "permission_request" && ev.data.request_id === requestId) break;
      const u = ev.data.update as { sessionUpdate?: unknown; toolCallId?: unknown } | undefined;
      if (ev.kind !== "session_update" || u?.toolCallId !== id) continue;
      if (u.sessionUpdate === "tool_call" || u.sessionUpdate === "tool_call_update") out.push(u);
    }
    return out;
  }

  /** The node resolved a request itself (session cancel, agent exit): the step goes on. */
  onResolved(agentId: string, e: PermissionResolvedEvent): void {
    const row = this.agents.permissions.byNodeRequest(agentId, e.requestId);
    if (!row?.run_id) return;
    this.disarm(row.id);
    this.afterResolution(row);
  }

  async respond(
    run: Run,
    reviewId: string,
    decider: Decider,
    answer: PermissionAnswer,
  ): Promise<ReviewDecision> {
    const row = this.agents.permissions.byId(reviewId);
    // A member token is scoped to its team, not always to the review's run: find the review by id
    // within the same team.
    const owning = row?.run_id ? this.s.runs.runs.run(row.run_id) : undefined;
    if (
      !row ||
      !owning ||
      owning.team_id !== run.team_id ||
      (decider.kind === "human" && owning.id !== run.id)
    ) {
      throw new AppError("REVIEW_NOT_FOUND", { review_id: reviewId });
    }
    this.authorize(row, decider);
    const outcome = parseOutcome(answer, row.options);
    if (decider.kind === "member" && "option_id" in outcome) this.checkAgentChoice(owning, row, outcome);
    return this.decide(owning, row, outcome, decider);
  }

  /** A reviewing agent chooses only options the run's policy lets agents choose (REVIEW_OPTION_NOT_ALLOWED). */
  private checkAgentChoice(run: Run, row: PermissionRequest, outcome: { option_id: string }): void {
    const option = row.options.find((o) => o.option_id === outcome.option_id);
    const refusal = option ? agentChoiceRefusal(policyOf(run.spec.permissions), option) : null;
    if (option && refusal) {
      throw new AppError("REVIEW_OPTION_NOT_ALLOWED", {
        review_id: row.id,
        option_id: option.option_id,
        kind: option.kind,
        rule: refusal,
      });
    }
  }

  private authorize(row: PermissionRequest, d: Decider): void {
    if (d.kind === "timeout" || d.kind === "policy") return;
    if (d.kind === "member" && d.memberId === row.requester_member_id) {
      throw new AppError(
        "FORBIDDEN",
        { review_id: row.id, requester: row.requester_member_id },
        { message: `member "${d.memberId}" requested this permission and cannot answer its own review` },
      );
    }
    if (d.kind === "human" && d.principal.is_root) return;
    const ok = d.kind === "member" ? row.reviewer === d.memberId : row.reviewer === HUMAN_REVIEWER;
    if (!ok) {
      const who = row.reviewer === HUMAN_REVIEWER ? "a human" : `member "${row.reviewer}"`;
      throw new AppError(
        "FORBIDDEN",
        { review_id: row.id, reviewer: row.reviewer },
        { message: `permission review ${row.id} is routed to ${who}; only the reviewer or root may answer` },
      );
    }
  }

  private async decide(
    run: Run,
    row: PermissionRequest,
    outcome: PermissionOutcome,
    decider: Decider,
  ): Promise<ReviewDecision> {
    const by = deciderName(decider);
    const now = this.clock.now();
    // Claim first: of two concurrent answers exactly one wins, the other gets the first answer.
    if (!this.agents.permissions.resolve(row.id, outcome, by, now)) {
      return { review: this.review(row.id), already_resolved: true };
    }
    this.disarm(row.id);
    const optionId = "option_id" in outcome ? outcome.option_id : null;
    const chosen = row.options.find((o) => o.option_id === optionId);
    // By the option's ACP kind, never its id: Gemini's `proceed_once` allows.
    const decision = decisionOf(outcome, row.options);
    const data = {
      review_id: row.id,
      decided_by: by,
      decision,
      option_id: optionId,
      option_kind: chosen?.kind || null,
      at: new Date(now).toISOString(),
    };
    const what = (row.tool_call as { title?: unknown } | null)?.title;
    const action = typeof what === "string" && what ? `"${what}"` : "a tool call";
    if (decider.kind === "timeout") {
      const onTimeout = policyOf(run.spec.permissions).on_timeout;
      const message = `no answer from ${row.reviewer === HUMAN_REVIEWER ? "a human" : `"${row.reviewer}"`} within ${this.timeoutMs / 1000} s; chose ${optionId ?? "cancelled"} (spec.permissions.on_timeout: ${onTimeout})`;
      this.s.runs.appendEvent(run.id, "review.timed_out", row.step_key, {
        ...data,
        ...(decision === "allowed" ? {} : { code: "PERMISSION_DENIED" }),
        message,
      });
      if (row.step_key) {
        this.s.runs.addStepWarning(run.id, row.step_key, {
          code: "PERMISSION_TIMED_OUT",
          message: `permission for ${action} (review ${row.id}) timed out: ${message}`,
        });
      }
    } else {
      this.s.runs.appendEvent(run.id, "review.resolved", row.step_key, data);
      if (row.step_key && decision !== "allowed") {
        this.s.runs.addStepWarning(run.id, row.step_key, {
          code: "PERMISSION_DENIED",
          message: `permission for ${action} (review ${row.id}) was ${decision} by ${by}${optionId ? ` (${optionId})` : ""}`,
        });
      }
    }
    const agent = this.agents.repo.byId(row.agent_id);
    try {
      if (agent)
        await this.nodes.client(agent.node_id).respondPermission(agent.id, row.node_request_id, outcome);
    } catch (err) {
      this.s.runs.appendEvent(run.id, "review.delivery_failed", row.step_key, {
        review_id: row.id,
        message: (err as Error).message,
      });
      throw err;
    }
    this.afterResolution(row);
    return { review: this.review(row.id), already_resolved: false };
  }

  private review(id: string): Review {
    return this.agents.permissions.byId(id)!;
  }

  /** The step goes back to `working` once none of its reviews is pending. */
  private afterResolution(row: PermissionRequest): void {
    if (!row.run_id || !row.step_key) return;
    const step = this.s.runs.runs.step(row.run_id, row.step_key);
    if (step?.status !== "awaiting_review") return;
    const pending = this.agents.permissions
      .byRun(row.run_id, "pending")
      .some((r) => r.step_key === row.step_key);
    if (pending) return;
    try {
      this.s.runs.transitionStep({ kind: "system" }, row.run_id, row.step_key, { action: "review_resolved" });
    } catch (err) {
      this.logger.debug({ review_id: row.id, err: (err as Error).message }, "step not resumed after review");
    }
  }

  private arm(row: PermissionRequest): void {
    if (this.timers.has(row.id)) return;
    const due = row.created_at + this.timeoutMs - this.clock.now();
    const t = setTimeout(() => void this.timeout(row.id), Math.max(0, due));
    t.unref();
    this.timers.set(row.id, t);
  }

  private disarm(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private async timeout(id: string): Promise<void> {
    this.timers.delete(id);
    const row = this.agents.permissions.byId(id);
    if (row?.status !== "pending" || !row.run_id) return;
    const run = this.s.runs.runs.run(row.run_id);
    if (!run) return;
    const outcome: PermissionOutcome = timeoutOutcome(policyOf(run.spec.permissions), row.options);
    await this.decide(run, row, outcome, { kind: "timeout" }).catch((err: unknown) => {
      this.logger.warn({ review_id: id, err: (err as Error).message }, "timed-out review not delivered");
    });
  }
}
