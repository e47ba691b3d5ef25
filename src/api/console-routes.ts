import type { FastifyInstance } from "fastify";
import { type AttentionRouteDeps, registerAttentionRoutes } from "./attention-routes.js";
import { serveConsole } from "./console-static.js";

export type ConsoleDeps = AttentionRouteDeps & {
  /** Where the built console is (default: the package's web/dist; null: not built). */
  dir?: string | null | undefined;
};

/** The web console at `/` and the API only it needed first (the attention list, JSON and SSE). */
export function registerConsole(app: FastifyInstance, d: ConsoleDeps): void {
  registerAttentionRoutes(app, d);
  serveConsole(app, d.dir);
}
