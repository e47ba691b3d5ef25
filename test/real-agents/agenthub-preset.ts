import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReviewView } from "../team/helpers.js";
import {
  ASKING_MODE,
  KEY_VARIABLE,
  OTHER_MODE,
  replyText,
  useAgenthubWithRealAgent,
} from "./agenthub-harness.js";
import { text, toolCall, writeFileToolCall } from "./mock-models/index.js";
import type { RealAgentProvider } from "./pinned.mjs";

type Session = { modes: { current: string | null } | null; mcp_servers?: string[] };
type AgentView = {
  id: string;
  status: string;
  last_error: string | null;
  session: Session | null;
  usage?: { turns: number; input_tokens: number; output_tokens: number };
};

/**
 * The name the model calls the agenthub MCP server's `team_members` tool by. Codex defers MCP tools
 * behind its `tool_search` (a Responses call type the mock does not script), so it has none here.
 */
const MCP_TEAM_MEMBERS: Partial<Record<RealAgentProvider, string>> = {
  claude: "mcp__agenthub__team_members",
  gemini: "mcp_agenthub_team_members",
};

/** How long a start without credentials may take to be refused ("within seconds"). */
const AUTH_ERROR_WITHIN_MS = 20_000;

/**
 * One preset (`provider: "claude" | "codex" | "gemini"`) driven through agenthub's REST API with the
 * real agent from the cache folder and its mock model: the typed error without credentials, a text
 * turn with a mode from the spec, and a permission round trip through a team's (scripted) leader.
 */
export function describeAgenthubPreset(provider: RealAgentProvider): void {
  describe(`${provider} through agenthub (REST API, mock model)`, () => {
    const real = useAgenthubWithRealAgent(provider);

    it("without credentials: AGENT_AUTH_REQUIRED naming the variable, within seconds", async () => {
      const { hub, mock, createAgent, turn } = await real.open({ credentials: false });
      const id = await createAgent();
      const t0 = Date.now();
      const started = await hub.call<AgentView & { code?: string; error?: string }>(
        "POST",
        `/api/agents/${id}/start`,
      );
      if (provider === "claude") {
        // Claude opens its session and refuses the first prompt.
        expect(started.status, JSON.stringify(started.body)).toBe(200);
        const ended = await turn(id, "hello");
        expect(ended.error_code).toBe("AGENT_AUTH_REQUIRED");
        expect(String(ended.error)).toContain(`agent "claude" needs credentials: set ${KEY_VARIABLE.claude}`);
      } else {
        expect([started.status, started.body.code], JSON.stringify(started.body)).toEqual([
          424,
          "AGENT_AUTH_REQUIRED",
        ]);
        expect(started.body.error).toContain(
          `agent "${provider}" needs credentials: set ${KEY_VARIABLE[provider]}`,
        );
        const agent = await hub.call<AgentView>("GET", `/api/agents/${id}`);
        expect(agent.body.last_error).toContain(KEY_VARIABLE[provider]);
      }
      expect(Date.now() - t0).toBeLessThan(AUTH_ERROR_WITHIN_MS);
      expect(mock.scripted).toEqual([]);
    });

    it("a text turn, in the mode its spec sets (shown in GET /api/agents/:id)", async () => {
      const { hub, mock, createAgent, turn } = await real.open();
      const id = await createAgent({ mode: OTHER_MODE[provider] });
      const started = await hub.call<AgentView>("POST", `/api/agents/${id}/start`);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const agent = await hub.call<AgentView>("GET", `/api/agents/${id}`);
      expect(agent.body.session?.modes?.current).toBe(OTHER_MODE[provider]);
      // A standalone agent is no team member: no actor MCP server.
      expect(agent.body.session?.mcp_servers).toEqual([]);

      mock.enqueue(text(`Hello from the mock ${provider} model.`));
      const ended = await turn(id, "Say hello");
      expect(ended.stop_reason).toBe("end_turn");
      expect(await replyText(hub, id)).toContain(`Hello from the mock ${provider} model.`);
      expect(mock.scripted).toHaveLength(1);
      // The turn's tokens, as the agent reported them (claude/codex: the prompt response's usage;
      // gemini: _meta.quota), are recorded on the agent.
      const used = (await hub.call<AgentView>("GET", `/api/agents/${id}`)).body.usage;
      expect(used?.turns).toBe(1);
      expect(used?.input_tokens).toBeGreaterThan(0);
      expect(used?.output_tokens).toBeGreaterThan(0);
    });

    it("a permission round trip through the team's leader: the worker's write waits for the leader's allow", async () => {
      const { hub, mock } = await real.open();
      const workdir = hub.workdir("w1");
      const file = join(workdir, "hello.txt");
      const teamId = await hub.createTeam({
        leader_member_id: "lead",
        members: [
          hub.member("lead", "leader", { env: { SCRIPTED_REVIEW_DECISION: "allow" } }),
          {
            member_id: "w1",
            role: "worker",
            agent: { provider, workdir, worktree_mode: "use_existing", mode: ASKING_MODE[provider] },
          },
        ],
        steps: [{ step_key: "build", member_id: "w1", prompt: "Write hello.txt" }],
      });
      await hub.startRuntime(teamId);
      const worker = await hub.agentOf(teamId, "w1");
      const agent = await hub.call<AgentView>("GET", `/api/agents/${worker}`);
      expect(agent.body.session?.modes?.current).toBe(ASKING_MODE[provider]);
      expect(agent.body.session?.mcp_servers).toEqual(["agenthub"]);

      mock.enqueue(
        writeFileToolCall(provider, file, `written by ${provider}`),
        text("Done: wrote hello.txt."),
      );
      const run = await hub.newRun(teamId);
      const done = await hub.waitRun(run.id, "completed");
      expect(readFileSync(file, "utf8").trimEnd()).toBe(`written by ${provider}`);
      expect(hub.step(done, "build").output).toContain("Done: wrote hello.txt.");

      const reviews = (
        await hub.call<{ reviews: ReviewView[] }>("GET", `/api/runs/${run.id}/permission-reviews`)
      ).body.reviews;
      expect(reviews).toHaveLength(1);
      const r = reviews[0]!;
      expect(r).toMatchObject({ requester_member_id: "w1", reviewer: "lead", decided_by: "lead" });
      expect(r.tool_call).toMatchObject({ kind: "edit" });
      const chosen = r.options.find((o) => o.option_id === (r.outcome as { option_id: string }).option_id);
      expect(chosen?.kind).toBe("allow_once");
      // The leader was shown the change once, compactly.
      const mail = (await hub.turns(await hub.agentOf(teamId, "lead"))).find((x) =>
        x.turn_id.startsWith("mail|"),
      );
      expect(mail?.text.split(`written by ${provider}`).length).toBe(2);
    });

    const mcpTool = MCP_TEAM_MEMBERS[provider];
    if (mcpTool) {
      it("a member calls the agenthub MCP server's tool; the default policy allows it without asking anyone", async () => {
        const { hub, mock } = await real.open();
        const workdir = hub.workdir("w1");
        const teamId = await hub.createTeam({
          leader_member_id: "lead",
          members: [
            hub.member("lead", "leader"),
            { member_id: "w1", role: "worker", agent: { provider, workdir, worktree_mode: "use_existing" } },
          ],
          steps: [{ step_key: "build", member_id: "w1", prompt: "Who is on the team?" }],
        });
        await hub.startRuntime(teamId);
        mock.enqueue(toolCall(mcpTool, {}, "Checking the team."), text("Done."));
        const run = await hub.newRun(teamId);
        await hub.waitRun(run.id, "completed");
        const reviews = (
          await hub.call<{ reviews: ReviewView[] }>("GET", `/api/runs/${run.id}/permission-reviews`)
        ).body.reviews;
        expect(reviews.map((r) => [r.decided_by, (r.outcome as { option_id: string }).option_id])).toEqual([
          ["policy:actor_calls", expect.any(String)],
        ]);
        const chosen = reviews[0]!.options.find(
          (o) => o.option_id === (reviews[0]!.outcome as { option_id: string }).option_id,
        );
        expect(chosen?.kind).toBe("allow_once");
        // The tool answered with the team (through the hub, with w1's token), and the model got it.
        const after = JSON.stringify(mock.scripted.at(-1)?.body);
        expect(after).toContain("MEMBER_ROLE_WORKER");
        expect(after).toContain(`${teamId}`);
      });
    }
  });
}
