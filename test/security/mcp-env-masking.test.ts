import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectError, openTeamHub, type TeamHub } from "../team/helpers.js";

/** MCP servers' env values (tokens for the tools they reach) are write-only, like an agent's own env. */

const SECRET = "ghp-mcp-token-0123456789";

let t: TeamHub;
beforeEach(async () => {
  t = await openTeamHub();
});
afterEach(async () => {
  await t.close();
});

type McpServer = { name: string; command: string; args: string[]; env: Record<string, string> };
type Team = {
  id: string;
  version: number;
  spec: { members: { member_id: string; agent: { mcp_servers?: McpServer[] } }[] } & Record<string, unknown>;
};

describe("MCP server env values are write-only", () => {
  it("team answers show names; an edit sending the placeholder back keeps the value; a new placeholder is refused", async () => {
    const server = { name: "gh", command: "gh-mcp", args: [], env: { GITHUB_TOKEN: SECRET } };
    const teamId = await t.createTeam({
      leader_member_id: "lead",
      members: [t.member("lead", "leader", { mcp_servers: [server] })],
    });
    const team = (await t.call<Team>("GET", `/api/teams/${teamId}`)).body;
    expect(JSON.stringify(team)).not.toContain(SECRET);
    expect(team.spec.members[0]?.agent.mcp_servers).toEqual([{ ...server, env: { GITHUB_TOKEN: "(set)" } }]);

    const put = await t.call<Team>("PUT", `/api/teams/${teamId}`, {
      spec: team.spec,
      expected_version: team.version,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain(SECRET);
    const stored = t.h.hub.services.teams.repo.get(teamId)!;
    expect(stored.spec.members[0]?.agent?.mcp_servers?.[0]?.env).toEqual({ GITHUB_TOKEN: SECRET });

    const unknown = await t.call("PUT", `/api/teams/${teamId}`, {
      spec: {
        ...team.spec,
        members: [
          t.member("lead", "leader", { mcp_servers: [{ ...server, name: "other", env: { X: "(set)" } }] }),
        ],
      },
      expected_version: put.body.version,
    });
    expectError(unknown, 400, "BAD_REQUEST");
    expect(unknown.body.error).toContain("spec.members[0].agent.mcp_servers[0].env.X");

    // The member's agent answers names only too.
    const rt = await t.startRuntime(teamId);
    const agent = await t.call("GET", `/api/agents/${rt.members[0]!.agent_id}`);
    expect(JSON.stringify(agent.body)).not.toContain(SECRET);
    expect(JSON.stringify(agent.body)).toContain('"GITHUB_TOKEN":"(set)"');
  });

  it("an agent's definition refuses the placeholder (there is nothing stored to keep)", async () => {
    const r = await t.call("POST", "/api/agents", {
      name: "a",
      provider: "scripted",
      workdir: t.workdir("a"),
      mcp_servers: [{ name: "gh", command: "gh-mcp", env: { GITHUB_TOKEN: "(set)" } }],
    });
    expectError(r, 400, "BAD_REQUEST");
    expect(r.body.error).toContain("mcp_servers[0].env.GITHUB_TOKEN");
  });
});
