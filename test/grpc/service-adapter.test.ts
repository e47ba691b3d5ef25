import { once } from "node:events";
import type { JsonObject } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors/registry.js";
import { type AgentEvent, NodeService } from "../../src/gen/agenthub/internal/v1/node_pb.js";
import { GrpcServer } from "../../src/grpc/grpc-server.js";
import { serviceDefinition } from "../../src/grpc/service-adapter.js";
import { makeClient, type TypedClient } from "../../src/grpc/typed-client.js";
import { failure, stubService } from "./fixtures.js";

type NodeMethods = (typeof NodeService)["method"];

/** A NodeService stub over an in-memory event list; live events are pushed with `emit`. */
function eventSource() {
  const events: Omit<AgentEvent, "$typeName">[] = [];
  const live = new EventTarget();
  const aborted = new EventTarget();
  const emit = (kind: string, data: JsonObject) => {
    const seq = BigInt(events.length + 1);
    events.push({ seq, agentId: "a1", agentSeq: seq, kind, atMs: BigInt(Date.now()), data });
    live.dispatchEvent(new Event("event"));
  };
  const impl = stubService<NodeMethods, undefined>(NodeService, {
    getInfo: () => ({ nodeId: "node-01", version: "0.1.0", safePaths: ["/srv"] }),
    startAgent: async (_req, ctx) => {
      // Never answers: lets the test observe the deadline and the server-side abort.
      await once(ctx.signal, "abort");
      aborted.dispatchEvent(new Event("aborted"));
      return {};
    },
    async *watchEvents(req, ctx) {
      if (req.fromSeq > 1000n) throw new AppError("BAD_REQUEST", { from_seq: String(req.fromSeq) });
      let next = Number(req.fromSeq);
      while (!ctx.signal.aborted) {
        while (next < events.length) yield { event: events[next++] };
        await Promise.race([once(live, "event"), once(ctx.signal, "abort")]).catch(() => undefined);
      }
      aborted.dispatchEvent(new Event("aborted"));
    },
  });
  return { impl, emit, aborted };
}

let server: GrpcServer | undefined;
let client: TypedClient<NodeMethods> | undefined;
afterEach(async () => {
  client?.close();
  await server?.shutdown(1_000);
  server = client = undefined;
});

async function start() {
  const src = eventSource();
  server = new GrpcServer().addService(NodeService, src.impl);
  const port = await server.listen("127.0.0.1:0", grpc.ServerCredentials.createInsecure());
  client = makeClient(NodeService, `127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    defaultDeadlineMs: 300,
  });
  return { ...src, client };
}

describe("service adapter", () => {
  it("builds grpc-js definitions with /pkg.Service/Method paths and stream flags", () => {
    const def = serviceDefinition(NodeService);
    expect(def.getInfo?.path).toBe("/agenthub.internal.v1.NodeService/GetInfo");
    expect(def.watchEvents?.responseStream).toBe(true);
    expect(def.watchEvents?.requestStream).toBe(false);
    expect(def.ackEvents?.responseStream).toBe(false);
  });

  it("unary calls round-trip typed messages", async () => {
    const { client } = await start();
    const info = await client.getInfo({});
    expect(info.nodeId).toBe("node-01");
    expect(info.safePaths).toEqual(["/srv"]);
  });

  it("every unary call has a deadline; the server handler sees the abort", async () => {
    const { client, aborted } = await start();
    const seen = once(aborted, "aborted");
    const err = await failure<grpc.ServiceError>(client.startAgent({ agentId: "a1" }));
    expect(err.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await seen;
  });

  it("server streaming replays from from_seq, then delivers live events, and cancels cleanly", async () => {
    const { client, emit, aborted } = await start();
    emit("session_update", { text: "one" });
    emit("session_update", { text: "two" });
    const stream = client.watchEvents({ fromSeq: 1n });
    const got: { seq: bigint; data: unknown }[] = [];
    const seen = once(aborted, "aborted");
    for await (const res of stream) {
      got.push({ seq: res.event!.seq, data: res.event!.data });
      if (got.length === 1) emit("exit", { code: 1, nested: { ok: true } });
      if (got.length === 2) stream.cancel();
    }
    expect(got).toEqual([
      { seq: 2n, data: { text: "two" } },
      { seq: 3n, data: { code: 1, nested: { ok: true } } },
    ]);
    await seen;
  });

  it("errors thrown in a streaming handler reach the client as AppError", async () => {
    const { client } = await start();
    const iterate = async () => {
      for await (const _ of client.watchEvents({ fromSeq: 5000n })) {
        // no events expected
      }
    };
    const err = await failure<AppError>(iterate());
    expect(err).toBeInstanceOf(AppError);
    expect(err?.code).toBe("BAD_REQUEST");
    expect(err?.details?.from_seq).toBe("5000");
  });

  it("unimplemented-by-stub methods fail with their mapped status", async () => {
    const { client } = await start();
    const err = await failure<AppError>(client.ackEvents({ upToSeq: 1n }));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.details?.grpc_status).toBe(grpc.status.NOT_FOUND);
  });
});
