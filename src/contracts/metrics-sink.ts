/**
 * What the hub's services and edges tell its metrics, as calls with typed arguments: the services
 * never see prom-client (the app implements this over its own registry, or leaves it a no-op when
 * `/metrics` is off). Gauges of stored state (runs, steps, reviews, nodes) are read at scrape time
 * instead, so nothing here has to keep them in step.
 */

/** How one webhook delivery attempt ended (`agenthub_webhook_deliveries_total{outcome}`). */
export type WebhookDeliveryOutcome =
  /** The receiver answered 2xx. */
  | "delivered"
  /** The attempt failed (network, timeout, non-2xx) and will be retried. */
  | "failed"
  /** The attempt failed and it was the last one: the delivery is given up. */
  | "given_up";

/** The kind of prompt turn the run engine dispatched. */
export type TurnKind = "step" | "mail";

export interface HttpRequestObservation {
  method: string;
  /** The route's pattern (`/api/teams/:id`), never the raw URL; `unmatched` when no route matched. */
  route: string;
  status: number;
  seconds: number;
}

export interface MetricsSink {
  /** A REST request was answered. */
  httpRequest(o: HttpRequestObservation): void;
  /** A turn the hub dispatched started on its agent this long after it was sent (queueing included). */
  turnStarted(kind: TurnKind, seconds: number): void;
  /** A webhook delivery attempt ended. */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void;
}

/** The sink when metrics are off: every observation is dropped. */
export const NO_METRICS: MetricsSink = Object.freeze({
  httpRequest: () => {},
  turnStarted: () => {},
  webhookDelivery: () => {},
});
