import type { FastifyInstance } from "fastify";
import type { TeamSpec } from "../domain/team-spec.js";
import { AppError } from "../errors/registry.js";
import type { HubServices } from "../hub/hub-services.js";
import type { InternalGrpc } from "../hub/internal-grpc.js";
import { authenticate } from "./authenticate.js";
import { bodyOf, paramsOf } from "./request-helpers.js";

/**
 * `POST /api/runs/:id/actor-tokens {member_id}`: mints a member's actor token for that run (root or the
 * team's owner), with the AGENTHUB_* environment the actor CLI reads.
 */
export function registerActorTokenRoutes(app: FastifyInstance, s: HubServices, grpc: InternalGrpc): void {
  app.post("/api/runs/:id/actor-tokens", async (req, reply) => {
    const run = s.runs.visibleRun(authenticate(s.auth, req), paramsOf(req).id!);
    const memberId = bodyOf(req).member_id;
    if (typeof memberId !== "string" || memberId === "") throw new AppError("MEMBER_ID_REQUIRED");
    const spec = JSON.parse(run.spec_json) as TeamSpec;
    const member = spec.members.find((m) => m.member_id === memberId);
    if (!member)
      throw new AppError(
        "UNKNOWN_MEMBER",
        { member_id: memberId },
        { message: `unknown member "${memberId}"` },
      );
    const env = await grpc.actorEnv(run.team_id, memberId, member.role, run.id);
    return reply.status(201).send({ token: env.AGENTHUB_INTERNAL_GRPC_TOKEN, role: member.role, env });
  });
}
