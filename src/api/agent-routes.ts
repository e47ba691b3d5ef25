import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AgentEventBus } from "../hub/agent-event-bus.js";
import type { Agent as AgentRecord, AgentService } from "../hub/agent-service.js";
import type { AuthService } from "../hub/auth-service.js";
import type { NodeRegistry } from "../hub/node-registry.js";
import { authenticate, requireRoot } from "./authenticate.js";
import {
  Agent,
  AgentEventPage,
  AgentEventsQuery,
  AgentList,
  AgentListQuery,
  AgentNode,
  AgentNodeList,
  CanceledTurn,
  CancelTurnBody,
  CreateAgentBody,
  InputBody,
  NoBody,
  NodeHealth,
  PermissionAnswerBody,
  PermissionDecision,
  PermissionList,
  PermissionListQuery,
  PermissionParams,
  QueuedTurn,
  RegisterNodeBody,
  UpdateNodeBody,
} from "./schemas/agents.js";
import { AUTH_ERRORS, Deleted, errorResponses, IdParams } from "./schemas/common.js";
import { streamAgentEvents } from "./sse-agent-events.js";
import type { SseStreams } from "./sse-stream.js";
import {
  agentEventPageView,
  agentNodeView,
  agentView,
  nodeHealthView,
  permissionDecisionView,
  permissionRequestView,
} from "./views/agents.js";

export interface AgentRouteDeps {
  auth: AuthService;
  agents: AgentService;
  nodes: NodeRegistry;
  bus: AgentEventBus;
  /** Open SSE streams and their back-pressure bound. */
  sse: SseStreams;
}

const tags = ["agents"];
const nodeTags = ["agent nodes"];

/** Errors of a route that reaches an agent's node (it may be down, or refuse the agent). */
const NODE_ERRORS = ["NODE_UNREACHABLE", "AGENT_EXITED", "WORKSPACE_ERROR"] as const;

/** Errors of starting an agent's process and ACP session (its binary, credentials, settings). */
const AGENT_START_ERRORS = [
  "AGENT_COMMAND_NOT_FOUND",
  "AGENT_AUTH_REQUIRED",
  "AGENT_CONFIG_INVALID",
  "AGENT_START_FAILED",
] as const;

/** Agents (any user, own agents) and the agent node registry (root only). */
export function registerAgentRoutes(app: FastifyInstance, d: AgentRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: FastifyRequest) => authenticate(d.auth, req);
  const root = (req: FastifyRequest) => requireRoot(authenticate(d.auth, req));
  const view = (a: AgentRecord) => agentView(a, d.agents.usageOf(a));

  r.post(
    "/api/agents",
    {
      schema: {
        summary: "Define an agent (checked by the node that will run it; nothing is saved when refused)",
        tags,
        body: CreateAgentBody,
        response: {
          201: Agent,
          ...errorResponses(
            ...AUTH_ERRORS,
            "WORKDIR_REQUIRED",
            "WORKDIR_NOT_SAFE",
            "WORKDIR_MISSING",
            "WORKTREE_REF_INVALID",
            "FORBIDDEN",
            "AGENT_NODE_NOT_FOUND",
            "NODE_UNREACHABLE",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req, reply) => {
      const p = user(req);
      const a = await d.agents.create({ owner_id: p.user_id }, req.body);
      return reply.status(201).send(view(a));
    },
  );

  r.get(
    "/api/agents",
    {
      schema: {
        summary: "The caller's agents (root: everyone's)",
        tags,
        querystring: AgentListQuery,
        response: { 200: AgentList, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async (req) => ({ agents: d.agents.list(user(req)).map(view) }),
  );

  r.get(
    "/api/agents/:id",
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: Agent, ...errorResponses(...AUTH_ERRORS, "AGENT_NOT_FOUND") },
      },
    },
    async (req) => view(d.agents.get(user(req), req.params.id)),
  );

  r.delete(
    "/api/agents/:id",
    {
      schema: {
        summary: "Delete an agent (stopped first when it runs)",
        tags,
        params: IdParams,
        body: NoBody,
        response: { 204: Deleted, ...errorResponses(...AUTH_ERRORS, "AGENT_NOT_FOUND", "NODE_UNREACHABLE") },
      },
    },
    async (req, reply) => {
      await d.agents.delete(user(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.post(
    "/api/agents/:id/start",
    {
      schema: {
        tags,
        params: IdParams,
        body: NoBody,
        response: {
          200: Agent,
          ...errorResponses(
            ...AUTH_ERRORS,
            "AGENT_NOT_FOUND",
            "AGENT_ALREADY_RUNNING",
            "FORBIDDEN",
            "WORKDIR_NOT_SAFE",
            "WORKDIR_MISSING",
            "AGENT_NODE_NOT_FOUND",
            ...NODE_ERRORS,
            ...AGENT_START_ERRORS,
          ),
        },
      },
    },
    async (req) => view(await d.agents.start(user(req), req.params.id)),
  );

  r.post(
    "/api/agents/:id/stop",
    {
      schema: {
        tags,
        params: IdParams,
        body: NoBody,
        response: { 200: Agent, ...errorResponses(...AUTH_ERRORS, "AGENT_NOT_FOUND", "NODE_UNREACHABLE") },
      },
    },
    async (req) => view(await d.agents.stop(user(req), req.params.id)),
  );

  r.post(
    "/api/agents/:id/input",
    {
      schema: {
        summary: "Queue a prompt turn on a running agent",
        tags,
        params: IdParams,
        body: InputBody,
        response: {
          202: QueuedTurn,
          ...errorResponses(
            ...AUTH_ERRORS,
            "AGENT_NOT_FOUND",
            "CONFLICT",
            "NODE_UNREACHABLE",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req, reply) => {
      const t = await d.agents.input(user(req), req.params.id, req.body.text, req.body.turn_id);
      return reply.status(202).send(t);
    },
  );

  r.post(
    "/api/agents/:id/cancel",
    {
      schema: {
        summary:
          "Cancel a turn: the one named, or whichever runs now (ACP session/cancel; the agent stays up, its pending permission requests are cancelled)",
        tags,
        params: IdParams,
        body: CancelTurnBody,
        response: {
          202: CanceledTurn,
          ...errorResponses(
            ...AUTH_ERRORS,
            "AGENT_NOT_FOUND",
            "NO_RUNNING_TURN",
            "NODE_UNREACHABLE",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req, reply) =>
      reply.status(202).send(await d.agents.cancelTurn(user(req), req.params.id, req.body?.turn_id)),
  );

  r.get(
    "/api/agents/:id/events",
    {
      schema: {
        summary: "An agent's events: a JSON page, or a live SSE stream with Accept: text/event-stream",
        description:
          "With `Accept: text/event-stream` the answer is a stream of `id: <seq>` / `event: <kind>` frames: stored " +
          "events after `Last-Event-ID` (or `?after=`), then live ones, without gap or duplicate. EventSource " +
          "clients, which cannot set headers, pass the token as `?token=`.",
        tags,
        params: IdParams,
        querystring: AgentEventsQuery,
        response: {
          200: {
            description: "a page of events (JSON), or the event stream (SSE)",
            content: {
              "application/json": { schema: AgentEventPage },
              "text/event-stream": { schema: z.string().describe("SSE frames") },
            },
          },
          ...errorResponses(...AUTH_ERRORS, "AGENT_NOT_FOUND"),
        },
      },
    },
    async (req, reply) => {
      const p = authenticate(d.auth, req, true);
      const id = req.params.id;
      d.agents.row(p, id);
      const after = req.query.after ?? req.query.cursor;
      if ((req.headers.accept ?? "").includes("text/event-stream")) {
        streamAgentEvents(req, reply, id, d.agents.repo, d.bus, d.sse, after);
        return reply;
      }
      return agentEventPageView(d.agents.events(p, id, { after, limit: req.query.limit }));
    },
  );

  r.get(
    "/api/agents/:id/permissions",
    {
      schema: {
        summary: "An agent's tool permission requests",
        tags,
        params: IdParams,
        querystring: PermissionListQuery,
        response: { 200: PermissionList, ...errorResponses(...AUTH_ERRORS, "AGENT_NOT_FOUND") },
      },
    },
    async (req) => ({
      permissions: d.agents
        .listPermissions(user(req), req.params.id, req.query.status)
        .map(permissionRequestView),
    }),
  );

  r.post(
    "/api/agents/:id/permissions/:pid/respond",
    {
      schema: {
        summary: "Answer a permission request of an agent outside a run (a run's goes to its review route)",
        tags,
        params: PermissionParams,
        body: PermissionAnswerBody,
        response: {
          200: PermissionDecision,
          ...errorResponses(
            ...AUTH_ERRORS,
            "AGENT_NOT_FOUND",
            "PERMISSION_REQUEST_NOT_FOUND",
            "CONFLICT",
            "NODE_UNREACHABLE",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req) =>
      permissionDecisionView(
        await d.agents.respondPermission(user(req), req.params.id, req.params.pid, req.body),
      ),
  );

  // ---- agent nodes (root) ----

  const ROOT_ERRORS = [...AUTH_ERRORS, "ROOT_REQUIRED"] as const;

  r.post(
    "/api/admin/agent-nodes",
    {
      schema: {
        summary: "Register a remote node (it is dialed first: nothing is saved when it cannot be reached)",
        tags: nodeTags,
        body: RegisterNodeBody,
        response: {
          201: AgentNode,
          ...errorResponses(
            ...ROOT_ERRORS,
            "AGENT_NODE_EXISTS",
            "NODE_CONNECT_FAILED",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req, reply) => {
      root(req);
      return reply.status(201).send(agentNodeView(await d.nodes.register(req.body)));
    },
  );

  r.get(
    "/api/admin/agent-nodes",
    { schema: { tags: nodeTags, response: { 200: AgentNodeList, ...errorResponses(...ROOT_ERRORS) } } },
    async (req) => {
      root(req);
      return { nodes: d.nodes.list().map(agentNodeView) };
    },
  );

  r.get(
    "/api/admin/agent-nodes/:id",
    {
      schema: {
        tags: nodeTags,
        params: IdParams,
        response: { 200: AgentNode, ...errorResponses(...ROOT_ERRORS, "AGENT_NODE_NOT_FOUND") },
      },
    },
    async (req) => {
      root(req);
      return agentNodeView(d.nodes.get(req.params.id));
    },
  );

  r.put(
    "/api/admin/agent-nodes/:id",
    {
      schema: {
        summary: "Rename a node, move it (a new target is dialed first) or change its TLS name",
        tags: nodeTags,
        params: IdParams,
        body: UpdateNodeBody,
        response: {
          200: AgentNode,
          ...errorResponses(
            ...ROOT_ERRORS,
            "AGENT_NODE_NOT_FOUND",
            "AGENT_NODE_EXISTS",
            "NODE_CONNECT_FAILED",
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
          ),
        },
      },
    },
    async (req) => {
      root(req);
      return agentNodeView(await d.nodes.update(req.params.id, req.body));
    },
  );

  r.delete(
    "/api/admin/agent-nodes/:id",
    {
      schema: {
        summary: "Forget a node (refused while it has active agents)",
        tags: nodeTags,
        params: IdParams,
        body: NoBody,
        response: {
          204: Deleted,
          ...errorResponses(...ROOT_ERRORS, "AGENT_NODE_NOT_FOUND", "AGENT_NODE_BUSY"),
        },
      },
    },
    async (req, reply) => {
      root(req);
      d.nodes.delete(req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/admin/agent-nodes/:id/health",
    {
      schema: {
        summary: "Probe a node now",
        tags: nodeTags,
        params: IdParams,
        response: { 200: NodeHealth, ...errorResponses(...ROOT_ERRORS, "AGENT_NODE_NOT_FOUND") },
      },
    },
    async (req) => {
      root(req);
      return nodeHealthView(await d.nodes.probe(req.params.id));
    },
  );
}
