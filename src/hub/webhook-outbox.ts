import type { RunEventKind } from "../contracts/run-events.js";
import {
  consolePath,
  subscribes,
  type WebhookEventData,
  type WebhookEventType,
} from "../domain/webhook-events.js";
import { urlOrigin } from "../domain/webhook-target.js";
import type { Database } from "../store/database.js";
import type { RunEvent } from "../store/run-events-repo.js";
import { RunsRepo } from "../store/runs-repo.js";
import { TeamsRepo } from "../store/teams-repo.js";
import { WebhookDeliveriesRepo } from "../store/webhook-deliveries-repo.js";
import { type WebhookRow, WebhooksRepo } from "../store/webhooks-repo.js";
import type { Clock } from "../util/clock.js";
import { newId } from "../util/ids.js";
import type { NodeStatusChange } from "./node-registry.js";
import { HUMAN_REVIEWER } from "./review-service.js";

/** The run event kinds that are notifications, and the notification each one is. */
const FROM_RUN_EVENT: Partial<Record<RunEventKind, WebhookEventType>> = {
  "review.requested": "review.pending",
  "step.input_required": "step.input_required",
  "run.completed": "run.completed",
  "run.failed": "run.failed",
  "run.canceled": "run.canceled",
};

/** The notification a run event raises, if any. */
export function webhookTypeOfRunEvent(kind: string): WebhookEventType | undefined {
  return FROM_RUN_EVENT[kind as RunEventKind];
}

const MAIN_NODE = "main";

/**
 * The notification outbox. Producers call it inside the transaction that writes what happened (a run
 * event, a node's status), so an event and its deliveries commit or roll back together: one event row
 * and one pending delivery per enabled webhook of its scope that subscribes to its type. The delivery
 * worker is woken after the commit (`onRecorded`).
 */
export class WebhookOutbox {
  readonly hooks: WebhooksRepo;
  readonly deliveries: WebhookDeliveriesRepo;
  private readonly runs: RunsRepo;
  private readonly teams: TeamsRepo;

  constructor(
    db: Database,
    private readonly clock: Clock,
    private readonly onRecorded: () => void,
  ) {
    this.hooks = new WebhooksRepo(db);
    this.deliveries = new WebhookDeliveriesRepo(db);
    this.runs = new RunsRepo(db);
    this.teams = new TeamsRepo(db);
  }

  /**
   * A run event was appended (inside its transaction): the notification it raises, if any. A review is
   * `review.pending` when it waits for a person; one routed to the leader is answered by its agent.
   */
  onRunEvent(e: RunEvent): void {
    const type = webhookTypeOfRunEvent(e.kind);
    if (!type || !this.hooks.anyEnabled()) return;
    const info = (e.data ?? {}) as Record<string, unknown>;
    if (type === "review.pending" && info.reviewer !== HUMAN_REVIEWER) return;
    const run = this.runs.run(e.run_id);
    const team = run && this.teams.get(run.team_id);
    if (!run || !team) return;
    // A run's status is news in run.* events only: a step's event is written before the run's status
    // is derived again from it.
    const error =
      run.error_code || run.error_message ? { code: run.error_code, message: run.error_message } : null;
    const data: WebhookEventData = {
      run: {
        id: run.id,
        ...(type.startsWith("run.") ? { status: run.status, error } : {}),
        attempt: run.attempt,
        console_path: consolePath.run(run.id),
      },
      team: { id: team.id, name: team.name, console_path: consolePath.team(team.id) },
    };
    const step = e.step_key ? this.runs.step(run.id, e.step_key) : undefined;
    if (e.step_key) {
      data.step = {
        key: e.step_key,
        member_id: step?.member_id ?? null,
        attempt: step?.attempt ?? null,
        ...(typeof info.reason === "string" ? { reason: info.reason } : {}),
      };
    }
    if (type === "review.pending") {
      data.review = {
        id: info.review_id,
        requester: info.requester,
        reviewer: info.reviewer,
        tool_call: info.tool_call ?? null,
        options: info.options ?? [],
      };
    }
    if (type === "review.pending" || type === "step.input_required") {
      data.attention = { console_path: consolePath.attention() };
    }
    this.record(type, [team.id], data, e.created_at);
  }

  /** A node's status changed (inside its transaction): `node.offline`, or `node.online` when it came back. */
  onNodeStatus(c: NodeStatusChange): void {
    const type: WebhookEventType | undefined =
      c.to === "offline" ? "node.offline" : c.from === "offline" ? "node.online" : undefined;
    if (!type || !this.hooks.anyEnabled()) return;
    // Team webhooks hear of the nodes their team's members run on; global ones of every node.
    const teamIds = this.teams
      .list(null)
      .filter((t) => t.spec.members.some((m) => (m.agent?.node_id ?? MAIN_NODE) === c.node.id))
      .map((t) => t.id);
    this.record(
      type,
      teamIds,
      {
        node: {
          id: c.node.id,
          name: c.node.name,
          status: c.to,
          previous_status: c.from,
          last_error: c.node.last_error,
          console_path: consolePath.node(c.node.id),
        },
      },
      this.clock.now(),
    );
  }

  /** A webhook was disabled (inside that transaction): the other webhooks of its scope are told. */
  onWebhookDisabled(hook: WebhookRow, reason: string, now: number): void {
    const team = hook.team_id ? this.teams.get(hook.team_id) : undefined;
    this.record(
      "webhook.disabled",
      team ? [team.id] : [],
      {
        webhook: {
          id: hook.id,
          description: hook.description,
          origin: urlOrigin(hook.url),
          failing_since: hook.failing_since === null ? null : new Date(hook.failing_since).toISOString(),
          reason,
        },
        ...(team ? { team: { id: team.id, name: team.name, console_path: consolePath.team(team.id) } } : {}),
      },
      now,
      hook.id,
    );
  }

  /** The event and its deliveries; nothing when no webhook wants it. Returns how many deliveries. */
  private record(
    type: WebhookEventType,
    teamIds: readonly string[],
    data: WebhookEventData,
    now: number,
    excludeWebhookId?: string,
  ): number {
    const targets = this.hooks
      .enabledFor(teamIds)
      .filter((w) => w.id !== excludeWebhookId && subscribes(w.event_types, type));
    if (targets.length === 0) return 0;
    const eventId = newId("evt");
    this.deliveries.insertEvent({ id: eventId, type, data, created_at: now });
    for (const w of targets) {
      this.deliveries.insertDelivery({ id: newId("msg"), webhook_id: w.id, event_id: eventId, now });
    }
    // After the caller's transaction: by then it is committed (or rolled back, and nothing is due).
    setImmediate(this.onRecorded);
    return targets.length;
  }
}
