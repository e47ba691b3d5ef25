import type * as grpc from "@grpc/grpc-js";

/** Hand-written grpc-js service definitions of the baseline servers (no protobuf, Buffer passthrough). */
export const identity = (b: Buffer) => b;

export const ECHO_SERVICE: grpc.ServiceDefinition = {
  echo: {
    path: "/bench.Echo/Echo",
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

export const STREAM_SERVICE: grpc.ServiceDefinition = {
  watch: {
    path: "/bench.Stream/Watch",
    requestStream: false,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** About the size of a NodeService.GetInfo response. */
export const ECHO_REPLY = Buffer.alloc(160, 0x61);
