import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { AppError } from "../errors/registry.js";
import type { InternalGrpc } from "../grpc/internal-grpc.js";
import type { HubServices } from "../hub/hub-services.js";
import { authenticate } from "./authenticate.js";
import type { RouteErrorConfig } from "./error-handler.js";
import { AUTH_ERRORS, errorResponses, IdParams } from "./schemas/common.js";
import { ActorToken, ActorTokenBody } from "./schemas/runs.js";

/**
 * `POST /api/runs/:id/actor-tokens {member_id}`: mints a member's actor token for that run (root or the
 * team's owner), with the AGENTHUB_* environment the actor CLI reads.
 */
export function registerActorTokenRoutes(app: FastifyInstance, s: HubServices, grpc: InternalGrpc): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config: RouteErrorConfig = { fieldCodes: { "body.member_id": "MEMBER_ID_REQUIRED" } };
  r.post(
    "/api/runs/:id/actor-tokens",
    {
      config,
      schema: {
        summary: "Mint a member's actor token for this run, with the environment `agenthub actor` reads",
        tags: ["runs"],
        params: IdParams,
        body: ActorTokenBody,
        response: {
          201: ActorToken,
          ...errorResponses(
            ...AUTH_ERRORS,
            "INVALID_JSON",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
            "RUN_NOT_FOUND",
            "MEMBER_ID_REQUIRED",
            "UNKNOWN_MEMBER",
            "INTERNAL_GRPC_UNAVAILABLE",
          ),
        },
      },
    },
    async (req, reply) => {
      const run = s.runs.visibleRun(authenticate(s.auth, req), req.params.id);
      const memberId = req.body.member_id;
      const member = run.spec.members.find((m) => m.member_id === memberId);
      if (!member)
        throw new AppError(
          "UNKNOWN_MEMBER",
          { field: "member_id", member_id: memberId, members: run.spec.members.map((m) => m.member_id) },
          { message: `unknown member "${memberId}"` },
        );
      const env = await grpc.actorEnv(run.team_id, memberId, member.role, run.id);
      return reply
        .status(201)
        .send({ token: env.AGENTHUB_INTERNAL_GRPC_TOKEN ?? "", role: member.role, env });
    },
  );
}
