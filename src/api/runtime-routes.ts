import type { FastifyInstance } from "fastify";
import type { AuthService } from "../hub/auth-service.js";
import type { HubServices } from "../hub/hub-services.js";
import type { ReviewService } from "../hub/review-service.js";
import type { TeamRuntime } from "../hub/team-runtime.js";
import { authenticate } from "./authenticate.js";
import { bodyOf, paramsOf, queryOf } from "./request-helpers.js";

export interface RuntimeRouteDeps {
  auth: AuthService;
  services: HubServices;
  runtime: TeamRuntime;
  reviews: ReviewService;
}

/** Team runtime start/stop/status and a run's permission reviews (list, answer as a human). */
export function registerRuntimeRoutes(app: FastifyInstance, d: RuntimeRouteDeps): void {
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(d.auth, req);

  app.get("/api/teams/:id/runtime", async (req) => d.runtime.status(user(req), paramsOf(req).id!));
  app.post("/api/teams/:id/runtime/start", async (req) => d.runtime.start(user(req), paramsOf(req).id!));
  app.post("/api/teams/:id/runtime/stop", async (req) => d.runtime.stop(user(req), paramsOf(req).id!));

  app.get("/api/runs/:id/permission-reviews", async (req) => ({
    reviews: d.reviews.list(user(req), paramsOf(req).id!, queryOf(req).status),
  }));
  app.post("/api/runs/:id/permission-reviews/:review_id/respond", async (req) => {
    const p = user(req);
    const run = d.services.runs.visibleRun(p, paramsOf(req).id!);
    return d.reviews.respond(run, paramsOf(req).review_id!, { kind: "human", principal: p }, bodyOf(req));
  });
}
