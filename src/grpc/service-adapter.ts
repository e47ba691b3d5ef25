import { once } from "node:events";
import type { PeerCertificate } from "node:tls";
import type { MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import {
  create,
  type DescMessage,
  type DescMethod,
  type DescService,
  fromBinary,
  toBinary,
} from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import type * as grpc from "@grpc/grpc-js";
import { toServiceError } from "./error-mapping.js";

/** What every handler receives besides the request. */
export interface CallContext<P> {
  metadata: grpc.Metadata;
  peer: string;
  /** Aborted when the client cancels, the deadline passes, or the connection drops. */
  signal: AbortSignal;
  /** Result of the adapter's `authenticate` hook (undefined without one). */
  principal: P;
  method: DescMethod;
}

type In<M extends GenServiceMethods, K extends keyof M> = MessageShape<M[K]["input"]>;
type OutInit<M extends GenServiceMethods, K extends keyof M> = MessageInitShape<M[K]["output"]>;

/**
 * Handlers by method local name: unary returns the response, server-streaming yields responses. A
 * streaming handler that waits for live data must stop when `ctx.signal` aborts.
 */
export type ServiceImpl<M extends GenServiceMethods, P = undefined> = {
  [K in keyof M]: M[K]["methodKind"] extends "unary"
    ? (req: In<M, K>, ctx: CallContext<P>) => Promise<OutInit<M, K>> | OutInit<M, K>
    : M[K]["methodKind"] extends "server_streaming"
      ? (req: In<M, K>, ctx: CallContext<P>) => AsyncIterable<OutInit<M, K>>
      : never;
};

/** Who is on the other end of a call, read lazily (most calls never ask). */
export interface CallPeer {
  /** The TLS client certificate the peer presented (mTLS), or undefined. */
  certificate(): PeerCertificate | undefined;
}

function peerOf(call: ServerCall): CallPeer {
  return { certificate: () => call.getAuthContext().sslPeerCertificate };
}

export interface ImplementOptions<P> {
  /** Runs before every handler; throw (e.g. an AppError) to reject the call. */
  authenticate?: (metadata: grpc.Metadata, method: DescMethod, peer: CallPeer) => Promise<P> | P;
  /** Sees every error a handler (or authenticate) threw, before it is mapped to a status. */
  onError?: (err: unknown, method: DescMethod) => void;
  /**
   * Every answer (a reply, an error, a streamed message) waits for the promise this returns, if any:
   * the hub's group commit, so that no caller hears of a write that a crash could still lose.
   */
  beforeReply?: () => Promise<void> | undefined;
}

/** The gRPC path of a method: `/package.Service/Method`. */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

const serializer = (schema: DescMessage) => (msg: MessageShape<DescMessage>) =>
  Buffer.from(toBinary(schema, msg));
const deserializer = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);

/** A grpc-js ServiceDefinition (keyed by method local name) for a protobuf-es service descriptor. */
export function serviceDefinition(desc: DescService): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of desc.methods) {
    def[m.localName] = {
      path: methodPath(m),
      originalName: m.name,
      requestStream: m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming",
      responseStream: m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming",
      requestSerialize: serializer(m.input) as grpc.serialize<unknown>,
      requestDeserialize: deserializer(m.input),
      responseSerialize: serializer(m.output) as grpc.serialize<unknown>,
      responseDeserialize: deserializer(m.output),
    };
  }
  return def;
}

type ServerCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

/** The call context; `signal` and `peer` are made on first use (most unary handlers need neither). */
function contextOf<P>(call: ServerCall, method: DescMethod, principal: P): CallContext<P> {
  let abort: AbortController | undefined;
  let peer: string | undefined;
  return {
    metadata: call.metadata,
    principal,
    method,
    get peer() {
      peer ??= call.getPeer();
      return peer;
    },
    get signal() {
      if (!abort) {
        const a = new AbortController();
        abort = a;
        if (call.cancelled) a.abort();
        else call.once("cancelled", () => a.abort());
      }
      return abort.signal;
    },
  };
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as PromiseLike<unknown> | undefined)?.then === "function";
}

type AnyHandler<P> = (req: unknown, ctx: CallContext<P>) => unknown;

/** grpc-js handlers for `impl`: authentication, message creation, and error mapping at the edge. */
export function implementService<M extends GenServiceMethods, P = undefined>(
  desc: GenService<M>,
  impl: ServiceImpl<M, P>,
  options: ImplementOptions<P> = {},
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  const fail = (err: unknown, m: DescMethod) => {
    options.onError?.(err, m);
    return toServiceError(err);
  };
  const whenDurable = (send: () => void) => {
    const gate = options.beforeReply?.();
    if (gate) gate.then(send, send);
    else send();
  };
  const auth = async (call: ServerCall, m: DescMethod) =>
    (options.authenticate ? await options.authenticate(call.metadata, m, peerOf(call)) : undefined) as P;
  for (const m of desc.methods) {
    const handler = (impl as Record<string, AnyHandler<P>>)[m.localName];
    if (!handler) continue;
    if (m.methodKind === "unary") {
      // No promise hops when authenticate (e.g. a cached token) and the handler answer synchronously.
      out[m.localName] = (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const reply = (res: unknown) => {
          let msg: unknown;
          try {
            msg = create(m.output, res as MessageInitShape<DescMessage>);
          } catch (err) {
            onError(err);
            return;
          }
          whenDurable(() => cb(null, msg));
        };
        const onError = (err: unknown) => {
          const status = fail(err, m);
          whenDurable(() => cb(status));
        };
        const invoke = (principal: P) => {
          let res: unknown;
          try {
            res = handler(call.request, contextOf(call, m, principal));
          } catch (err) {
            onError(err);
            return;
          }
          if (isPromiseLike(res)) res.then(reply, onError);
          else reply(res);
        };
        let principal: unknown;
        try {
          principal = options.authenticate ? options.authenticate(call.metadata, m, peerOf(call)) : undefined;
        } catch (err) {
          onError(err);
          return;
        }
        if (isPromiseLike(principal)) principal.then((p) => invoke(p as P), onError);
        else invoke(principal as P);
      };
    } else if (m.methodKind === "server_streaming") {
      out[m.localName] = (call: grpc.ServerWritableStream<unknown, unknown>) => {
        void (async () => {
          const ctx = contextOf(call, m, await auth(call, m));
          const iterable = handler(call.request, ctx) as AsyncIterable<MessageInitShape<DescMessage>>;
          for await (const item of iterable) {
            if (ctx.signal.aborted) break;
            const gate = options.beforeReply?.();
            if (gate) await gate;
            if (ctx.signal.aborted) break;
            if (!call.write(create(m.output, item))) await once(call, "drain", { signal: ctx.signal });
          }
          if (!ctx.signal.aborted) call.end();
        })().catch((err: unknown) => {
          if (!call.cancelled) call.emit("error", fail(err, m));
        });
      };
    }
  }
  return out;
}
