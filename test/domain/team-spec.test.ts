import { describe, expect, it } from "vitest";
import { validateTeamInput } from "../../src/domain/team-spec.js";
import { AppError } from "../../src/errors/registry.js";

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      { member_id: "lead", role: "leader", description: "plans", skills: ["go"] },
      { member_id: "impl", role: "worker", description: "builds", skills: [] },
    ],
    entrypoint: { member_id: "lead", prompt: "go" },
    ...extra,
  };
}

/** Runs validation expecting failure; returns the error's code, message and all problems. */
function failure(name: unknown, spec: unknown) {
  try {
    validateTeamInput(name, spec);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    const errors = (e.details?.errors ?? []) as { field: string; message: string }[];
    return {
      code: e.code,
      status: e.status,
      message: e.message,
      errors,
      messages: errors.map((x) => x.message),
    };
  }
  throw new Error("expected validation to fail");
}

describe("validateTeamInput: contract messages", () => {
  it.each([
    ["missing name", undefined, base(), "TEAM_NAME_REQUIRED", "team name is required"],
    ["blank name", "  ", base(), "TEAM_NAME_REQUIRED", "team name is required"],
    ["spec not an object", "t", "nope", "SPEC_NOT_OBJECT", "spec must be an object"],
    ["spec is an array", "t", [], "SPEC_NOT_OBJECT", "spec must be an object"],
    ["members not an array", "t", base({ members: "x" }), "SPEC_INVALID", "spec.members must be an array"],
    ["members empty", "t", base({ members: [] }), "SPEC_INVALID", "spec.members must not be empty"],
    [
      "member without id",
      "t",
      base({ members: [{ role: "leader" }] }),
      "SPEC_INVALID",
      "spec.members[].member_id is required",
    ],
    [
      "leader not defined",
      "t",
      base({ leader_member_id: "ghost" }),
      "SPEC_INVALID",
      "spec.leader_member_id must reference a defined member",
    ],
    [
      "empty depends_on entry",
      "t",
      base({ steps: [{ step_key: "s", member_id: "lead", depends_on: [""] }] }),
      "SPEC_INVALID",
      "spec.steps[].depends_on entries must be non-empty strings",
    ],
    [
      "depends_on not an array",
      "t",
      base({ steps: [{ step_key: "s", member_id: "lead", depends_on: "x" }] }),
      "SPEC_INVALID",
      "spec.steps[].depends_on entries must be non-empty strings",
    ],
    [
      "to_leader without a leader",
      "t",
      { members: [{ member_id: "a" }, { member_id: "b" }], permissions: { route: "to_leader" } },
      "ROUTE_REQUIRES_LEADER",
      "route=to_leader requires a leader member in spec.members",
    ],
    [
      "default route without a leader",
      "t",
      { members: [{ member_id: "a" }] },
      "ROUTE_REQUIRES_LEADER",
      "route=to_leader requires a leader member in spec.members",
    ],
    [
      "to_member with a worker reviewer",
      "t",
      base({ permissions: { route: "to_member", reviewer_member_id: "impl" } }),
      "REVIEW_ROUTE_TO_WORKER",
      "worker-originated permission review cannot route to worker",
    ],
    [
      "route naming a worker",
      "t",
      base({ permissions: { route: "impl" } }),
      "REVIEW_ROUTE_TO_WORKER",
      "worker-originated permission review cannot route to worker",
    ],
    [
      "missing step_key",
      "t",
      base({ steps: [{ member_id: "lead" }] }),
      "STEP_KEY_REQUIRED",
      "step_key is required",
    ],
  ])("%s", (_label, name, spec, code, message) => {
    const f = failure(name, spec);
    expect([f.code, f.status, f.message]).toEqual([code, 400, message]);
    expect(f.messages[0]).toBe(message);
  });
});

describe("validateTeamInput: other spec problems (SPEC_INVALID)", () => {
  it.each([
    [
      "duplicate member ids",
      base({ members: [{ member_id: "lead", role: "leader" }, { member_id: "lead" }] }),
      'duplicate member_id "lead"',
    ],
    ["spec_version 2", base({ spec_version: 2 }), "spec.spec_version must be 1 (got 2)"],
    [
      "duplicate step keys",
      base({
        steps: [
          { step_key: "s", member_id: "lead" },
          { step_key: "s", member_id: "impl" },
        ],
      }),
      'duplicate step_key "s"',
    ],
    [
      "undefined step member",
      base({ steps: [{ step_key: "s", member_id: "ghost" }] }),
      'step "s" names undefined member "ghost"',
    ],
    ["step without member", base({ steps: [{ step_key: "s" }] }), "spec.steps[].member_id is required"],
    [
      "unknown dependency",
      base({ steps: [{ step_key: "s", member_id: "lead", depends_on: ["nope"] }] }),
      'step "s" depends on unknown step "nope"',
    ],
    [
      "self dependency",
      base({ steps: [{ step_key: "s", member_id: "lead", depends_on: ["s"] }] }),
      'step "s" depends on itself',
    ],
    [
      "entrypoint member undefined",
      base({ entrypoint: { member_id: "ghost", prompt: "x" } }),
      "spec.entrypoint.member_id must reference a defined member",
    ],
    [
      "leader_member_id names a worker-role member",
      base({ leader_member_id: "impl" }),
      'member "impl" is spec.leader_member_id but has role "worker"',
    ],
    [
      "two leaders without leader_member_id",
      base({
        leader_member_id: undefined,
        members: [
          { member_id: "a", role: "leader" },
          { member_id: "b", role: "leader" },
        ],
        entrypoint: undefined,
      }),
      'only one member may have role "leader" (found "a", "b")',
    ],
    [
      "unknown route",
      base({ permissions: { route: "anywhere" } }),
      "spec.permissions.route must be one of: to_leader, to_human",
    ],
    [
      "bad role",
      base({ members: [{ member_id: "lead", role: "boss" }] }),
      'spec.members[0].role must be "leader" or "worker"',
    ],
    [
      "unsafe member id",
      base({ members: [{ member_id: "human:bob" }] }),
      'spec.members[0].member_id must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    [
      "bad worktree mode",
      base({ members: [{ member_id: "lead", agent: { worktree_mode: "clone" } }] }),
      "spec.members[0].agent.worktree_mode must be one of: use_existing, create_worktree",
    ],
    [
      "non-string agent args",
      base({ members: [{ member_id: "lead", agent: { args: [1] } }] }),
      "spec.members[0].agent.args must be an array of strings",
    ],
    [
      "non-positive timeout",
      base({ steps: [{ step_key: "s", member_id: "lead", timeout_seconds: 0 }] }),
      "spec.steps[0].timeout_seconds must be a positive number",
    ],
  ])("%s", (_label, spec, message) => {
    const f = failure("t", spec);
    expect(f.code).toBe("SPEC_INVALID");
    expect(f.messages).toContain(message);
  });

  it("names a dependency cycle in depends-on order", () => {
    const f = failure(
      "t",
      base({
        steps: [
          { step_key: "a", member_id: "lead", depends_on: ["b"] },
          { step_key: "b", member_id: "impl", depends_on: ["c"] },
          { step_key: "c", member_id: "impl", depends_on: ["a"] },
        ],
      }),
    );
    expect(f.messages).toEqual(["dependency cycle: a -> b -> c -> a"]);
    expect(f.errors[0]?.field).toBe("spec.steps");
  });

  it("reports every problem with its field, the first one as the error", () => {
    const f = failure("", {
      spec_version: 3,
      leader_member_id: "ghost",
      members: [{ member_id: "a" }, { member_id: "a" }, {}],
      steps: [
        { step_key: "x", member_id: "nobody", depends_on: ["x", "y", "zzz"] },
        { step_key: "y", member_id: "a", depends_on: ["x"] },
      ],
    });
    expect(f.code).toBe("TEAM_NAME_REQUIRED");
    expect(f.message).toBe("team name is required");
    expect(f.errors.slice(0, 7)).toEqual([
      { field: "name", message: "team name is required" },
      { field: "spec.spec_version", message: "spec.spec_version must be 1 (got 3)" },
      { field: "spec.members[1].member_id", message: 'duplicate member_id "a"' },
      { field: "spec.members[2].member_id", message: "spec.members[].member_id is required" },
      { field: "spec.leader_member_id", message: "spec.leader_member_id must reference a defined member" },
      { field: "spec.steps[0].member_id", message: 'step "x" names undefined member "nobody"' },
      { field: "spec.steps[0].depends_on", message: 'step "x" depends on itself' },
    ]);
    expect(f.errors).toContainEqual({
      field: "spec.steps[0].depends_on",
      message: 'step "x" depends on unknown step "zzz"',
    });
    expect(f.messages).toContain("dependency cycle: x -> y -> x");
    // A leader problem already explains the missing leader; no follow-up route error.
    expect(f.messages).not.toContain("route=to_leader requires a leader member in spec.members");
  });
});

describe("validateTeamInput: normalized result", () => {
  it("fills defaults, infers roles and freezes the spec", () => {
    const { name, spec } = validateTeamInput("  team  ", {
      members: [
        { member_id: "lead", role: "leader" },
        { member_id: "w", agent: { command: "x" } },
      ],
      steps: [{ step_key: "s", member_id: "w" }],
    });
    expect(name).toBe("team");
    expect(spec).toEqual({
      spec_version: 1,
      leader_member_id: "lead",
      members: [
        { member_id: "lead", role: "leader", description: "", skills: [] },
        { member_id: "w", role: "worker", description: "", skills: [], agent: { command: "x" } },
      ],
      steps: [{ step_key: "s", member_id: "w", prompt: "", depends_on: [] }],
      permissions: {
        route: "to_leader",
        agent_may_allow_always: false,
        on_timeout: "reject",
        auto_allow: [{ name: "actor_calls", member: "*", actor_call: true }],
      },
    });
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.members[0])).toBe(true);
    expect(Object.isFrozen(spec.steps?.[0]?.depends_on)).toBe(true);
  });

  it("makes leader_member_id's member the leader when its role is missing", () => {
    const { spec } = validateTeamInput(
      "t",
      base({ members: [{ member_id: "lead" }, { member_id: "impl" }] }),
    );
    expect(spec.members.map((m) => m.role)).toEqual(["leader", "worker"]);
  });

  it("keeps a full agent spec and a to_human team needs no leader", () => {
    const agent = {
      provider: "codex",
      command: "codex-acp",
      args: ["--x"],
      env: { A: "1" },
      node_id: "node-01",
      worktree_mode: "create_worktree",
      worktree_repo: "/repo",
      worktree_ref: "main",
      workdir: "/w",
    };
    const { spec } = validateTeamInput("t", {
      members: [{ member_id: "solo", agent }],
      permissions: { route: "to_human" },
    });
    expect(spec.members[0]?.agent).toEqual(agent);
    expect(spec.leader_member_id).toBeUndefined();
    expect(spec.permissions.route).toBe("to_human");
  });

  it("does not alias the caller's arrays", () => {
    const skills = ["a"];
    const { spec } = validateTeamInput("t", base({ members: [{ member_id: "lead", skills }] }));
    skills.push("b");
    expect(spec.members[0]?.skills).toEqual(["a"]);
  });
});

describe("validateTeamInput: strict specs (unknown keys and providers are refused)", () => {
  it.each([
    [
      "a step prompt typo",
      base({ steps: [{ step_key: "s", member_id: "lead", promt: "go" }] }),
      "spec.steps[0].promt",
      'spec.steps[0].promt: unknown key; did you mean "prompt"?',
    ],
    [
      "depends_on without its underscore",
      base({
        steps: [
          { step_key: "a", member_id: "lead" },
          { step_key: "b", member_id: "impl", dependson: ["a"] },
        ],
      }),
      "spec.steps[1].dependson",
      'spec.steps[1].dependson: unknown key; did you mean "depends_on"?',
    ],
    [
      "camelCase dependsOn",
      base({ steps: [{ step_key: "a", member_id: "lead", dependsOn: [] }] }),
      "spec.steps[0].dependsOn",
      'spec.steps[0].dependsOn: unknown key; did you mean "depends_on"?',
    ],
    [
      "a transposed member agent",
      base({ members: [{ member_id: "lead", agnet: { provider: "scripted" } }] }),
      "spec.members[0].agnet",
      'spec.members[0].agnet: unknown key; did you mean "agent"?',
    ],
    [
      "an agent field typo",
      base({ members: [{ member_id: "lead", agent: { provider: "scripted", workdri: "/w" } }] }),
      "spec.members[0].agent.workdri",
      'spec.members[0].agent.workdri: unknown key; did you mean "workdir"?',
    ],
    [
      "a top-level typo",
      base({ permisions: { route: "to_human" } }),
      "spec.permisions",
      'spec.permisions: unknown key; did you mean "permissions"?',
    ],
    [
      "an entrypoint typo",
      base({ entrypoint: { member_id: "lead", promtp: "go" } }),
      "spec.entrypoint.promtp",
      'spec.entrypoint.promtp: unknown key; did you mean "prompt"?',
    ],
    [
      "a permissions typo",
      base({ permissions: { rout: "to_human" } }),
      "spec.permissions.rout",
      'spec.permissions.rout: unknown key; did you mean "route"?',
    ],
    [
      "a key nothing is close to",
      base({ members: [{ member_id: "lead", agent: { command: "x", extra: 1 } }] }),
      "spec.members[0].agent.extra",
      "spec.members[0].agent.extra: unknown key (known keys: provider, command, args, env, node_id, worktree_mode, workdir, worktree_repo, worktree_ref, mode, model, config_options, mcp_servers)",
    ],
    [
      "a key that is not an identifier",
      base({ "odd key": 1 }),
      'spec["odd key"]',
      'spec["odd key"]: unknown key (known keys: spec_version, leader_member_id, members, entrypoint, steps, permissions)',
    ],
  ])("%s", (_label, spec, field, message) => {
    const f = failure("t", spec);
    expect([f.code, f.status, f.message]).toEqual(["SPEC_INVALID", 400, message]);
    expect(f.errors[0]).toEqual({ field, message });
  });

  it("reports an unknown key next to the other problems of the same spec", () => {
    const f = failure("t", base({ steps: [{ step_ky: "s", member_id: "ghost" }] }));
    expect(f.errors).toEqual([
      {
        field: "spec.steps[0].step_ky",
        message: 'spec.steps[0].step_ky: unknown key; did you mean "step_key"?',
      },
      { field: "spec.steps[0].step_key", message: "step_key is required" },
    ]);
  });

  it("refuses an unknown provider, naming the closest and the known ones", () => {
    const f = failure("t", base({ members: [{ member_id: "lead", agent: { provider: "clade" } }] }));
    expect(f.code).toBe("SPEC_INVALID");
    expect(f.errors[0]?.field).toBe("spec.members[0].agent.provider");
    expect(f.message).toBe(
      'spec.members[0].agent.provider: unknown provider "clade"; did you mean "claude"? (known: scripted, claude, codex, gemini; others are configured in [agents.providers.NAME])',
    );
    const none = failure("t", base({ members: [{ member_id: "lead", agent: { provider: "zzzzzzzz" } }] }));
    expect(none.message).not.toContain("did you mean");
    expect(
      failure("t", base({ members: [{ member_id: "lead", agent: { provider: "" } }] })).message,
    ).toContain('unknown provider ""');
  });

  it("accepts the built-in providers and the ones the hub is configured with", () => {
    for (const provider of ["scripted", "claude", "codex", "gemini"]) {
      const { spec } = validateTeamInput(
        "t",
        base({ members: [{ member_id: "lead", agent: { provider } }] }),
      );
      expect(spec.members[0]?.agent?.provider).toBe(provider);
    }
    const rules = { providers: ["scripted", "claude", "codex", "gemini", "my-acp"] };
    const mine = base({ members: [{ member_id: "lead", agent: { provider: "my-acp" } }] });
    expect(validateTeamInput("t", mine, rules).spec.members[0]?.agent?.provider).toBe("my-acp");
    expect(() => validateTeamInput("t", mine)).toThrow(/unknown provider "my-acp"/);
    const typo = failure("t", base({ members: [{ member_id: "lead", agent: { provider: "my-apc" } }] }));
    expect(typo.message).not.toContain("my-acp");
  });

  it("refuses a reviewer_member_id that the route would ignore", () => {
    const f = failure("t", base({ permissions: { route: "to_leader", reviewer_member_id: "lead" } }));
    expect(f.errors[0]?.field).toBe("spec.permissions.reviewer_member_id");
  });

  it("refuses NUL bytes anywhere, with their path", () => {
    const f = failure(
      "t",
      base({
        members: [
          {
            member_id: "lead",
            agent: { provider: "scripted", workdir: "/w\u0000x", env: { "A\u0000": "1" } },
          },
        ],
        entrypoint: { member_id: "lead", prompt: "go\u0000" },
      }),
    );
    expect(f.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(["spec.members[0].agent.workdir", "spec.entrypoint.prompt"]),
    );
    expect(f.messages).toContain("spec.members[0].agent.workdir must not contain NUL bytes");
    expect(failure("a\u0000b", base()).errors[0]).toEqual({
      field: "name",
      message: "team name must not contain NUL bytes",
    });
  });

  it("refuses paths longer than the OS takes and names longer than 200 characters", () => {
    const f = failure(
      "t",
      base({
        members: [{ member_id: "lead", agent: { provider: "scripted", workdir: `/${"a".repeat(5000)}` } }],
      }),
    );
    expect(f.errors[0]).toEqual({
      field: "spec.members[0].agent.workdir",
      message: "spec.members[0].agent.workdir is longer than 4095 bytes (the OS path limit)",
    });
    expect(failure("x".repeat(1_000_000), base()).errors[0]).toEqual({
      field: "name",
      message: "team name must be at most 200 characters",
    });
  });

  it("refuses environment names a process cannot take", () => {
    const f = failure("t", base({ members: [{ member_id: "lead", agent: { env: { "A=B": "1" } } }] }));
    expect(f.errors[0]?.field).toBe('spec.members[0].agent.env["A=B"]');
  });

  it("keeps at most 100 problems and counts the rest", () => {
    const keys = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    try {
      validateTeamInput("t", base(keys));
      throw new Error("expected a refusal");
    } catch (err) {
      const e = err as AppError;
      expect((e.details?.errors as unknown[] | undefined)?.length).toBe(100);
      expect(e.details?.more_errors).toBe(400);
    }
  });
});

describe("validateTeamInput: a member agent's session settings", () => {
  const withAgent = (agent: Record<string, unknown>) =>
    base({
      members: [
        { member_id: "lead", role: "leader", agent: { provider: "codex", ...agent } },
        { member_id: "impl", role: "worker" },
      ],
    });

  it("accepts mode, model, config_options and stdio mcp_servers, normalized", () => {
    const { spec } = validateTeamInput(
      "t",
      withAgent({
        mode: "read-only",
        model: "gpt-5",
        config_options: { reasoning_effort: "high", fast: true },
        mcp_servers: [
          { name: "agenthub", command: "agenthub", args: ["actor", "mcp"] },
          { name: "gh", command: "/usr/bin/gh-mcp", env: { GITHUB_TOKEN: "t" } },
        ],
      }),
    );
    expect(spec.members[0]?.agent).toEqual({
      provider: "codex",
      mode: "read-only",
      model: "gpt-5",
      config_options: { reasoning_effort: "high", fast: true },
      mcp_servers: [
        { name: "agenthub", command: "agenthub", args: ["actor", "mcp"], env: {} },
        { name: "gh", command: "/usr/bin/gh-mcp", args: [], env: { GITHUB_TOKEN: "t" } },
      ],
    });
  });

  it("refuses malformed settings, each at its path", () => {
    const f = failure(
      "t",
      withAgent({
        mode: "",
        model: 7,
        config_options: { effort: 3, "": "x", ok: "fine" },
        mcp_servers: [
          { name: "a", command: "x", extra: 1 },
          { name: "a", command: "" },
          { command: "y", args: [1], env: { "A=B": "1" } },
          "not an object",
        ],
      }),
    );
    expect(f.code).toBe("SPEC_INVALID");
    expect(f.errors.map((e) => e.field)).toEqual([
      "spec.members[0].agent.mode",
      "spec.members[0].agent.model",
      "spec.members[0].agent.config_options.effort",
      'spec.members[0].agent.config_options[""]',
      "spec.members[0].agent.mcp_servers[0].extra",
      "spec.members[0].agent.mcp_servers[1].command",
      "spec.members[0].agent.mcp_servers[2].name",
      "spec.members[0].agent.mcp_servers[2].args",
      "spec.members[0].agent.mcp_servers[2].env",
      "spec.members[0].agent.mcp_servers[3]",
    ]);
    expect(failure("t", withAgent({ mcp_servers: {} })).messages).toEqual([
      "spec.members[0].agent.mcp_servers must be an array of {name, command, args, env}",
    ]);
    expect(failure("t", withAgent({ config_options: ["a"] })).messages).toEqual([
      "spec.members[0].agent.config_options must be an object of config option ids to values (strings or booleans)",
    ]);
  });

  it("refuses two MCP servers of one name (the second would silently replace the first)", () => {
    const f = failure(
      "t",
      withAgent({
        mcp_servers: [
          { name: "a", command: "x" },
          { name: "a", command: "y" },
        ],
      }),
    );
    expect(f.messages).toEqual(['spec.members[0].agent.mcp_servers[1].name: duplicate MCP server name "a"']);
  });
});
