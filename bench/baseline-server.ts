/**
 * Baseline servers, run as their own process (`node dist/bench/baseline-server.js <mode> <certDir>`):
 *
 *   echo    a bare grpc-js unary echo service (hand-written service definition, Buffer passthrough
 *           serializers) with the same TLS certificate/key and keepalive options as a node daemon.
 *   stream  a bare grpc-js server-streaming service plus, in the same process, a grpc-js client that
 *           consumes it and a bare node:http SSE writer that forwards every message as an SSE frame.
 *
 * Prints `listening <port>` (echo: the gRPC port; stream: the HTTP port) and serves until SIGTERM.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { clientChannelOptions, serverChannelOptions } from "../src/grpc/channel-options.js";
import { ECHO_REPLY, ECHO_SERVICE, identity, STREAM_SERVICE } from "./baseline-defs.js";

function serverCreds(certDir: string): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(
    null,
    [
      {
        private_key: readFileSync(join(certDir, "server.key")),
        cert_chain: readFileSync(join(certDir, "server.crt")),
      },
    ],
    false,
  );
}

function bind(server: grpc.Server, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", creds, (err, port) => (err ? reject(err) : resolve(port))),
  );
}

async function echo(certDir: string): Promise<grpc.Server> {
  const server = new grpc.Server(serverChannelOptions());
  server.addService(ECHO_SERVICE, {
    echo: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
      cb(null, ECHO_REPLY),
  });
  const port = await bind(server, serverCreds(certDir));
  process.stdout.write(`listening ${port}\n`);
  return server;
}

function eventBytes(seq: number, kind: string, data: Record<string, unknown>): Buffer {
  return Buffer.from(
    JSON.stringify({ seq, agent_id: "agt_baseline", agent_seq: seq, kind, at_ms: Date.now(), data }),
  );
}

async function stream(certDir: string, caCert: string): Promise<grpc.Server> {
  const server = new grpc.Server(serverChannelOptions());
  server.addService(STREAM_SERVICE, {
    watch: async (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const n = Number(call.request.toString("utf8")) || 0;
      for (let i = 1; i <= n; i++) {
        const ok = call.write(
          eventBytes(i, "session_update", {
            turn_id: "turn_baseline",
            update: {
              sessionUpdate: "agent_message_chunk",
              content: { type: "text", text: `\nchunk ${i}/${n}` },
            },
          }),
        );
        if (!ok) await new Promise((r) => call.once("drain", r));
      }
      call.write(eventBytes(n + 1, "turn_ended", { turn_id: "turn_baseline", stop_reason: "end_turn" }));
      call.end();
    },
  });
  const grpcPort = await bind(server, serverCreds(certDir));
  const client = new grpc.Client(
    `127.0.0.1:${grpcPort}`,
    grpc.credentials.createSsl(readFileSync(caCert)),
    clientChannelOptions(),
  );
  const httpServer = http.createServer((req, res) => {
    const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? 0);
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.write(": connected\n\n");
    const call = client.makeServerStreamRequest(
      "/bench.Stream/Watch",
      identity,
      identity,
      Buffer.from(String(n)),
      new grpc.Metadata(),
      {},
    );
    call.on("data", (b: Buffer) => {
      const e = JSON.parse(b.toString("utf8")) as {
        agent_seq: number;
        kind: string;
        data: unknown;
        at_ms: number;
      };
      const at = new Date(e.at_ms).toISOString();
      res.write(
        `id: ${e.agent_seq}\nevent: ${e.kind}\ndata: ${JSON.stringify({ seq: e.agent_seq, kind: e.kind, data: e.data, at })}\n\n`,
      );
    });
    call.on("end", () => res.end());
    call.on("error", () => res.end());
    req.on("close", () => call.cancel());
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
  const addr = httpServer.address();
  process.stdout.write(`listening ${typeof addr === "object" && addr ? addr.port : 0}\n`);
  process.once("SIGTERM", () => httpServer.close());
  return server;
}

const [mode, certDir, caCert] = process.argv.slice(2);
if (!certDir) throw new Error("usage: baseline-server.js echo|stream <certDir> [caCert]");
const server =
  mode === "echo" ? await echo(certDir) : await stream(certDir, caCert ?? join(certDir, "ca.crt"));
process.once("SIGTERM", () => {
  server.tryShutdown(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
