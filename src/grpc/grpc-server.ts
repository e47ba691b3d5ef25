import type { DescService } from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import * as grpc from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";
import { serverChannelOptions } from "./channel-options.js";
import { reflectionPackage } from "./reflection-package.js";
import {
  type ImplementOptions,
  implementService,
  type ServiceImpl,
  serviceDefinition,
} from "./service-adapter.js";

export interface GrpcServerOptions {
  channelOptions?: grpc.ChannelOptions;
  /** Serve grpc.reflection.v1 / v1alpha (default true). */
  reflection?: boolean;
}

/**
 * A grpc-js server with our keepalive options, the standard grpc.health.v1.Health service and server
 * reflection. Add services, then `listen`; `shutdown` drains calls and then forces the rest closed.
 */
export class GrpcServer {
  readonly server: grpc.Server;
  readonly health = new HealthImplementation({ "": "NOT_SERVING" });
  private readonly services: DescService[] = [];
  private readonly reflection: boolean;
  private port: number | undefined;
  private servingNow = false;

  constructor(opts: GrpcServerOptions = {}) {
    this.server = new grpc.Server(serverChannelOptions(opts.channelOptions));
    this.reflection = opts.reflection ?? true;
    this.health.addToServer(this.server);
  }

  addService<M extends GenServiceMethods, P = undefined>(
    desc: GenService<M>,
    impl: ServiceImpl<M, P>,
    options?: ImplementOptions<P>,
  ): this {
    if (this.port !== undefined) throw new Error("add services before listen()");
    this.server.addService(serviceDefinition(desc), implementService(desc, impl, options));
    this.services.push(desc);
    this.health.setStatus(desc.typeName, "NOT_SERVING");
    return this;
  }

  /** Binds `host:port` (port 0 picks a free one) and starts serving; resolves with the bound port. */
  async listen(hostPort: string, credentials: grpc.ServerCredentials): Promise<number> {
    if (this.port !== undefined) throw new Error("server already listening");
    if (this.reflection && this.services.length > 0) {
      const names = this.services.map((s) => s.typeName);
      new ReflectionService(reflectionPackage(this.services), { services: names }).addToServer(this.server);
    }
    this.port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(hostPort, credentials, (err, port) => (err ? reject(err) : resolve(port)));
    });
    this.setServing(true);
    return this.port;
  }

  /** The bound port (after listen). */
  get boundPort(): number | undefined {
    return this.port;
  }

  /** Whether it is bound and serving (its health status is SERVING). */
  get serving(): boolean {
    return this.servingNow;
  }

  /** Health status of the whole server ("") and every added service. */
  setServing(serving: boolean): void {
    this.servingNow = serving;
    const status: ServingStatus = serving ? "SERVING" : "NOT_SERVING";
    this.health.setStatus("", status);
    for (const s of this.services) this.health.setStatus(s.typeName, status);
  }

  /** Stops accepting calls, waits up to `graceMs` for running calls, then cancels what is left. */
  async shutdown(graceMs = 5_000): Promise<void> {
    this.setServing(false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
