import type { ChannelOptions } from "@grpc/grpc-js";

/**
 * Keepalive for the internal gRPC links, set explicitly on both sides so they agree:
 * clients ping every 30 s (also without active calls, so a dead node is noticed while idle) and drop
 * the connection when a ping is not answered within 10 s; servers accept pings as often as every
 * 10 s — below the client's 30 s — so a server never answers our pings with GOAWAY(too_many_pings).
 */
export const KEEPALIVE = {
  timeMs: 30_000,
  timeoutMs: 10_000,
  serverMinPingIntervalMs: 10_000,
} as const;

/** Largest message either side accepts (events carry agent output). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Receive window of a client connection. */
export const FLOW_CONTROL_WINDOW_BYTES = 4 * 1024 * 1024;

export function clientChannelOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    "grpc.keepalive_time_ms": KEEPALIVE.timeMs,
    "grpc.keepalive_timeout_ms": KEEPALIVE.timeoutMs,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.initial_reconnect_backoff_ms": 500,
    "grpc.max_reconnect_backoff_ms": 10_000,
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    "grpc.enable_http_proxy": 0,
    // HTTP/2 receive window (stream and connection) instead of the 64 KiB default, so a busy server
    // stream (WatchEvents) is not paced by WINDOW_UPDATE round trips while this process is busy.
    "grpc-node.flow_control_window": FLOW_CONTROL_WINDOW_BYTES,
    ...overrides,
  };
}

export function serverChannelOptions(overrides: ChannelOptions = {}): ChannelOptions {
  return {
    // Server-initiated pings detect clients that vanished without closing the connection.
    "grpc.keepalive_time_ms": KEEPALIVE.timeMs,
    "grpc.keepalive_timeout_ms": KEEPALIVE.timeoutMs,
    "grpc.keepalive_permit_without_calls": 1,
    // Ping policy for peers that enforce it (C-core based tools); must stay <= the client's time.
    "grpc.http2.min_ping_interval_without_data_ms": KEEPALIVE.serverMinPingIntervalMs,
    "grpc.http2.max_ping_strikes": 0,
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    ...overrides,
  };
}
