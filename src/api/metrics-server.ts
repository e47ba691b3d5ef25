import { createServer, type Server } from "node:http";
import { AppError } from "../errors/registry.js";
import { newId } from "../util/ids.js";
import type { Logger } from "../util/logger.js";
import { errorBody } from "./error-handler.js";
import type { Scrape } from "./metrics-routes.js";

/**
 * `[metrics] listen` (`[node] metrics_listen` on a node): a plain HTTP listener of its own, on a
 * loopback address (the config refuses others), that serves `GET /metrics` and nothing else, without
 * authentication, so a local Prometheus (or agent) scrapes without touching the REST API. Anything
 * else answers 404 in the error contract.
 */
export class MetricsServer {
  private server: Server | undefined;
  /** The port bound (port 0 resolved). */
  port = 0;

  constructor(
    private readonly scrape: Scrape,
    private readonly logger: Logger,
  ) {}

  /** Binds `host`:`port`; rejects with the listen error (the caller names the config key). */
  async listen(host: string, port: number): Promise<void> {
    const server = createServer((req, res) => {
      const id = newId("req");
      const path = (req.url ?? "/").split("?")[0];
      const fail = (err: AppError) => {
        res.writeHead(err.status, { "content-type": "application/json; charset=utf-8", "x-request-id": id });
        res.end(JSON.stringify(errorBody(err, id)));
      };
      if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
        return fail(new AppError("NOT_FOUND", undefined, { message: `no route for ${req.method} ${path}` }));
      }
      this.scrape().then(
        (out) => {
          res.writeHead(200, { "content-type": out.contentType, "x-request-id": id });
          res.end(req.method === "HEAD" ? undefined : out.body);
        },
        (err: unknown) => {
          this.logger.error({ component: "metrics", err }, "metrics scrape failed");
          fail(new AppError("INTERNAL"));
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    this.port = typeof addr === "object" && addr ? addr.port : port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
