import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ErrorCode } from "../errors/registry.js";
import type { HubServices } from "../hub/hub-services.js";
import { authenticate } from "./authenticate.js";
import { AUTH_ERRORS, Deleted, errorResponses, IdParams } from "./schemas/common.js";
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryList,
  DeliveryListQuery,
  Webhook,
  WebhookList,
  WebhookListQuery,
} from "./schemas/webhooks.js";
import { createdWebhookView, deliveryView, webhookView } from "./views/webhooks.js";

const tags = ["webhooks"];
const BODY: ErrorCode[] = ["INVALID_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];
const ONE: ErrorCode[] = [...AUTH_ERRORS, "WEBHOOK_NOT_FOUND"];

/** Outbound webhooks (Standard Webhooks): per team (its owner) or global (root), and their deliveries. */
export function registerWebhookRoutes(app: FastifyInstance, s: HubServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const user = (req: FastifyRequest) => authenticate(s.auth, req);
  const hooks = s.notifications.webhooks;

  r.post(
    "/api/webhooks",
    {
      schema: {
        summary: "Create a webhook; the answer carries its signing secret, shown this once",
        tags,
        body: CreateWebhookBody,
        response: {
          201: CreatedWebhook,
          ...errorResponses(
            ...AUTH_ERRORS,
            ...BODY,
            "ROOT_REQUIRED",
            "TEAM_NOT_FOUND",
            "WEBHOOK_URL_INVALID",
            "WEBHOOK_TARGET_PRIVATE",
          ),
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await hooks.create(user(req), {
        url: b.url,
        teamId: b.team_id,
        eventTypes: b.event_types,
        format: b.format,
        description: b.description,
      });
      return reply.status(201).send(createdWebhookView(created));
    },
  );

  r.get(
    "/api/webhooks",
    {
      schema: {
        summary: "The webhooks the caller may see (root: all; others: their teams')",
        tags,
        querystring: WebhookListQuery,
        response: { 200: WebhookList, ...errorResponses(...AUTH_ERRORS, "TEAM_NOT_FOUND") },
      },
    },
    async (req) => ({
      webhooks: hooks.list(user(req), { teamId: req.query.team_id }).map(webhookView),
    }),
  );

  r.get(
    "/api/webhooks/:id",
    {
      schema: {
        summary: "A webhook (without its secret)",
        tags,
        params: IdParams,
        response: { 200: Webhook, ...errorResponses(...ONE) },
      },
    },
    async (req) => webhookView(hooks.get(user(req), req.params.id)),
  );

  r.delete(
    "/api/webhooks/:id",
    {
      schema: {
        summary: "Delete a webhook and its pending deliveries",
        tags,
        params: IdParams,
        response: { 204: Deleted, ...errorResponses(...ONE) },
      },
    },
    async (req, reply) => {
      hooks.delete(user(req), req.params.id);
      return reply.status(204).send();
    },
  );

  r.get(
    "/api/webhooks/:id/deliveries",
    {
      schema: {
        summary: "A webhook's deliveries, newest first: pending (with the next attempt), delivered or failed",
        tags,
        params: IdParams,
        querystring: DeliveryListQuery,
        response: { 200: DeliveryList, ...errorResponses(...ONE) },
      },
    },
    async (req) => {
      const page = hooks.deliveries(user(req), req.params.id, req.query);
      return { deliveries: page.deliveries.map(deliveryView), next_cursor: page.nextCursor };
    },
  );
}
