import { describe, expect, it } from "vitest";
import { humanActorId, isHumanActor, resolveRecipients } from "../../src/domain/mailbox-routing.js";
import { validateTeamInput } from "../../src/domain/team-spec.js";
import { AppError } from "../../src/errors/registry.js";

const { spec } = validateTeamInput("t", {
  leader_member_id: "lead",
  members: [{ member_id: "lead" }, { member_id: "w1" }, { member_id: "w2" }],
});
const noLeader = validateTeamInput("t", {
  members: [{ member_id: "a" }, { member_id: "b" }],
  permissions: { route: "to_human" },
}).spec;

function error(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected an error");
}

describe("resolveRecipients", () => {
  it("broadcasts to every member but the sender", () => {
    expect(resolveRecipients({ route: "broadcast", from_actor_id: "w1" }, spec)).toEqual(["lead", "w2"]);
    expect(resolveRecipients({ route: "broadcast", from_actor_id: "human:ann" }, spec)).toEqual([
      "lead",
      "w1",
      "w2",
    ]);
  });

  it("sends to_leader to the leader, and refuses it without one", () => {
    expect(resolveRecipients({ route: "to_leader", from_actor_id: "w2" }, spec)).toEqual(["lead"]);
    expect(error(() => resolveRecipients({ route: "to_leader", from_actor_id: "a" }, noLeader))).toEqual({
      code: "ROUTE_REQUIRES_LEADER",
      message: "route=to_leader requires a leader member in spec.members",
    });
  });

  it("sends to_member to the named member", () => {
    expect(resolveRecipients({ route: "to_member", from_actor_id: "lead", to_actor_id: "w2" }, spec)).toEqual(
      ["w2"],
    );
  });

  it("requires to_actor_id for to_member", () => {
    for (const to of [undefined, ""]) {
      expect(
        error(() => resolveRecipients({ route: "to_member", from_actor_id: "lead", to_actor_id: to }, spec)),
      ).toEqual({
        code: "TO_ACTOR_REQUIRED",
        message: "to_actor_id is required when route=to_member",
      });
    }
  });

  it("names an unknown recipient", () => {
    expect(
      error(() =>
        resolveRecipients({ route: "to_member", from_actor_id: "lead", to_actor_id: "ghost" }, spec),
      ),
    ).toEqual({
      code: "UNKNOWN_MEMBER",
      message: 'unknown member "ghost"',
    });
  });

  it("refuses other routes before anything else", () => {
    for (const route of ["", "to_human", "BROADCAST"]) {
      expect(error(() => resolveRecipients({ route, from_actor_id: "ghost" }, spec))).toEqual({
        code: "INVALID_ROUTE",
        message: "route must be one of: broadcast, to_leader, to_member",
      });
    }
  });

  it("accepts members and human:<name> as senders, nobody else", () => {
    const e = error(() => resolveRecipients({ route: "broadcast", from_actor_id: "stranger" }, spec));
    expect(e.code).toBe("UNKNOWN_MEMBER");
    expect(e.message).toMatch(/^unknown member "stranger"/);
    expect(error(() => resolveRecipients({ route: "broadcast", from_actor_id: "human:" }, spec)).code).toBe(
      "UNKNOWN_MEMBER",
    );
  });
});

describe("human actors", () => {
  it("round-trips a username", () => {
    expect(humanActorId("ann")).toBe("human:ann");
    expect(isHumanActor(humanActorId("ann"))).toBe(true);
    expect(isHumanActor("lead")).toBe(false);
  });
});
