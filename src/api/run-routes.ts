import type { FastifyInstance } from "fastify";
import type { HubServices } from "../hub/hub-services.js";
import { authenticate } from "./authenticate.js";
import { bodyOf, headerOf, paramsOf, queryOf } from "./request-helpers.js";

const STEP_ACTIONS = ["start", "complete", "fail", "input_required", "resume"] as const;

/** Runs, steps, the run event log and the run mailbox. */
export function registerRunRoutes(app: FastifyInstance, s: HubServices): void {
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(s.auth, req);

  app.post("/api/teams/:id/runs", async (req, reply) => {
    const b = bodyOf(req);
    const key =
      headerOf(req, "idempotency-key") ??
      (typeof b.idempotency_key === "string" ? b.idempotency_key : undefined);
    const { run, created } = s.runs.create(user(req), paramsOf(req).id!, b, key);
    return reply.status(created ? 201 : 200).send({ ...run, idempotent_replay: !created });
  });
  app.get("/api/teams/:id/runs", async (req) => {
    const q = queryOf(req);
    return s.runs.list(user(req), paramsOf(req).id!, { status: q.status, limit: q.limit, cursor: q.cursor });
  });
  app.get("/api/runs/:id", async (req) => s.runs.get(user(req), paramsOf(req).id!));
  app.post("/api/runs/:id/cancel", async (req) =>
    s.runs.cancel({ kind: "user", principal: user(req) }, paramsOf(req).id!),
  );
  app.post("/api/runs/:id/resume", async (req) =>
    s.runs.resume({ kind: "user", principal: user(req) }, paramsOf(req).id!),
  );
  app.post("/api/runs/:id/restart", async (req) =>
    s.runs.restart({ kind: "user", principal: user(req) }, paramsOf(req).id!, bodyOf(req)),
  );
  app.get("/api/runs/:id/events", async (req) => {
    const q = queryOf(req);
    return s.runs.eventsPage(user(req), paramsOf(req).id!, { after: q.after ?? q.cursor, limit: q.limit });
  });

  app.get("/api/runs/:id/steps", async (req) => ({ steps: s.runs.steps(user(req), paramsOf(req).id!) }));
  app.post("/api/runs/:id/steps", async (req, reply) =>
    reply.status(201).send(s.runs.addStep(user(req), paramsOf(req).id!, bodyOf(req))),
  );
  for (const action of STEP_ACTIONS) {
    app.post(`/api/runs/:id/steps/:step_key/${action}`, async (req) =>
      s.runs.transitionStep(
        { kind: "user", principal: user(req) },
        paramsOf(req).id!,
        paramsOf(req).step_key!,
        action,
        bodyOf(req),
      ),
    );
  }

  app.post("/api/runs/:id/messages", async (req, reply) => {
    const run = s.runs.visibleRun(user(req), paramsOf(req).id!);
    const b = bodyOf(req);
    const res = s.mailbox.send(run, {
      from_actor_id: b.from_actor_id,
      route: b.route,
      to_actor_id: b.to_actor_id,
      payload: b.payload,
      idempotency_key: b.idempotency_key ?? headerOf(req, "idempotency-key"),
    });
    return reply.status(res.duplicate ? 200 : 201).send(res);
  });
  app.get("/api/runs/:id/messages/:message_id", async (req) =>
    s.mailbox.message(s.runs.visibleRun(user(req), paramsOf(req).id!), paramsOf(req).message_id!),
  );
  app.get("/api/runs/:id/inbox", async (req) => {
    const run = s.runs.visibleRun(user(req), paramsOf(req).id!);
    return { messages: s.mailbox.inbox(run, queryOf(req)) };
  });
  app.post("/api/runs/:id/messages/:message_id/ack", async (req) => {
    const run = s.runs.visibleRun(user(req), paramsOf(req).id!);
    return s.mailbox.ack(run, paramsOf(req).message_id!, bodyOf(req).actor_id);
  });
}
