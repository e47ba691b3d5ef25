import type { FastifyInstance } from "fastify";
import type { HubServices } from "../hub/hub-services.js";
import { authenticate } from "./authenticate.js";
import { bodyOf, paramsOf, queryOf } from "./request-helpers.js";

/** Teams and their tasks and task conversations. */
export function registerTeamRoutes(app: FastifyInstance, s: HubServices): void {
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(s.auth, req);

  app.post("/api/teams", async (req, reply) =>
    reply.status(201).send(await s.teams.create(user(req), bodyOf(req))),
  );
  app.get("/api/teams", async (req) => ({ teams: s.teams.list(user(req)) }));
  app.get("/api/teams/:id", async (req) => s.teams.get(user(req), paramsOf(req).id!));
  app.put("/api/teams/:id", async (req) => s.teams.update(user(req), paramsOf(req).id!, bodyOf(req)));
  app.delete("/api/teams/:id", async (req, reply) => {
    await s.deleteTeam(user(req), paramsOf(req).id!);
    return reply.status(204).send();
  });

  const team = (req: Parameters<typeof authenticate>[1]) => s.teams.row(user(req), paramsOf(req).id!);
  app.post("/api/teams/:id/tasks", async (req, reply) => {
    const p = user(req);
    const t = s.teams.row(p, paramsOf(req).id!);
    return reply.status(201).send(s.tasks.create(t, `human:${p.username}`, bodyOf(req)));
  });
  app.get("/api/teams/:id/tasks", async (req) => {
    const q = queryOf(req);
    return { tasks: s.tasks.list(team(req), { status: q.status, assigned_member_id: q.assigned_member_id }) };
  });
  app.get("/api/teams/:id/tasks/:task_id", async (req) => s.tasks.get(team(req), paramsOf(req).task_id!));
  app.patch("/api/teams/:id/tasks/:task_id", async (req) =>
    s.tasks.update(team(req), paramsOf(req).task_id!, bodyOf(req)),
  );
  app.get("/api/teams/:id/tasks/:task_id/conversation", async (req) =>
    s.tasks.conversation(team(req), paramsOf(req).task_id!),
  );
  app.post("/api/teams/:id/tasks/:task_id/conversation/messages", async (req, reply) =>
    reply.status(201).send(s.tasks.postMessage(team(req), paramsOf(req).task_id!, bodyOf(req))),
  );
  app.get("/api/teams/:id/tasks/:task_id/conversation/messages", async (req) => {
    const q = queryOf(req);
    return s.tasks.messages(team(req), paramsOf(req).task_id!, { after: q.after, limit: q.limit });
  });
  app.get("/api/teams/:id/tasks/:task_id/conversation/messages/:message_id", async (req) =>
    s.tasks.message(team(req), paramsOf(req).task_id!, paramsOf(req).message_id!),
  );
}
