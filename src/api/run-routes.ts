import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { StepCommand } from "../domain/step-actions.js";
import { AppError, type ErrorCode } from "../errors/registry.js";
import type { HubServices } from "../hub/hub-services.js";
import { authenticate } from "./authenticate.js";
import type { RouteErrorConfig } from "./error-handler.js";
import { AUTH_ERRORS, errorResponses, IdParams } from "./schemas/common.js";
import {
  AckBody,
  AckResult,
  AddStepBody,
  CompleteStepBody,
  CreatedRun,
  CreateRunBody,
  FailStepBody,
  IdempotencyHeaders,
  Inbox,
  InboxQuery,
  InputRequiredBody,
  Message,
  MessageParams,
  NoBody,
  RestartBody,
  Run,
  RunEventPage,
  RunEventsHeaders,
  RunEventsQuery,
  RunList,
  RunListQuery,
  SendMessageBody,
  SendResult,
  Step,
  StepList,
  StepParams,
} from "./schemas/runs.js";
import { streamRunEvents } from "./sse-run-events.js";
import type { SseStreams } from "./sse-stream.js";
import {
  inboxMessageView,
  messageView,
  runEventView,
  runSummaryView,
  runView,
  stepView,
} from "./views/runs.js";

const tags = ["runs"];
const RUN: ErrorCode[] = [...AUTH_ERRORS, "RUN_NOT_FOUND"];
const BODY: ErrorCode[] = ["INVALID_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];
const TRANSITION: ErrorCode[] = [...RUN, ...BODY, "STEP_NOT_FOUND", "ILLEGAL_TRANSITION"];

const config = (fieldCodes: RouteErrorConfig["fieldCodes"]): RouteErrorConfig => ({ fieldCodes });

/** Runs, steps, the run event log (JSON pages or SSE) and the run mailbox. */
export function registerRunRoutes(app: FastifyInstance, s: HubServices, streams: SseStreams): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(s.auth, req);
  // A closing hub ends its event streams (they would hold the listener open); clients reconnect.
  app.addHook("preClose", async () => streams.closeAll());

  r.post(
    "/api/teams/:id/runs",
    {
      schema: {
        summary: "Start a run of the team's current spec",
        description:
          "With an `Idempotency-Key` header (or `idempotency_key`), a retry with the same body answers the first run (200, `idempotent_replay: true`); the same key with another body is refused with 422 `IDEMPOTENCY_KEY_REUSED`.",
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: CreateRunBody,
        response: {
          200: CreatedRun,
          201: CreatedRun,
          ...errorResponses(
            ...AUTH_ERRORS,
            ...BODY,
            "TEAM_NOT_FOUND",
            "NO_EXECUTABLE_STEP",
            "IDEMPOTENCY_KEY_REUSED",
          ),
        },
      },
    },
    async (req, reply) => {
      const p = user(req);
      const body = req.body ?? {};
      const header = req.headers["idempotency-key"];
      if (header !== undefined && body.idempotency_key !== undefined && header !== body.idempotency_key) {
        throw new AppError(
          "BAD_REQUEST",
          { location: "body", field: "idempotency_key" },
          { message: "body.idempotency_key differs from the Idempotency-Key header; send one of them" },
        );
      }
      const { created, ...detail } = s.runs.create(p, req.params.id, {
        input: body.input,
        idempotencyKey: header ?? body.idempotency_key,
      });
      return reply.status(created ? 201 : 200).send({ ...runView(detail), idempotent_replay: !created });
    },
  );

  r.get(
    "/api/teams/:id/runs",
    {
      schema: {
        summary: "A team's runs, oldest first, by pages",
        tags,
        params: IdParams,
        querystring: RunListQuery,
        response: { 200: RunList, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND") },
      },
    },
    async (req) => {
      const page = s.runs.list(user(req), req.params.id, req.query);
      return { runs: page.runs.map(runSummaryView), next_cursor: page.nextCursor };
    },
  );

  r.get(
    "/api/runs/:id",
    { schema: { tags, params: IdParams, response: { 200: Run, ...errorResponses(...RUN) } } },
    async (req) => runView(s.runs.get(user(req), req.params.id)),
  );

  r.post(
    "/api/runs/:id/cancel",
    {
      schema: {
        summary: "Cancel a run: every unfinished step is canceled",
        tags,
        params: IdParams,
        body: NoBody,
        response: { 200: Run, ...errorResponses(...RUN, ...BODY, "ILLEGAL_TRANSITION") },
      },
    },
    async (req) => runView(s.runs.cancel({ kind: "user", principal: user(req) }, req.params.id)),
  );

  r.post(
    "/api/runs/:id/resume",
    {
      schema: {
        summary: "Continue a paused, failed or canceled run (failed and canceled steps are retried)",
        tags,
        params: IdParams,
        body: NoBody,
        response: {
          200: Run,
          ...errorResponses(...RUN, ...BODY, "ILLEGAL_TRANSITION", "RUN_COMPLETED_CANNOT_RESUME"),
        },
      },
    },
    async (req) => runView(s.runs.resume({ kind: "user", principal: user(req) }, req.params.id)),
  );

  r.post(
    "/api/runs/:id/restart",
    {
      schema: {
        summary: "A new attempt of the unfinished (or all) steps; earlier attempts stay in the history",
        tags,
        params: IdParams,
        body: RestartBody,
        response: { 200: Run, ...errorResponses(...RUN, ...BODY, "ILLEGAL_TRANSITION") },
      },
    },
    async (req) =>
      runView(s.runs.restart({ kind: "user", principal: user(req) }, req.params.id, req.body?.mode)),
  );

  r.get(
    "/api/runs/:id/events",
    {
      schema: {
        summary: "The run's event log: a JSON page, or a live SSE stream",
        description:
          "With `Accept: text/event-stream` the answer is a stream: stored events after `Last-Event-ID` (or `?after=`), then new ones as they happen; each frame's `id` is the event's seq.",
        tags,
        params: IdParams,
        querystring: RunEventsQuery,
        headers: RunEventsHeaders,
        response: {
          200: {
            description: "a page of events (JSON), or the event stream (SSE)",
            content: {
              "application/json": { schema: RunEventPage },
              "text/event-stream": {
                schema: z.string().describe("SSE frames: id seq, event kind, data RunEvent"),
              },
            },
          },
          ...errorResponses(...RUN),
        },
      },
    },
    async (req, reply) => {
      const p = authenticate(s.auth, req, true);
      const runId = req.params.id;
      s.runs.visibleRun(p, runId);
      const after = req.query.after ?? req.query.cursor;
      if ((req.headers.accept ?? "").includes("text/event-stream")) {
        const lastId = req.headers["last-event-id"];
        streamRunEvents(
          req,
          reply,
          runId,
          lastId !== undefined ? Number(lastId) : (after ?? 0),
          s.runs.events,
          streams,
        );
        return reply;
      }
      const page = s.runs.eventsPage(p, runId, { after, limit: req.query.limit });
      return { events: page.events.map(runEventView), next_cursor: page.nextCursor };
    },
  );

  // ---- steps ----

  r.get(
    "/api/runs/:id/steps",
    { schema: { tags, params: IdParams, response: { 200: StepList, ...errorResponses(...RUN) } } },
    async (req) => {
      const steps = s.runs.steps(user(req), req.params.id);
      const usage = s.runs.stepsUsage(req.params.id, steps);
      return { steps: steps.map((st) => stepView(st, usage.get(st.step_key))) };
    },
  );

  r.post(
    "/api/runs/:id/steps",
    {
      config: config({ "body.step_key": "STEP_KEY_REQUIRED", "body.member_id": "MEMBER_ID_REQUIRED" }),
      schema: {
        summary: "Add a step to an unfinished run",
        tags,
        params: IdParams,
        body: AddStepBody,
        response: {
          201: Step,
          ...errorResponses(
            ...RUN,
            ...BODY,
            "STEP_KEY_REQUIRED",
            "MEMBER_ID_REQUIRED",
            "UNKNOWN_MEMBER",
            "SPEC_INVALID",
            "STEP_EXISTS",
            "ILLEGAL_TRANSITION",
          ),
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const step = s.runs.addStep(user(req), req.params.id, {
        stepKey: b.step_key,
        memberId: b.member_id,
        dependsOn: b.depends_on ?? [],
        prompt: b.prompt ?? "",
        input: b.input,
      });
      return reply.status(201).send(stepView(step));
    },
  );

  const transition = (
    req: Parameters<typeof authenticate>[1],
    runId: string,
    key: string,
    cmd: StepCommand,
  ) => {
    const step = s.runs.transitionStep({ kind: "user", principal: user(req) }, runId, key, cmd);
    return stepView(step, s.runs.stepsUsage(runId, [step]).get(step.step_key));
  };
  const stepRoute = { tags, params: StepParams, response: { 200: Step, ...errorResponses(...TRANSITION) } };

  r.post(
    "/api/runs/:id/steps/:step_key/start",
    { schema: { ...stepRoute, summary: "Start a step whose dependencies completed", body: NoBody } },
    async (req) => transition(req, req.params.id, req.params.step_key, { action: "start" }),
  );
  r.post(
    "/api/runs/:id/steps/:step_key/complete",
    { schema: { ...stepRoute, body: CompleteStepBody } },
    async (req) =>
      transition(req, req.params.id, req.params.step_key, { action: "complete", output: req.body?.output }),
  );
  r.post(
    "/api/runs/:id/steps/:step_key/fail",
    {
      config: config({ "body.error_text": "ERROR_TEXT_REQUIRED" }),
      schema: {
        ...stepRoute,
        body: FailStepBody,
        response: { 200: Step, ...errorResponses(...TRANSITION, "ERROR_TEXT_REQUIRED") },
      },
    },
    async (req) =>
      transition(req, req.params.id, req.params.step_key, {
        action: "fail",
        errorText: req.body?.error_text ?? "",
        code: req.body?.code,
      }),
  );
  r.post(
    "/api/runs/:id/steps/:step_key/input_required",
    {
      schema: { ...stepRoute, summary: "Pause a working step until input arrives", body: InputRequiredBody },
    },
    async (req) =>
      transition(req, req.params.id, req.params.step_key, {
        action: "input_required",
        reason: req.body?.reason,
      }),
  );
  r.post(
    "/api/runs/:id/steps/:step_key/resume",
    { schema: { ...stepRoute, summary: "Continue a step that waited for input", body: NoBody } },
    async (req) => transition(req, req.params.id, req.params.step_key, { action: "resume" }),
  );

  // ---- mailbox ----

  r.post(
    "/api/runs/:id/messages",
    {
      config: config({ "body.route": "INVALID_ROUTE" }),
      schema: {
        summary: "Send a message to the run's members",
        tags: ["mailbox"],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: SendMessageBody,
        response: {
          200: SendResult,
          201: SendResult,
          ...errorResponses(
            ...RUN,
            ...BODY,
            "INVALID_ROUTE",
            "TO_ACTOR_REQUIRED",
            "UNKNOWN_MEMBER",
            "ROUTE_REQUIRES_LEADER",
          ),
        },
      },
    },
    async (req, reply) => {
      const run = s.runs.visibleRun(user(req), req.params.id);
      const b = req.body;
      const res = s.mailbox.send(run, {
        fromActorId: b.from_actor_id,
        route: b.route,
        toActorId: b.to_actor_id,
        payload: b.payload,
        idempotencyKey: b.idempotency_key ?? req.headers["idempotency-key"],
      });
      return reply.status(res.duplicate ? 200 : 201).send(res);
    },
  );

  r.get(
    "/api/runs/:id/messages/:message_id",
    {
      schema: {
        tags: ["mailbox"],
        params: MessageParams,
        response: { 200: Message, ...errorResponses(...RUN, "MESSAGE_NOT_FOUND") },
      },
    },
    async (req) => {
      const run = s.runs.visibleRun(user(req), req.params.id);
      return messageView(s.mailbox.message(run, req.params.message_id));
    },
  );

  r.get(
    "/api/runs/:id/inbox",
    {
      schema: {
        summary: "A member's messages not yet acked, oldest first",
        tags: ["mailbox"],
        params: IdParams,
        querystring: InboxQuery,
        response: { 200: Inbox, ...errorResponses(...RUN, "UNKNOWN_MEMBER") },
      },
    },
    async (req) => {
      const run = s.runs.visibleRun(user(req), req.params.id);
      const q = req.query;
      const messages = s.mailbox.inbox(run, {
        actorId: q.actor_id,
        after: q.after,
        limit: q.limit,
        includeDelivered: q.include_delivered === "true",
      });
      return { messages: messages.map(inboxMessageView) };
    },
  );

  r.post(
    "/api/runs/:id/messages/:message_id/ack",
    {
      schema: {
        summary: "Ack a message (idempotent; says whether it changed anything)",
        tags: ["mailbox"],
        params: MessageParams,
        body: AckBody,
        response: {
          200: AckResult,
          ...errorResponses(...RUN, ...BODY, "UNKNOWN_MEMBER", "MESSAGE_NOT_FOUND"),
        },
      },
    },
    async (req) => {
      const run = s.runs.visibleRun(user(req), req.params.id);
      return s.mailbox.ack(run, req.params.message_id, req.body.actor_id);
    },
  );
}
