/** Team spec fixtures used across tests. */
export function diamondSpec() {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      { member_id: "lead", role: "leader", description: "plans", skills: [] },
      { member_id: "a", role: "worker", description: "left", skills: [] },
      { member_id: "b", role: "worker", description: "right", skills: [] },
    ],
    entrypoint: { member_id: "lead", prompt: "go" },
    steps: [
      { step_key: "plan", member_id: "lead", prompt: "plan it" },
      { step_key: "left", member_id: "a", prompt: "left", depends_on: ["plan"] },
      { step_key: "right", member_id: "b", prompt: "right", depends_on: ["plan"] },
      { step_key: "join", member_id: "lead", prompt: "join", depends_on: ["left", "right"] },
    ],
    permissions: { route: "to_leader" },
  };
}

export function singleSpec() {
  return {
    spec_version: 1,
    leader_member_id: "lead",
    members: [
      { member_id: "lead", role: "leader", description: "does it", skills: [] },
      { member_id: "w1", role: "worker", description: "helps", skills: [] },
      { member_id: "w2", role: "worker", description: "helps", skills: [] },
    ],
    entrypoint: { member_id: "lead", prompt: "do the thing" },
  };
}
