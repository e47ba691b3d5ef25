import { type ActorClaims, isUnrestrictedActor } from "../contracts/actor-claims.js";
import type { Route } from "../domain/mailbox-routing.js";
import { stepFailureCode } from "../domain/step-failure.js";
import type { TaskStatus } from "../domain/task-state.js";
import type { MemberSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { InboxMessage } from "../store/mailbox-repo.js";
import type { Run, Step } from "../store/runs-repo.js";
import type { Task } from "../store/tasks-repo.js";
import type { Logger } from "../util/logger.js";
import { ACTOR_PERMISSIONS, requirePermission } from "./actor-permissions.js";
import type { AgentService } from "./agent-service.js";
import type { HubServices } from "./hub-services.js";
import type { SendResult } from "./mailbox-service.js";
import type { ReviewService } from "./review-service.js";

/** What every actor request names: its run (empty: the token's) and who acts (empty: the token's actor). */
export interface ActorScope {
  runId: string;
  actorId?: string | undefined;
}

export interface ActorSend extends ActorScope {
  /** Undefined when the caller named no known route (refused after the scope is checked). */
  route: Route | undefined;
  toActorId?: string | undefined;
  payload: unknown;
  idempotencyKey?: string | undefined;
}

export interface ActorTaskCreate extends ActorScope {
  title: string;
  assignedMemberId?: string | undefined;
  priority: number;
  context: unknown;
}

export interface ActorTaskUpdate extends ActorScope {
  taskId: string;
  /** Undefined when the caller gave none (refused after the scope is checked). */
  status: TaskStatus | undefined;
}

export interface ActorStepReport extends ActorScope {
  /** Empty: the actor's only working step. */
  stepKey: string;
}

export interface ActorReviewAnswer extends ActorScope {
  requestId: string;
  /** Undefined when the caller gave neither an option nor a cancellation. */
  outcome: { option_id: string } | { cancelled: true } | undefined;
}

/** A team member as an actor sees it, with its agent when the team's runtime has one. */
export interface TeamMemberRecord {
  member_id: string;
  role: MemberSpec["role"];
  description: string;
  skills: string[];
  agent_id: string | null;
  node_id: string | null;
}

export interface ReviewAnswerRecord {
  request_id: string;
  outcome: "selected" | "cancelled" | "already_resolved";
  option_id: string;
}

/** Step statuses of work an agent is doing now (dispatched and not finished). */
const IN_FLIGHT = new Set<Step["status"]>(["working", "input_required", "awaiting_review"]);
/** An expired token is logged at most this often per actor (an agent may retry in a loop). */
const EXPIRED_LOG_INTERVAL_MS = 60_000;
const EXPIRED_LOG_KEYS_MAX = 1_000;

/**
 * What agents do through `agenthub actor` (the AuthorityService), with the rules of least privilege:
 * every call acts as exactly one actor in one run; an agent token acts only as itself, in its run (or
 * its team's runs), as a member of that run's team; a member completes or fails only its own steps; a
 * worker moves only its own or unassigned tasks. The grpc handler authenticates and maps; this decides.
 */
export class ActorService {
  private readonly expiredLogged = new Map<string, number>();

  constructor(
    private readonly s: HubServices,
    private readonly agents: AgentService,
    private readonly reviews: ReviewService,
    private readonly logger: Logger,
  ) {}

  inbox(p: ActorClaims, req: ActorScope & { limit?: number | undefined }): InboxMessage[] {
    this.require(p, ACTOR_PERMISSIONS.mailboxRead);
    const { actor, run } = this.scope(p, req);
    return this.s.mailbox.inbox(run, { actorId: actor, limit: req.limit, includeDelivered: true });
  }

  receive(p: ActorClaims, req: ActorScope & { limit?: number | undefined }): InboxMessage[] {
    this.require(p, ACTOR_PERMISSIONS.mailboxRead);
    const { actor, run } = this.scope(p, req);
    return this.s.mailbox.receive(run, actor, req.limit);
  }

  /** Returns how many of the messages changed to acked. */
  ack(p: ActorClaims, req: ActorScope & { messageIds: readonly string[] }): number {
    this.require(p, ACTOR_PERMISSIONS.mailboxRead);
    const { actor, run } = this.scope(p, req);
    let acked = 0;
    for (const id of req.messageIds) if (this.s.mailbox.ack(run, id, actor).changed) acked++;
    return acked;
  }

  send(p: ActorClaims, req: ActorSend): SendResult {
    this.require(p, ACTOR_PERMISSIONS.mailboxWrite);
    const { actor, run } = this.scope(p, req);
    if (!req.route) throw new AppError("INVALID_ROUTE");
    return this.s.mailbox.send(run, {
      fromActorId: actor,
      route: req.route,
      toActorId: req.toActorId,
      payload: req.payload,
      idempotencyKey: req.idempotencyKey,
    });
  }

  teamMembers(p: ActorClaims, req: { runId: string }): { run: Run; members: TeamMemberRecord[] } {
    this.require(p, ACTOR_PERMISSIONS.teamRead);
    const { run } = this.scope(p, req);
    const byMember = new Map(
      this.agents.repo
        .byTeam(run.team_id)
        .filter((a) => a.member_id)
        .map((a) => [a.member_id!, a]),
    );
    const members = run.spec.members.map((m) => ({
      member_id: m.member_id,
      role: m.role,
      description: m.description,
      skills: [...m.skills],
      agent_id: byMember.get(m.member_id)?.id ?? null,
      node_id: byMember.get(m.member_id)?.node_id ?? m.agent?.node_id ?? null,
    }));
    return { run, members };
  }

  listTasks(
    p: ActorClaims,
    req: { runId: string; status?: TaskStatus | undefined; limit?: number | undefined },
  ): Task[] {
    this.require(p, ACTOR_PERMISSIONS.teamRead);
    const { run } = this.scope(p, req);
    const tasks = this.s.tasks.list(this.team(run), { status: req.status });
    return tasks.slice(0, req.limit || tasks.length);
  }

  createTask(p: ActorClaims, req: ActorTaskCreate): Task {
    this.require(p, ACTOR_PERMISSIONS.tasksWrite);
    const { actor, run } = this.scope(p, req);
    return this.s.tasks.create(this.team(run), actor, {
      title: req.title,
      assigned_member_id: req.assignedMemberId,
      priority: req.priority,
      context: req.context,
    });
  }

  updateTask(p: ActorClaims, req: ActorTaskUpdate): Task {
    this.require(p, ACTOR_PERMISSIONS.tasksWrite);
    const { actor, run, role } = this.scope(p, req);
    const team = this.team(run);
    if (!req.status) throw new AppError("BAD_REQUEST", undefined, { message: "status is required" });
    // The leader coordinates every task; a worker moves only its own (assigned to it, created by
    // it) or unassigned ones, never another member's.
    const task = this.s.tasks.row(team, req.taskId);
    const othersTask =
      task.assigned_member_id !== null && task.assigned_member_id !== actor && task.created_by !== actor;
    if (role === "worker" && othersTask) {
      throw denied(
        `task "${task.id}" is assigned to member "${task.assigned_member_id}"; worker "${actor}" may update only its own or unassigned tasks`,
        { task_id: task.id, assigned_member_id: task.assigned_member_id, actor_id: actor },
      );
    }
    return this.s.tasks.update(team, req.taskId, { status: req.status });
  }

  completeStep(p: ActorClaims, req: ActorStepReport & { output: string }): { run: Run; step: Step } {
    this.require(p, ACTOR_PERMISSIONS.stepsWrite);
    const { actor, run } = this.scope(p, req);
    const key = this.ownStep(run, actor, req.stepKey, "complete");
    const step = this.s.runs.transitionStep({ kind: "system" }, run.id, key, {
      action: "complete",
      output: req.output,
    });
    return { run, step };
  }

  failStep(
    p: ActorClaims,
    req: ActorStepReport & { errorText: string; code?: string | undefined },
  ): { run: Run; step: Step } {
    this.require(p, ACTOR_PERMISSIONS.stepsWrite);
    const { actor, run } = this.scope(p, req);
    const key = this.ownStep(run, actor, req.stepKey, "fail");
    const step = this.s.runs.transitionStep({ kind: "system" }, run.id, key, {
      action: "fail",
      errorText: req.errorText,
      code: req.code ? stepFailureCode(req.code) : undefined,
    });
    return { run, step };
  }

  /** A member answers a permission review routed to it (the review service checks it is the reviewer). */
  async respondReview(p: ActorClaims, req: ActorReviewAnswer): Promise<ReviewAnswerRecord> {
    this.require(p, ACTOR_PERMISSIONS.reviewsRespond);
    const { actor, run } = this.scope(p, req);
    if (!req.requestId) throw new AppError("BAD_REQUEST", undefined, { message: "request_id is required" });
    // A run-scoped token sees only its run's reviews (a team-wide one its team's: checked by respond,
    // with the reviewer, who must be this actor).
    const review = this.agents.permissions.byId(req.requestId);
    if (p.run_id && !isUnrestrictedActor(p) && review?.run_id !== p.run_id) {
      throw new AppError("REVIEW_NOT_FOUND", { review_id: req.requestId });
    }
    if (!req.outcome) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "option_id or outcome cancelled is required",
      });
    }
    const answer =
      "cancelled" in req.outcome ? { outcome: "cancelled" } : { option_id: req.outcome.option_id };
    const r = await this.reviews.respond(run, req.requestId, { kind: "member", memberId: actor }, answer);
    const chosen = r.review.outcome as { option_id?: string } | null;
    return {
      request_id: r.review.id,
      outcome: r.already_resolved ? "already_resolved" : chosen?.option_id ? "selected" : "cancelled",
      option_id: chosen?.option_id ?? "",
    };
  }

  /**
   * A member's token was refused because it expired: its agent can no longer report through
   * `agenthub actor`, so each step it is working on records an ACTOR_TOKEN_EXPIRED warning (once per
   * attempt) and a completed step's outcome says the agent lost its actor access.
   */
  tokenExpired(claims: ActorClaims): void {
    const member = claims.actor_id;
    if (isUnrestrictedActor(claims) || !member || (!claims.team_id && !claims.run_id)) return;
    const runs = claims.run_id
      ? [this.s.runs.runs.run(claims.run_id)].filter((r): r is Run => r !== undefined)
      : this.s.runs.runs.activeRuns().filter((r) => r.team_id === claims.team_id);
    const warned: string[] = [];
    for (const run of runs) {
      if (claims.team_id && run.team_id !== claims.team_id) continue;
      for (const step of this.s.runs.runs.steps(run.id)) {
        if (step.member_id !== member || !IN_FLIGHT.has(step.status)) continue;
        if (step.warnings.some((w) => w.code === "ACTOR_TOKEN_EXPIRED")) continue;
        this.s.runs.addStepWarning(run.id, step.step_key, {
          code: "ACTOR_TOKEN_EXPIRED",
          message: `member "${member}"'s actor token expired: its agent's \`agenthub actor\` calls were refused, so it lost its actor access (mail, tasks and step reports) during this step`,
        });
        warned.push(`${run.id}/${step.step_key}`);
      }
    }
    const key = `${claims.team_id ?? ""}/${claims.run_id ?? ""}/${member}`;
    const now = this.s.clock.now();
    const last = this.expiredLogged.get(key);
    if (warned.length === 0 && last !== undefined && now - last < EXPIRED_LOG_INTERVAL_MS) return;
    if (this.expiredLogged.size >= EXPIRED_LOG_KEYS_MAX) this.expiredLogged.clear();
    this.expiredLogged.set(key, now);
    this.logger.warn(
      { team_id: claims.team_id ?? null, member_id: member, run_id: claims.run_id ?? null, steps: warned },
      "actor token expired: the member's agent lost its actor access",
    );
  }

  private require(p: ActorClaims, permission: string): void {
    if (!isUnrestrictedActor(p)) requirePermission(p, permission);
  }

  private team(run: Run) {
    const team = this.s.teams.repo.get(run.team_id);
    if (!team) throw new AppError("TEAM_NOT_FOUND");
    return team;
  }

  /**
   * Resolves who acts and in which run, enforcing the token's scope: an agent token acts only as its
   * own actor, only in its run (or its team's runs for a team-wide token), and only as a member of
   * that run's team. `role` is the member's role in the run's spec (the run's own truth, not the
   * token's); undefined for the hub and admins acting as someone.
   */
  private scope(
    p: ActorClaims,
    req: ActorScope,
  ): { actor: string; run: Run; role: MemberSpec["role"] | undefined } {
    const unrestricted = isUnrestrictedActor(p);
    const actor = req.actorId || p.actor_id || "";
    if (!unrestricted && actor !== p.actor_id) {
      throw denied(`token for actor "${p.actor_id ?? ""}" may not act as actor "${actor}"`, {
        actor_id: actor,
        token_actor_id: p.actor_id ?? null,
      });
    }
    if (!actor)
      throw new AppError("BAD_REQUEST", undefined, { message: "actor_id is required (AGENTHUB_ACTOR_ID)" });
    // A member token always names its team or run; one naming neither would reach every team.
    if (!unrestricted && !p.team_id && !p.run_id) {
      throw denied(`token for actor "${actor}" names no team or run`, { actor_id: actor, role: p.role });
    }
    const runId =
      req.runId || p.run_id || (p.team_id ? this.s.runs.latestActiveRun(p.team_id)?.id : undefined);
    if (!runId) {
      throw new AppError("BAD_REQUEST", undefined, {
        message: "run_id is required (AGENTHUB_RUN_ID): no active run",
      });
    }
    const run = this.s.runs.byId(runId);
    if (unrestricted) return { actor, run, role: undefined };
    if (p.run_id && p.run_id !== runId) {
      throw denied(`token for run "${p.run_id}" may not act in run "${runId}"`, {
        run_id: runId,
        token_run_id: p.run_id,
      });
    }
    if (p.team_id && p.team_id !== run.team_id) {
      throw denied(`token for team "${p.team_id}" may not act in run "${runId}"`, {
        run_id: runId,
        token_team_id: p.team_id,
      });
    }
    const member = run.spec.members.find((m) => m.member_id === actor);
    if (!member) {
      throw denied(`actor "${actor}" is not a member of run "${runId}"`, { actor_id: actor, run_id: runId });
    }
    return { actor, run, role: member.role };
  }

  /** The step an actor reports on: the one named (which must be its own) or its only working step. */
  private ownStep(run: Run, actor: string, stepKey: string, verb: "complete" | "fail"): string {
    const key = this.workingStepOf(run, actor, stepKey);
    const step = this.s.runs.runs.step(run.id, key);
    if (!step) {
      throw new AppError(
        "STEP_NOT_FOUND",
        { run_id: run.id, step_key: key },
        { message: `step "${key}" not found in run ${run.id}` },
      );
    }
    // Also for the hub or an admin acting as `actor`: acting as a member means with its rights.
    if (step.member_id !== actor) {
      throw denied(
        `step "${key}" belongs to member "${step.member_id}"; member "${actor}" may ${verb} only its own steps`,
        { run_id: run.id, step_key: key, step_member_id: step.member_id, actor_id: actor },
      );
    }
    return key;
  }

  private workingStepOf(run: Run, actor: string, stepKey: string): string {
    if (stepKey) return stepKey;
    const mine = this.s.runs.runs
      .steps(run.id)
      .filter((st) => st.member_id === actor && st.status === "working");
    if (mine.length === 1) return mine[0]!.step_key;
    throw new AppError(
      "BAD_REQUEST",
      { working_steps: mine.map((m) => m.step_key) },
      {
        message:
          mine.length === 0
            ? `actor "${actor}" has no working step in run ${run.id}; pass --step-key`
            : `actor "${actor}" has several working steps; pass --step-key`,
      },
    );
  }
}

function denied(message: string, details: Record<string, unknown>): AppError {
  return new AppError("FORBIDDEN", details, { message: `permission denied: ${message}` });
}
