import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { humanActorId } from "../domain/mailbox-routing.js";
import type { ErrorCode } from "../errors/registry.js";
import type { HubServices } from "../hub/hub-services.js";
import type { ExpectedVersion } from "../hub/team-service.js";
import { authenticate } from "./authenticate.js";
import type { RouteErrorConfig } from "./error-handler.js";
import { AUTH_ERRORS, errorResponses, IdParams } from "./schemas/common.js";
import {
  Conversation,
  ConversationMessage,
  CreateTaskBody,
  CreateTeamBody,
  MESSAGE_FIELD_CODES,
  MessageList,
  MessagePageQuery,
  MessageParams,
  PostedMessage,
  PostMessageBody,
  Task,
  TaskList,
  TaskListQuery,
  TaskParams,
  Team,
  TeamList,
  TeamListQuery,
  UpdateTaskBody,
  UpdateTeamBody,
} from "./schemas/teams.js";
import { TeamDeleted, TeamDeleteQuery } from "./schemas/worktrees.js";
import { conversationView, messageView, postedMessageView, taskView, teamView } from "./views/teams.js";
import { worktreeOutcomeView } from "./views/worktrees.js";

const teamTags = ["teams"];
const taskTags = ["tasks"];

/** What a body route can answer before it runs (body parsing). */
const BODY_ERRORS: ErrorCode[] = ["INVALID_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];
/** Every code a spec validation can answer with (the first problem decides; all are in details.errors). */
const SPEC_ERRORS: ErrorCode[] = [
  "TEAM_NAME_REQUIRED",
  "SPEC_NOT_OBJECT",
  "SPEC_INVALID",
  "STEP_KEY_REQUIRED",
  "ROUTE_REQUIRES_LEADER",
  "REVIEW_ROUTE_TO_WORKER",
  "WORKTREE_REF_INVALID",
  // A member's own `command` where only root may give one (see the spec guards).
  "FORBIDDEN",
  "TEAM_NAME_EXISTS",
];

/** Teams and their tasks and task conversations. */
export function registerTeamRoutes(app: FastifyInstance, s: HubServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: FastifyRequest) => authenticate(s.auth, req);
  /** The team of `/:id` the caller may see, decoded (TEAM_NOT_FOUND otherwise). */
  const team = (req: FastifyRequest, id: string) => s.teams.get(user(req), id);

  r.post(
    "/api/teams",
    {
      schema: {
        summary: "Create a team (its spec is validated in full; nothing is saved when refused)",
        tags: teamTags,
        body: CreateTeamBody,
        response: { 201: Team, ...errorResponses(...AUTH_ERRORS, ...SPEC_ERRORS, ...BODY_ERRORS) },
      },
    },
    async (req, reply) => {
      const t = await s.teams.create(user(req), { name: req.body.name, spec: req.body.spec });
      return reply.status(201).send(teamView(t));
    },
  );

  r.get(
    "/api/teams",
    {
      schema: {
        summary: "The caller's teams (root: every team)",
        tags: teamTags,
        querystring: TeamListQuery,
        response: { 200: TeamList, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async (req) => ({ teams: s.teams.list(user(req)).map(teamView) }),
  );

  r.get(
    "/api/teams/:id",
    {
      schema: {
        tags: teamTags,
        params: IdParams,
        response: { 200: Team, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND") },
      },
    },
    async (req) => teamView(team(req, req.params.id)),
  );

  r.put(
    "/api/teams/:id",
    {
      schema: {
        summary:
          "Replace a team's name and spec against the version read (409 TEAM_CHANGED when another edit came first)",
        tags: teamTags,
        params: IdParams,
        body: UpdateTeamBody,
        response: {
          200: Team,
          ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND", "TEAM_CHANGED", ...SPEC_ERRORS, ...BODY_ERRORS),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const expected: ExpectedVersion | undefined =
        b.expected_version !== undefined
          ? { version: b.expected_version }
          : b.expected_updated_at !== undefined
            ? { updated_at: b.expected_updated_at }
            : undefined;
      const t = await s.teams.update(user(req), req.params.id, { name: b.name, spec: b.spec, expected });
      return teamView(t);
    },
  );

  r.delete(
    "/api/teams/:id",
    {
      schema: {
        summary: "Delete a team (its runtime is stopped first; its members' worktrees are removed)",
        description:
          "Member worktrees agenthub created are removed unless they hold unsaved work (uncommitted changes, commits on no branch): those are kept and listed with the reason, unless `remove_worktrees=force`. A worktree's branch is deleted when it has no commits beyond its base; otherwise it is kept (and the answer says why).",
        tags: teamTags,
        params: IdParams,
        querystring: TeamDeleteQuery,
        response: { 200: TeamDeleted, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND") },
      },
    },
    async (req) => {
      const d = await s.deleteTeam(user(req), req.params.id, { worktrees: req.query.remove_worktrees });
      return { id: d.team_id, deleted: true as const, worktrees: d.worktrees.map(worktreeOutcomeView) };
    },
  );

  r.post(
    "/api/teams/:id/tasks",
    {
      schema: {
        tags: taskTags,
        params: IdParams,
        body: CreateTaskBody,
        response: {
          201: Task,
          ...errorResponses(
            ...AUTH_ERRORS,
            "TEAM_NOT_FOUND",
            "TITLE_REQUIRED",
            "UNKNOWN_MEMBER",
            ...BODY_ERRORS,
          ),
        },
      },
    },
    async (req, reply) => {
      const p = user(req);
      const t = s.teams.get(p, req.params.id);
      const b = req.body;
      const task = s.tasks.create(t, humanActorId(p.username), {
        // A missing title gets the contract's "title is required" from the service.
        title: b.title ?? "",
        assigned_member_id: b.assigned_member_id,
        priority: b.priority,
        context: b.context,
      });
      return reply.status(201).send(taskView(task));
    },
  );

  r.get(
    "/api/teams/:id/tasks",
    {
      schema: {
        summary: "A team's tasks, highest priority first",
        tags: taskTags,
        params: IdParams,
        querystring: TaskListQuery,
        response: { 200: TaskList, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND", "UNKNOWN_MEMBER") },
      },
    },
    async (req) => ({ tasks: s.tasks.list(team(req, req.params.id), req.query).map(taskView) }),
  );

  r.get(
    "/api/teams/:id/tasks/:task_id",
    {
      schema: {
        tags: taskTags,
        params: TaskParams,
        response: { 200: Task, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND", "TASK_NOT_FOUND") },
      },
    },
    async (req) => taskView(s.tasks.get(team(req, req.params.id), req.params.task_id)),
  );

  r.patch(
    "/api/teams/:id/tasks/:task_id",
    {
      schema: {
        summary: "Edit a task; only the fields given change",
        tags: taskTags,
        params: TaskParams,
        body: UpdateTaskBody,
        response: {
          200: Task,
          ...errorResponses(
            ...AUTH_ERRORS,
            "TEAM_NOT_FOUND",
            "TASK_NOT_FOUND",
            "TITLE_REQUIRED",
            "UNKNOWN_MEMBER",
            "ILLEGAL_TRANSITION",
            ...BODY_ERRORS,
          ),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const t = s.tasks.update(team(req, req.params.id), req.params.task_id, {
        title: b.title,
        status: b.status,
        assigned_member_id: b.assigned_member_id,
        priority: b.priority,
        context: b.context,
      });
      return taskView(t);
    },
  );

  const conversationErrors = errorResponses(
    ...AUTH_ERRORS,
    "TEAM_NOT_FOUND",
    "TASK_NOT_FOUND",
    "CONVERSATION_NOT_FOUND",
  );

  r.get(
    "/api/teams/:id/tasks/:task_id/conversation",
    {
      schema: {
        summary: "A task's conversation (every task has exactly one)",
        tags: taskTags,
        params: TaskParams,
        response: { 200: Conversation, ...conversationErrors },
      },
    },
    async (req) => conversationView(s.tasks.conversation(team(req, req.params.id), req.params.task_id)),
  );

  r.post(
    "/api/teams/:id/tasks/:task_id/conversation/messages",
    {
      config: { fieldCodes: MESSAGE_FIELD_CODES } satisfies RouteErrorConfig,
      schema: {
        summary: "Post to a task's conversation; routed like run mail (broadcast, to_leader, to_member)",
        tags: taskTags,
        params: TaskParams,
        body: PostMessageBody,
        response: {
          201: PostedMessage,
          ...errorResponses(
            ...AUTH_ERRORS,
            "TEAM_NOT_FOUND",
            "TASK_NOT_FOUND",
            "CONVERSATION_NOT_FOUND",
            "INVALID_ROUTE",
            "TO_ACTOR_REQUIRED",
            "UNKNOWN_MEMBER",
            "ROUTE_REQUIRES_LEADER",
            ...BODY_ERRORS,
          ),
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const posted = s.tasks.postMessage(team(req, req.params.id), req.params.task_id, {
        from_actor_id: b.from_actor_id ?? "",
        route: b.route,
        to_actor_id: b.to_actor_id,
        payload: b.payload,
      });
      return reply.status(201).send(postedMessageView(posted));
    },
  );

  r.get(
    "/api/teams/:id/tasks/:task_id/conversation/messages",
    {
      schema: {
        summary: "A task conversation's messages in order, after a seq",
        tags: taskTags,
        params: TaskParams,
        querystring: MessagePageQuery,
        response: { 200: MessageList, ...conversationErrors },
      },
    },
    async (req) => {
      const q = req.query;
      const messages = s.tasks.messages(team(req, req.params.id), req.params.task_id, {
        after: q.after ?? q.cursor,
        limit: q.limit,
      });
      return { messages: messages.map(messageView) };
    },
  );

  r.get(
    "/api/teams/:id/tasks/:task_id/conversation/messages/:message_id",
    {
      schema: {
        tags: taskTags,
        params: MessageParams,
        response: {
          200: ConversationMessage,
          ...errorResponses(
            ...AUTH_ERRORS,
            "TEAM_NOT_FOUND",
            "TASK_NOT_FOUND",
            "CONVERSATION_NOT_FOUND",
            "MESSAGE_NOT_FOUND",
          ),
        },
      },
    },
    async (req) =>
      messageView(s.tasks.message(team(req, req.params.id), req.params.task_id, req.params.message_id)),
  );
}
