import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ErrorCode } from "../errors/registry.js";
import type { AuthService } from "../hub/auth-service.js";
import type { HubServices } from "../hub/hub-services.js";
import type { ReviewService } from "../hub/review-service.js";
import type { TeamRuntime } from "../hub/team-runtime.js";
import { authenticate } from "./authenticate.js";
import { AUTH_ERRORS, errorResponses, IdParams } from "./schemas/common.js";
import {
  HumanReviewListQuery,
  NoBody,
  Review,
  ReviewAnswerBody,
  ReviewDecision,
  ReviewList,
  ReviewListQuery,
  ReviewParams,
  TeamRuntime as TeamRuntimeSchema,
} from "./schemas/runs.js";
import { RemoveKeptWorktreesBody, WorktreeOutcomes } from "./schemas/worktrees.js";
import { reviewDecisionView, reviewView, teamRuntimeView } from "./views/runs.js";
import { worktreeOutcomeView } from "./views/worktrees.js";

export interface RuntimeRouteDeps {
  auth: AuthService;
  services: HubServices;
  runtime: TeamRuntime;
  reviews: ReviewService;
}

const BODY: ErrorCode[] = ["INVALID_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];
/** What starting a team's member agents can answer (the member, its node and the cause are named). */
const START: ErrorCode[] = [
  "FORBIDDEN",
  "WORKDIR_REQUIRED",
  "WORKDIR_NOT_SAFE",
  "WORKDIR_MISSING",
  "WORKTREE_REF_INVALID",
  "WORKSPACE_ERROR",
  "AGENT_NODE_NOT_FOUND",
  "AGENT_EXITED",
  "AGENT_COMMAND_NOT_FOUND",
  "AGENT_AUTH_REQUIRED",
  "AGENT_CONFIG_INVALID",
  "AGENT_START_FAILED",
  "NODE_UNREACHABLE",
  "TEAM_RUNTIME_START_FAILED",
];

/** Team runtime start/stop/status and a run's permission reviews (list, answer as a human). */
export function registerRuntimeRoutes(app: FastifyInstance, d: RuntimeRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: Parameters<typeof authenticate>[1]) => authenticate(d.auth, req);
  const tags = ["runtime"];
  const TEAM: ErrorCode[] = [...AUTH_ERRORS, "TEAM_NOT_FOUND"];

  r.get(
    "/api/teams/:id/runtime",
    {
      schema: {
        summary: "The team's runtime: started or stopped, and each member's agent",
        tags,
        params: IdParams,
        response: { 200: TeamRuntimeSchema, ...errorResponses(...TEAM) },
      },
    },
    async (req) => teamRuntimeView(d.runtime.status(user(req), req.params.id)),
  );
  r.post(
    "/api/teams/:id/runtime/start",
    {
      schema: {
        summary: "Start one agent per member (all or nothing); runs waiting for it proceed",
        tags,
        params: IdParams,
        body: NoBody,
        response: { 200: TeamRuntimeSchema, ...errorResponses(...TEAM, ...BODY, ...START) },
      },
    },
    async (req) => teamRuntimeView(await d.runtime.start(user(req), req.params.id)),
  );
  r.post(
    "/api/teams/:id/runtime/stop",
    {
      schema: {
        summary: "Stop the team's member agents",
        tags,
        params: IdParams,
        body: NoBody,
        response: { 200: TeamRuntimeSchema, ...errorResponses(...TEAM, ...BODY) },
      },
    },
    async (req) => teamRuntimeView(await d.runtime.stop(user(req), req.params.id)),
  );
  r.post(
    "/api/teams/:id/runtime/worktrees/remove",
    {
      schema: {
        summary: "Remove the worktrees kept for the team's removed members (`force`: whatever they hold)",
        description:
          "Asks each node again for the worktrees listed in the runtime's `kept_worktrees`. Without `force` one that still holds unsaved work is kept again; with `force: true` it is removed and its uncommitted changes are lost (a branch with commits is still kept).",
        tags,
        params: IdParams,
        body: RemoveKeptWorktreesBody,
        response: { 200: WorktreeOutcomes, ...errorResponses(...TEAM, ...BODY) },
      },
    },
    async (req) => ({
      worktrees: (
        await d.runtime.removeKeptWorktrees(user(req), req.params.id, req.body?.force === true)
      ).map(worktreeOutcomeView),
    }),
  );

  r.get(
    "/api/runs/:id/permission-reviews",
    {
      schema: {
        summary: "A run's permission reviews (agents' permission requests, routed by the spec)",
        tags: ["reviews"],
        params: IdParams,
        querystring: ReviewListQuery,
        response: { 200: ReviewList, ...errorResponses(...AUTH_ERRORS, "RUN_NOT_FOUND") },
      },
    },
    async (req) => ({
      reviews: d.reviews.list(user(req), req.params.id, req.query.status).map(reviewView),
    }),
  );
  r.get(
    "/api/permission-reviews",
    {
      schema: {
        summary: "Permission reviews routed to a human, across the caller's runs (root: every team's)",
        description:
          "What waits for people: `?status=pending` lists the reviews to answer, oldest first. Answer one with `POST /api/runs/:run_id/permission-reviews/:review_id/respond`.",
        tags: ["reviews"],
        querystring: HumanReviewListQuery,
        response: { 200: ReviewList, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async (req) => ({ reviews: d.reviews.forHuman(user(req), req.query).map(reviewView) }),
  );
  r.get(
    "/api/permission-reviews/:id",
    {
      schema: {
        summary: "One permission review by id (of a run the caller may see)",
        tags: ["reviews"],
        params: IdParams,
        response: { 200: Review, ...errorResponses(...AUTH_ERRORS, "REVIEW_NOT_FOUND") },
      },
    },
    async (req) => reviewView(d.reviews.get(user(req), req.params.id)),
  );
  r.post(
    "/api/runs/:id/permission-reviews/:review_id/respond",
    {
      schema: {
        summary: "Answer a permission review routed to a human (or as root)",
        tags: ["reviews"],
        params: ReviewParams,
        body: ReviewAnswerBody,
        response: {
          200: ReviewDecision,
          ...errorResponses(
            ...AUTH_ERRORS,
            ...BODY,
            "RUN_NOT_FOUND",
            "REVIEW_NOT_FOUND",
            "FORBIDDEN",
            "AGENT_NODE_NOT_FOUND",
            "NODE_UNREACHABLE",
          ),
        },
      },
    },
    async (req) => {
      const p = user(req);
      const run = d.services.runs.visibleRun(p, req.params.id);
      return reviewDecisionView(
        await d.reviews.respond(run, req.params.review_id, { kind: "human", principal: p }, req.body),
      );
    },
  );
}
