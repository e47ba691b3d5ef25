import type { GenEnum } from "@bufbuild/protobuf/codegenv2";
import { describe, expect, it } from "vitest";
import { AGENT_STATUSES } from "../../src/contracts/agent-states.js";
import { ROUTES } from "../../src/domain/mailbox-routing.js";
import { TASK_STATUSES } from "../../src/domain/task-state.js";
import {
  DeliveryStatusSchema,
  MemberRoleSchema,
  RouteSchema,
  TaskStatusSchema,
} from "../../src/gen/agenthub/internal/v1/authority_pb.js";
import { AgentStateSchema, WorktreeModeSchema } from "../../src/gen/agenthub/internal/v1/node_pb.js";
import {
  agentStateCodec,
  deliveryStatusCodec,
  type EnumCodec,
  memberRoleCodec,
  routeCodec,
  taskStatusCodec,
  worktreeModeCodec,
} from "../../src/grpc/enum-codecs.js";

const CODECS: [string, EnumCodec<string, number>, GenEnum<number>, readonly string[]][] = [
  ["Route", routeCodec, RouteSchema, ROUTES],
  ["TaskStatus", taskStatusCodec, TaskStatusSchema, TASK_STATUSES],
  ["DeliveryStatus", deliveryStatusCodec, DeliveryStatusSchema, ["pending", "delivered", "acked"]],
  ["MemberRole", memberRoleCodec, MemberRoleSchema, ["leader", "worker"]],
  ["WorktreeMode", worktreeModeCodec, WorktreeModeSchema, ["use_existing", "create_worktree"]],
  ["AgentState", agentStateCodec, AgentStateSchema, AGENT_STATUSES.filter((s) => s !== "created")],
];

describe.each(CODECS)("%s codec", (_name, codec, schema, vocabulary) => {
  const specified = schema.values.map((v) => v.number).filter((n) => n !== 0);

  it("names exactly the vocabulary the rest of the code uses", () => {
    expect([...codec.names].sort()).toEqual([...vocabulary].sort());
  });

  it("round-trips every name through a distinct specified enum value", () => {
    const encoded = codec.names.map((n) => codec.encode(n));
    expect(new Set(encoded).size).toBe(codec.names.length);
    for (const [i, name] of codec.names.entries()) {
      expect(specified).toContain(encoded[i]);
      expect(codec.decode(encoded[i]!)).toBe(name);
      expect(codec.has(name)).toBe(true);
    }
  });

  it("decodes every value of the proto enum but UNSPECIFIED, and re-encodes it unchanged", () => {
    for (const value of specified) {
      const name = codec.decode(value);
      expect(name, `enum value ${value}`).toBeDefined();
      expect(codec.encode(name!)).toBe(value);
    }
    expect(codec.decode(0)).toBeUndefined();
    expect(codec.decode(9999)).toBeUndefined();
    expect(codec.has("UNSPECIFIED")).toBe(false);
    expect(codec.has("toString")).toBe(false);
  });
});
