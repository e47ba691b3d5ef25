import { describe, expect, it } from "vitest";
import {
  agentChoiceRefusal,
  autoAllow,
  DEFAULT_AUTO_ALLOW,
  policyOf,
  timeoutOutcome,
} from "../../src/domain/permission-policy.js";
import { validateTeamInput } from "../../src/domain/team-spec.js";
import { isAppError } from "../../src/errors/registry.js";

const MEMBERS = [{ member_id: "lead" }, { member_id: "impl" }];

function spec(permissions: unknown) {
  return validateTeamInput("t", { leader_member_id: "lead", members: MEMBERS, permissions }).spec;
}

/** The messages of the problems a spec's permissions get. */
function problems(permissions: unknown): string[] {
  try {
    spec(permissions);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return ((err.details?.errors ?? []) as { message: string }[]).map((e) => e.message);
  }
  return [];
}

const ONCE = [
  { option_id: "allow-once", kind: "allow_once" },
  { option_id: "allow-always", kind: "allow_always" },
  { option_id: "reject", kind: "reject_once" },
];
/** Gemini's order: allow_always first. */
const GEMINI = [
  { option_id: "proceed_always", kind: "allow_always" },
  { option_id: "proceed_once", kind: "allow_once" },
  { option_id: "cancel", kind: "reject_once" },
];

describe("spec.permissions", () => {
  it("fills in the default policy: reject on timeout, agents never allow_always, actor calls allowed", () => {
    expect(spec(undefined).permissions).toEqual({
      route: "to_leader",
      agent_may_allow_always: false,
      on_timeout: "reject",
      auto_allow: [{ name: "actor_calls", member: "*", actor_call: true }],
    });
    // A spec stored before these keys existed gets the same policy.
    expect(policyOf({ route: "to_human" })).toEqual({
      ...policyOf(spec(undefined).permissions),
      route: "to_human",
    });
  });

  it("keeps what is given; an empty auto_allow list turns automatic answers off", () => {
    const p = spec({
      route: "to_human",
      agent_may_allow_always: true,
      on_timeout: "allow",
      auto_allow: [],
    }).permissions;
    expect(p).toEqual({
      route: "to_human",
      agent_may_allow_always: true,
      on_timeout: "allow",
      auto_allow: [],
    });
  });

  it("refuses unknown keys and values with the closest known one", () => {
    expect(
      problems({
        on_timout: "reject",
        on_timeout: "alow",
        auto_allow: [{ member: "imlp", tool_kind: "exec", titel_matches: "x" }],
      }),
    ).toEqual([
      'spec.permissions.on_timout: unknown key; did you mean "on_timeout"?',
      'spec.permissions.on_timeout must be one of: reject, allow (did you mean "allow"?)',
      'spec.permissions.auto_allow[0].titel_matches: unknown key; did you mean "title_matches"?',
      'spec.permissions.auto_allow[0].member "imlp" is not a member of the team (did you mean "impl"?); use a member_id or "*"',
      "spec.permissions.auto_allow[0].tool_kind must be one of: read, edit, delete, move, search, execute, think, fetch, switch_mode, other",
    ]);
  });

  it("refuses a broken regular expression, a missing member, a non-boolean flag and duplicate names", () => {
    expect(
      problems({
        agent_may_allow_always: "yes",
        auto_allow: [
          { member: "*", title_matches: "(" },
          { tool_kind: "read" },
          { name: "r", member: "*", actor_call: false },
          { name: "s", member: "lead" },
          { name: "s", member: "impl" },
        ],
      }),
    ).toEqual([
      "spec.permissions.agent_may_allow_always must be true or false",
      expect.stringMatching(
        /^spec\.permissions\.auto_allow\[0\]\.title_matches is not a valid regular expression/,
      ),
      'spec.permissions.auto_allow[1].member is required: a member_id, or "*" for every member',
      "spec.permissions.auto_allow[2].actor_call must be true (leave it out to match any tool call)",
      'spec.permissions.auto_allow[4].name "s" is used twice',
    ]);
  });
});

describe("automatic answers", () => {
  const policy = policyOf(
    spec({
      auto_allow: [
        { name: "tests", member: "impl", tool_kind: "execute", title_matches: "^npm test$" },
        ...DEFAULT_AUTO_ALLOW,
      ],
    }).permissions,
  );

  it("allow once (never always) when a rule matches, naming the rule", () => {
    expect(autoAllow(policy, "impl", { kind: "execute", title: "npm test" }, GEMINI)).toEqual({
      rule: "tests",
      option_id: "proceed_once",
    });
    expect(
      autoAllow(
        policy,
        "lead",
        { kind: "execute", title: "x", rawInput: { command: "agenthub actor inbox" } },
        ONCE,
      ),
    ).toEqual({ rule: "actor_calls", option_id: "allow-once" });
  });

  it("leave everything else to the reviewer", () => {
    expect(autoAllow(policy, "lead", { kind: "execute", title: "npm test" }, ONCE)).toBeNull();
    expect(autoAllow(policy, "impl", { kind: "execute", title: "npm test && rm -rf /" }, ONCE)).toBeNull();
    expect(autoAllow(policy, "impl", { kind: "edit", title: "npm test" }, ONCE)).toBeNull();
    // Without an allow_once option a rule cannot answer (it would have to allow always).
    expect(
      autoAllow(policy, "impl", { kind: "execute", title: "npm test" }, [GEMINI[0]!, GEMINI[2]!]),
    ).toBeNull();
    expect(
      autoAllow(
        policyOf({ route: "to_leader", auto_allow: [] }),
        "lead",
        { kind: "execute", title: "agenthub actor inbox" },
        ONCE,
      ),
    ).toBeNull();
  });

  it("an unnamed rule is named by its index", () => {
    const p = policyOf({ route: "to_leader", auto_allow: [{ member: "*", tool_kind: "read" }] });
    expect(autoAllow(p, "impl", { kind: "read", title: "Read x" }, ONCE)?.rule).toBe("auto_allow[0]");
  });
});

describe("what a reviewing agent may choose, and the timeout answer", () => {
  it("allow_always is for humans unless agent_may_allow_always", () => {
    const strict = policyOf(undefined);
    expect(agentChoiceRefusal(strict, GEMINI[0]!)).toContain(
      "spec.permissions.agent_may_allow_always is false",
    );
    expect(agentChoiceRefusal(strict, GEMINI[1]!)).toBeNull();
    expect(agentChoiceRefusal(strict, GEMINI[2]!)).toBeNull();
    expect(
      agentChoiceRefusal(policyOf({ route: "to_leader", agent_may_allow_always: true }), GEMINI[0]!),
    ).toBeNull();
  });

  it("a timeout rejects by default, allows once with on_timeout allow, by kind whatever the order", () => {
    expect(timeoutOutcome(policyOf(undefined), GEMINI)).toEqual({ option_id: "cancel" });
    const allow = policyOf({ route: "to_leader", on_timeout: "allow" });
    expect(timeoutOutcome(allow, GEMINI)).toEqual({ option_id: "proceed_once" });
    expect(timeoutOutcome(allow, [GEMINI[0]!, GEMINI[2]!])).toEqual({ option_id: "cancel" });
    expect(
      timeoutOutcome(policyOf(undefined), [
        { option_id: "never", kind: "reject_always" },
        { option_id: "no", kind: "reject_once" },
      ]),
    ).toEqual({ option_id: "no" });
    expect(timeoutOutcome(policyOf(undefined), [GEMINI[1]!])).toEqual({ cancelled: true });
  });
});
