import { z } from "zod";
import { ROUTES } from "../../domain/mailbox-routing.js";
import { RUN_STATUSES } from "../../domain/run-state.js";
import { STEP_FAILURE_CODES } from "../../domain/step-failure.js";
import { STEP_WARNING_CODES } from "../../domain/step-outcome.js";
import { CursorPageQuery, limit, MAX_ID, name, queryInt, SeqPageQuery, text } from "./common.js";
import { Usage } from "./usage.js";
import { KeptWorktree } from "./worktrees.js";

/**
 * Request and response schemas of runs, steps, the run event log, the run mailbox, permission reviews,
 * team runtimes and actor tokens.
 */

/** Any JSON value a client gives (a run's input, a step's output, a message's payload). */
const Json = () => z.unknown();

const RunStatus = z.enum(RUN_STATUSES);

export { NoBody } from "./common.js";

// ---- params ----

export const StepParams = z.strictObject({ id: name(), step_key: name() });
export const MessageParams = z.strictObject({ id: name(), message_id: name() });
export const ReviewParams = z.strictObject({ id: name(), review_id: name() });

// ---- runs ----

export const IdempotencyHeaders = z.looseObject({
  "idempotency-key": name()
    .optional()
    .describe(
      "a retry with the same key and the same body answers the first run (200, idempotent_replay); the same key with another body is refused (422 IDEMPOTENCY_KEY_REUSED)",
    ),
});

export const CreateRunBody = z
  .strictObject({
    input: Json().optional().describe("any JSON value the steps get (null when absent)"),
    idempotency_key: name()
      .optional()
      .describe("the Idempotency-Key header, for clients that cannot set one"),
  })
  .nullish();

export const RunListQuery = z.strictObject({
  status: RunStatus.optional().describe("only runs in this status"),
  ...CursorPageQuery.shape,
});

export const RestartBody = z
  .strictObject({
    mode: z
      .enum(["unfinished", "all"])
      .optional()
      .describe("unfinished (default): every step not completed; all: every step"),
  })
  .nullish();

const RunError = z.object({ code: z.string(), message: z.string() }).nullable();

const Outcome = z.enum(["clean", "with_warnings"]).nullable();

const StepWarning = z
  .object({ code: z.enum(STEP_WARNING_CODES), message: z.string() })
  .meta({ id: "StepWarning" });

export const Step = z
  .object({
    step_key: z.string(),
    member_id: z.string(),
    depends_on: z.array(z.string()),
    prompt: z.string(),
    input: z.unknown().describe("the step's own input; null when the run's applies"),
    status: RunStatus,
    attempt: z.number().int(),
    output: z.string().nullable(),
    error: RunError,
    outcome: Outcome.describe(
      "of a completed step: clean, or with_warnings when it went on after a denied or timed-out permission or ended with an empty reply; null otherwise",
    ),
    warnings: z.array(StepWarning).describe("what the step's current attempt went on without; [] when none"),
    usage: Usage.describe("what the step's current attempt used (its turn's tokens and cost)"),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: "Step" });

const runFields = {
  id: z.string(),
  team_id: z.string(),
  status: RunStatus,
  input: z.unknown(),
  attempt: z.number().int(),
  error: RunError,
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
};

/** A run in lists (without its steps). */
export const RunSummary = z.object(runFields).meta({ id: "RunSummary" });

/** A run with its steps. */
export const Run = z
  .object({
    ...runFields,
    outcome: Outcome.describe("of a completed run: with_warnings when any step has warnings; null otherwise"),
    steps: z.array(Step),
    usage: Usage.describe("what all the run's turns used: every attempt of every step, and mail turns"),
    member_usage: z
      .array(z.object({ member_id: z.string(), usage: Usage }))
      .describe("the run's usage per member, in the spec's order"),
  })
  .meta({ id: "Run" });

export const CreatedRun = Run.extend({
  idempotent_replay: z.boolean().describe("true: an earlier request with this Idempotency-Key made this run"),
});

export const RunList = z.object({
  runs: z.array(RunSummary),
  next_cursor: z.string().nullable().describe("pass as ?cursor= for the next page; null on the last"),
});

// ---- steps ----

export const StepList = z.object({ steps: z.array(Step) });

// step_key and member_id keep the contract's messages ("step_key is required", "member_id is required").
export const AddStepBody = z.strictObject({
  step_key: name(),
  member_id: name().describe("a member of the run's team"),
  depends_on: z.array(text(MAX_ID)).max(1000).optional().describe("step keys of this run"),
  prompt: text().optional(),
  input: Json().optional().describe("the step's own input (default: the run's)"),
});

export const CompleteStepBody = z
  .strictObject({ output: Json().optional().describe("a string, or any JSON value (stored as its JSON)") })
  .nullish();

// error_text keeps the contract's message ("error_text is required").
export const FailStepBody = z
  .strictObject({
    error_text: text().optional(),
    code: z.enum(STEP_FAILURE_CODES).optional().describe("default STEP_FAILED"),
  })
  .nullish();

export const InputRequiredBody = z
  .strictObject({ reason: text().optional().describe("what the step waits for") })
  .nullish();

// ---- events ----

/**
 * GET /api/runs/:id/events: a JSON page, or (Accept: text/event-stream) a live stream resuming after
 * `Last-Event-ID`. EventSource clients cannot set headers, so the stream also takes `?token=`.
 */
export const RunEventsQuery = z.strictObject({
  ...SeqPageQuery.shape,
  token: text(4096).optional().describe("the bearer token, for EventSource clients (SSE)"),
});

export const RunEventsHeaders = z.looseObject({
  "last-event-id": z
    .string()
    .regex(/^\d{1,16}$/, { message: "must be an event seq (a whole number)" })
    .optional()
    .describe("SSE: resume after this seq"),
});

export const RunEvent = z
  .object({
    seq: z.number().int(),
    kind: z.string(),
    step_key: z.string().nullable(),
    data: z.unknown(),
    at: z.string(),
  })
  .meta({ id: "RunEvent" });

export const RunEventPage = z.object({
  events: z.array(RunEvent),
  next_cursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last"),
});

// ---- mailbox ----

// route keeps the contract's message ("route must be one of: broadcast, to_leader, to_member").
export const SendMessageBody = z.strictObject({
  from_actor_id: name().describe("a member of the run's team, or human:<name>"),
  route: z.enum(ROUTES),
  to_actor_id: text(MAX_ID).optional().describe("with route to_member: the member"),
  payload: Json().optional(),
  idempotency_key: name()
    .optional()
    .describe("a retry with the same key from the same sender is one message"),
});

export const SendResult = z.object({
  message_id: z.string(),
  seq: z.number().int(),
  recipients: z.array(z.string()),
  duplicate: z.boolean().describe("true: an earlier send with this idempotency key stored it"),
});

const DeliveryStatus = z.enum(["pending", "delivered", "acked"]);

const messageFields = {
  message_id: z.string(),
  seq: z.number().int(),
  from_actor_id: z.string(),
  route: z.string(),
  to_actor_id: z.string().nullable(),
  kind: z.string(),
  payload: z.unknown(),
  created_at: z.string(),
};

export const Message = z
  .object({
    ...messageFields,
    deliveries: z.array(z.object({ recipient_id: z.string(), status: DeliveryStatus })),
  })
  .meta({ id: "MailboxMessage" });

export const InboxMessage = z
  .object({ ...messageFields, status: DeliveryStatus.describe("this recipient's delivery") })
  .meta({ id: "InboxMessage" });

export const InboxQuery = z.strictObject({
  actor_id: name().describe("a member of the run's team"),
  after: queryInt(0, Number.MAX_SAFE_INTEGER).optional().describe("messages after this seq"),
  limit,
  include_delivered: z
    .enum(["true", "false"])
    .optional()
    .describe("also messages delivered into a turn but not acked"),
});

export const Inbox = z.object({ messages: z.array(InboxMessage) });

export const AckBody = z.strictObject({ actor_id: name().describe("the recipient acking it") });

export const AckResult = z.object({
  message_id: z.string(),
  changed: z.boolean().describe("false: it was acked already"),
  status: z.literal("acked"),
});

// ---- permission reviews ----

export const ReviewListQuery = z.strictObject({ status: z.enum(["pending", "resolved"]).optional() });

/** GET /api/permission-reviews: the reviews waiting for a human across the caller's runs. */
export const HumanReviewListQuery = z.strictObject({
  status: z.enum(["pending", "resolved"]).optional().describe("default: both"),
  limit,
});

export const Review = z
  .object({
    review_id: z.string(),
    agent_id: z.string(),
    node_request_id: z
      .string()
      .describe("its id in the agent's event stream (`request_id` of the permission_request event)"),
    run_id: z.string().nullable(),
    step_key: z.string().nullable(),
    requester_member_id: z.string().nullable(),
    reviewer: z.string().nullable().describe('a member id, or "human"'),
    tool_call: z.unknown(),
    options: z.array(z.object({ option_id: z.string(), name: z.string(), kind: z.string() })),
    status: z.enum(["pending", "resolved"]),
    outcome: z.unknown(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "PermissionReview" });

export const ReviewList = z.object({ reviews: z.array(Review) });

// Both optional: the service names what is missing ('option_id or outcome: "cancelled" is required')
// and which options the agent offered.
export const ReviewAnswerBody = z.strictObject({
  option_id: name().optional().describe("one of the review's options"),
  outcome: z.literal("cancelled").optional().describe("instead of an option: cancel the request"),
});

export const ReviewDecision = Review.extend({
  already_resolved: z.boolean().describe("it had been decided before: nothing changed"),
});

// ---- team runtime ----

export const TeamRuntime = z
  .object({
    team_id: z.string(),
    status: z.string().describe("started or stopped"),
    members: z.array(
      z.object({
        member_id: z.string(),
        role: z.string(),
        agent_id: z.string().nullable(),
        node_id: z.string(),
        status: z.string().describe("the member agent's status, or not_started"),
        workdir: z.string().nullable(),
        last_error: z.string().nullable(),
      }),
    ),
    kept_worktrees: z
      .array(KeptWorktree)
      .describe(
        "worktrees of removed members that were kept (they hold unsaved work, or their node could not be asked); remove them with POST /api/teams/:id/runtime/worktrees/remove. Held in the hub's memory: empty after a hub restart",
      ),
  })
  .meta({ id: "TeamRuntime" });

// ---- actor tokens ----

// member_id keeps the contract's message ("member_id is required").
export const ActorTokenBody = z.strictObject({ member_id: name().describe("a member of the run's team") });

export const ActorToken = z.object({
  token: z.string().describe("the member's actor token (AGENTHUB_INTERNAL_GRPC_TOKEN)"),
  role: z.enum(["leader", "worker"]),
  env: z.record(z.string(), z.string()).describe("the AGENTHUB_* environment `agenthub actor` reads"),
});
