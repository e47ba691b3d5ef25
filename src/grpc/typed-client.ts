import {
  create,
  type DescMessage,
  type DescMethod,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import * as grpc from "@grpc/grpc-js";
import { clientChannelOptions } from "./channel-options.js";
import { fromServiceError } from "./error-mapping.js";
import { methodPath } from "./service-adapter.js";

/** Deadline of a unary call unless the call or the client says otherwise. */
export const DEFAULT_DEADLINE_MS = 10_000;

export interface CallOptions {
  /** Milliseconds from now; unary calls always get one (the client's default otherwise). */
  deadlineMs?: number;
  metadata?: grpc.Metadata;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
}

export interface ClientOptions {
  channelOptions?: grpc.ChannelOptions;
  defaultDeadlineMs?: number;
  /** Sent as `authorization: Bearer <token>` on every call; a function is asked before each call. */
  token?: string | (() => string | Promise<string>);
}

/** A server stream: iterate it; `cancel()` ends the iteration quietly. */
export interface ServerStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

type Methods<M extends GenServiceMethods> = {
  [K in keyof M]: M[K]["methodKind"] extends "unary"
    ? (req: MessageInitShape<M[K]["input"]>, opts?: CallOptions) => Promise<MessageShape<M[K]["output"]>>
    : M[K]["methodKind"] extends "server_streaming"
      ? (
          req: MessageInitShape<M[K]["input"]>,
          opts?: CallOptions,
        ) => ServerStream<MessageShape<M[K]["output"]>>
      : never;
};

export type TypedClient<M extends GenServiceMethods> = Methods<M> & {
  /** The underlying grpc-js client (for waitForReady, getChannel). */
  readonly raw: grpc.Client;
  close(): void;
};

const ser = (schema: DescMessage) => (msg: MessageShape<DescMessage>) => Buffer.from(toBinary(schema, msg));
const de = (schema: DescMessage) => (bytes: Buffer) => fromBinary(schema, bytes);

/** A promise-based client for a protobuf-es service over grpc-js. Errors reject as AppError when the server named a code. */
export function makeClient<M extends GenServiceMethods>(
  desc: GenService<M>,
  target: string,
  creds: grpc.ChannelCredentials,
  options: ClientOptions = {},
): TypedClient<M> {
  const raw = new grpc.Client(target, creds, clientChannelOptions(options.channelOptions));
  const defaultDeadline = options.defaultDeadlineMs ?? DEFAULT_DEADLINE_MS;
  // The authorization header value is rebuilt only when the token changes.
  let lastToken: string | undefined;
  let lastHeader = "";
  const withToken = (opts: CallOptions, token: string | undefined): grpc.Metadata => {
    const md = opts.metadata?.clone() ?? new grpc.Metadata();
    if (token) {
      if (token !== lastToken) {
        lastToken = token;
        lastHeader = `Bearer ${token}`;
      }
      md.set("authorization", lastHeader);
    }
    return md;
  };
  /** Metadata for a call: synchronous unless the token function returns a promise. */
  const metadataFor = (opts: CallOptions): grpc.Metadata | Promise<grpc.Metadata> => {
    const token = typeof options.token === "function" ? options.token() : options.token;
    return typeof token === "object" && token !== null
      ? token.then((t) => withToken(opts, t))
      : withToken(opts, token);
  };
  const unary = (m: DescMethod) => {
    const path = methodPath(m);
    const serialize = ser(m.input);
    const deserialize = de(m.output);
    const start = (
      req: MessageInitShape<DescMessage>,
      opts: CallOptions,
      md: grpc.Metadata,
      resolve: (v: unknown) => void,
      reject: (e: unknown) => void,
    ) => {
      const deadline = Date.now() + (opts.deadlineMs ?? defaultDeadline);
      const call = raw.makeUnaryRequest(
        path,
        serialize,
        deserialize,
        create(m.input, req),
        md,
        { deadline },
        (err, res) => (err ? reject(fromServiceError(err)) : resolve(res)),
      );
      opts.signal?.addEventListener("abort", () => call.cancel(), { once: true });
    };
    return (req: MessageInitShape<DescMessage>, opts: CallOptions = {}) =>
      new Promise((resolve, reject) => {
        const md = metadataFor(opts);
        if (md instanceof grpc.Metadata) start(req, opts, md, resolve, reject);
        else md.then((x) => start(req, opts, x, resolve, reject), reject);
      });
  };
  const stream =
    (m: DescMethod) =>
    (req: MessageInitShape<DescMessage>, opts: CallOptions = {}) => {
      let call: grpc.ClientReadableStream<unknown> | undefined;
      let cancelled = false;
      const cancel = () => {
        cancelled = true;
        call?.cancel();
      };
      opts.signal?.addEventListener("abort", cancel, { once: true });
      async function* iterate() {
        const md = await metadataFor(opts);
        if (cancelled) return;
        const callOpts = opts.deadlineMs === undefined ? {} : { deadline: Date.now() + opts.deadlineMs };
        call = raw.makeServerStreamRequest(
          methodPath(m),
          ser(m.input),
          de(m.output),
          create(m.input, req),
          md,
          callOpts,
        );
        try {
          for await (const msg of call) yield msg;
        } catch (err) {
          const se = err as grpc.ServiceError;
          if (cancelled && se.code === grpc.status.CANCELLED) return;
          throw fromServiceError(se);
        } finally {
          call.cancel();
        }
      }
      return { cancel, [Symbol.asyncIterator]: () => iterate() };
    };
  const client: Record<string, unknown> = { raw, close: () => raw.close() };
  for (const m of desc.methods) {
    if (m.methodKind === "unary") client[m.localName] = unary(m);
    else if (m.methodKind === "server_streaming") client[m.localName] = stream(m);
  }
  return client as TypedClient<M>;
}
