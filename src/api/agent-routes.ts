import type { FastifyInstance } from "fastify";
import type { AgentEventBus } from "../hub/agent-event-bus.js";
import type { AgentService } from "../hub/agent-service.js";
import type { AuthService } from "../hub/auth-service.js";
import type { NodeRegistry } from "../hub/node-registry.js";
import { authenticate, requireRoot } from "./authenticate.js";
import { bodyOf, paramsOf, queryOf } from "./request-helpers.js";
import { streamAgentEvents } from "./sse-agent-events.js";

export interface AgentRouteDeps {
  auth: AuthService;
  agents: AgentService;
  nodes: NodeRegistry;
  bus: AgentEventBus;
}

/** Agents (any user, own agents) and the agent node registry (root only). */
export function registerAgentRoutes(app: FastifyInstance, d: AgentRouteDeps): void {
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(d.auth, req);
  const root = (req: Parameters<typeof authenticate>[1]) => requireRoot(authenticate(d.auth, req));

  app.post("/api/agents", async (req, reply) =>
    reply.status(201).send(await d.agents.create(user(req), bodyOf(req))),
  );
  app.get("/api/agents", async (req) => ({ agents: d.agents.list(user(req)) }));
  app.get("/api/agents/:id", async (req) => d.agents.get(user(req), paramsOf(req).id!));
  app.delete("/api/agents/:id", async (req, reply) => {
    await d.agents.delete(user(req), paramsOf(req).id!);
    return reply.status(204).send();
  });
  app.post("/api/agents/:id/start", async (req) => d.agents.start(user(req), paramsOf(req).id!));
  app.post("/api/agents/:id/stop", async (req) => d.agents.stop(user(req), paramsOf(req).id!));
  app.post("/api/agents/:id/input", async (req, reply) => {
    const b = bodyOf(req);
    const turnId = typeof b.turn_id === "string" ? b.turn_id : undefined;
    return reply.status(202).send(await d.agents.input(user(req), paramsOf(req).id!, b.text, turnId));
  });
  app.get("/api/agents/:id/events", async (req, reply) => {
    const p = authenticate(d.auth, req, true);
    const id = paramsOf(req).id!;
    d.agents.row(p, id);
    if ((req.headers.accept ?? "").includes("text/event-stream")) {
      streamAgentEvents(req, reply, id, d.agents.repo, d.bus);
      return reply;
    }
    const q = queryOf(req);
    return d.agents.events(p, id, { after: q.after, limit: q.limit });
  });
  app.get("/api/agents/:id/permissions", async (req) => ({
    permissions: d.agents.listPermissions(user(req), paramsOf(req).id!, queryOf(req).status),
  }));
  app.post("/api/agents/:id/permissions/:pid/respond", async (req) => {
    const p = user(req);
    const { id, pid } = paramsOf(req);
    d.agents.row(p, id!);
    return d.agents.respondPermission(`human:${p.username}`, id!, pid!, bodyOf(req));
  });

  app.post("/api/admin/agent-nodes", async (req, reply) => {
    root(req);
    return reply.status(201).send(await d.nodes.register(bodyOf(req)));
  });
  app.get("/api/admin/agent-nodes", async (req) => {
    root(req);
    return { nodes: d.nodes.list() };
  });
  app.get("/api/admin/agent-nodes/:id", async (req) => {
    root(req);
    return d.nodes.view(d.nodes.row(paramsOf(req).id!));
  });
  app.put("/api/admin/agent-nodes/:id", async (req) => {
    root(req);
    return d.nodes.update(paramsOf(req).id!, bodyOf(req));
  });
  app.delete("/api/admin/agent-nodes/:id", async (req, reply) => {
    root(req);
    d.nodes.delete(paramsOf(req).id!);
    return reply.status(204).send();
  });
  app.get("/api/admin/agent-nodes/:id/health", async (req) => {
    root(req);
    const n = await d.nodes.probe(paramsOf(req).id!);
    return {
      id: n.id,
      status: n.status,
      last_probe_at: n.last_probe_at,
      probe_latency_ms: n.probe_latency_ms,
      last_error: n.last_error,
      isolation: d.nodes.isolationOf(n.id),
    };
  });
}
