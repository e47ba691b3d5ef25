import { readFile } from "node:fs/promises";
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, startAuthority } from "./fixtures.js";

let fx: Fixture;
let creds: grpc.ChannelCredentials;
beforeAll(async () => {
  fx = await startAuthority("tls");
  creds = grpc.credentials.createSsl(await readFile(fx.paths.caCert));
});
afterAll(() => fx.close());

describe("stock gRPC clients (no project adapter)", () => {
  it("call grpc.health.v1.Health/Check", async () => {
    const Health = grpc.makeGenericClientConstructor(healthService, "Health");
    const client = new Health(fx.target, creds);
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) => {
        client.makeUnaryRequest(
          "/grpc.health.v1.Health/Check",
          (m: { service: string }) => healthService.Check!.requestSerialize(m),
          (b: Buffer) => healthService.Check!.responseDeserialize(b) as { status: string },
          { service },
          { deadline: Date.now() + 5_000 },
          (err, res) => (err || !res ? reject(err) : resolve(res)),
        );
      });
    try {
      expect((await check("")).status).toBe("SERVING");
      expect((await check("agenthub.internal.v1.AuthorityService")).status).toBe("SERVING");
    } finally {
      client.close();
    }
  });

  it("list services and fetch descriptors through server reflection", async () => {
    // grpc.reflection.v1.ServerReflection, messages hand-encoded: a client with no generated code.
    const client = new grpc.Client(fx.target, creds);
    const call = client.makeBidiStreamRequest(
      "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      (req: { field: number; value: string }) =>
        Buffer.from(
          new BinaryWriter()
            .uint32((req.field << 3) | 2)
            .string(req.value)
            .finish(),
        ),
      (b: Buffer) => b,
    );
    const responses: Buffer[] = [];
    call.on("data", (b: Buffer) => responses.push(b));
    const ended = new Promise<void>((resolve, reject) => {
      call.on("end", resolve);
      call.on("error", reject);
    });
    call.write({ field: 7, value: "*" }); // list_services
    call.write({ field: 4, value: "agenthub.internal.v1.AuthorityService" }); // file_containing_symbol
    call.end();
    await ended;
    client.close();

    const fieldsOf = (buf: Uint8Array) => {
      const out: Record<number, Uint8Array[]> = {};
      const r = new BinaryReader(buf);
      while (r.pos < r.len) {
        const [no, type] = r.tag();
        if (type !== 2) {
          r.skip(type);
          continue;
        }
        const list = out[no] ?? [];
        list.push(r.bytes());
        out[no] = list;
      }
      return out;
    };
    expect(responses).toHaveLength(2);
    const list = fieldsOf(fieldsOf(responses[0]!)[6]![0]!); // ListServiceResponse
    const names = (list[1] ?? []).map((s) => new TextDecoder().decode(fieldsOf(s)[1]![0]!));
    expect(names).toContain("agenthub.internal.v1.AuthorityService");

    const files = fieldsOf(fieldsOf(responses[1]!)[4]![0]!)[1] ?? []; // FileDescriptorResponse
    const decoded = files.map((f) => fromBinary(FileDescriptorProtoSchema, f));
    const authority = decoded.find((f) => f.name === "agenthub/internal/v1/authority.proto");
    expect(authority?.service[0]?.method.map((m) => m.name)).toContain("RespondPermissionReview");
    expect(decoded.map((f) => f.name)).toContain("google/protobuf/struct.proto");
  });
});
