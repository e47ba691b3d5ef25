import { ACTOR_MCP_SERVER } from "./actor-call.js";

/**
 * The text of the prompts the executor sends. Everything the hub adds (run input, dependency
 * outputs, inbox messages) is quoted line by line with "> ", so it reads as context and can never be
 * mistaken for the step's own instructions; the step's prompt comes last, verbatim.
 */
export interface PromptMessage {
  message_id: string;
  from_actor_id: string;
  route: string;
  kind: string;
  payload: unknown;
}

/**
 * How the member reaches agenthub's actor commands: `mcp` when its session has the `agenthub` MCP server
 * (`agenthub actor mcp`, whose tools need no shell and no permission each), else `cli` (the
 * `agenthub actor …` shell commands).
 */
export type ActorTools = "mcp" | "cli";

/** How an agent whose session is `session` reaches the actor commands. */
export function actorToolsOf(session: { mcp_servers?: readonly string[] | undefined } | null): ActorTools {
  return session?.mcp_servers?.includes(ACTOR_MCP_SERVER) ? "mcp" : "cli";
}

/** What the prompts call each actor action, by how the member reaches them. */
const ACTIONS: Record<ActorTools, { complete: string; fail: string; review: string; more: string }> = {
  cli: {
    complete: "`agenthub actor step-complete --output ...`",
    fail: "`agenthub actor step-fail --error-text ...`",
    review:
      "Answer each permission review with `agenthub actor permission-review-respond --request-id <review_id> --option-id <option_id>` (or `--outcome cancelled`).",
    more: "",
  },
  mcp: {
    complete: "the `step_complete` tool of the `agenthub` MCP server (output)",
    fail: "its `step_fail` tool (error_text)",
    review:
      'Answer each permission review with the `permission_review_respond` tool of the `agenthub` MCP server (request_id: the review_id, option_id: the chosen option_id; or outcome: "cancelled").',
    more: "For team actions use the `agenthub` MCP server's tools (inbox, receive, ack, send, team_members, team_tasks, team_task_create, team_task_update, step_complete, step_fail, permission_review_respond) rather than shell commands.",
  },
};

export interface StepPromptInput {
  runId: string;
  teamName: string;
  memberId: string;
  role: string;
  stepKey: string;
  attempt: number;
  runInput: unknown;
  dependencies: { step_key: string; output: string | null }[];
  messages: PromptMessage[];
  prompt: string;
  /** Default `cli`. */
  actorTools?: ActorTools | undefined;
}

function quote(text: string): string[] {
  return text.split(/\r?\n/).map((l) => `> ${l}`);
}

function json(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

function messageLines(messages: readonly PromptMessage[], tools: ActorTools): string[] {
  const out: string[] = [];
  for (const m of messages) {
    out.push(`- ${m.kind} ${m.message_id} from ${m.from_actor_id} (${m.route}):`);
    out.push(...quote(JSON.stringify(m.payload ?? null)));
  }
  if (messages.some((m) => m.kind === "permission_review")) {
    out.push(ACTIONS[tools].review);
  }
  return out;
}

export function buildStepPrompt(i: StepPromptInput): string {
  const tools = i.actorTools ?? "cli";
  const a = ACTIONS[tools];
  const lines = [
    `[agenthub] run ${i.runId}, step "${i.stepKey}" (attempt ${i.attempt}); you are member "${i.memberId}" (${i.role}) of team "${i.teamName}".`,
    "Run input:",
    ...quote(json(i.runInput)),
  ];
  for (const d of i.dependencies) {
    lines.push(`Output of step "${d.step_key}":`, ...quote(d.output ?? ""));
  }
  if (i.messages.length > 0) lines.push("New messages for you:", ...messageLines(i.messages, tools));
  if (a.more) lines.push(a.more);
  lines.push(
    `Your reply ends the step and becomes its output (or report it with ${a.complete}; ${a.fail} if you cannot do it).`,
    "",
    i.prompt,
  );
  return lines.join("\n");
}

export function buildMailPrompt(i: {
  runId: string;
  teamName: string;
  memberId: string;
  role: string;
  messages: PromptMessage[];
  actorTools?: ActorTools | undefined;
}): string {
  const tools = i.actorTools ?? "cli";
  return [
    `[agenthub] run ${i.runId}; you are member "${i.memberId}" (${i.role}) of team "${i.teamName}".`,
    "New messages for you:",
    ...messageLines(i.messages, tools),
    ...(ACTIONS[tools].more ? [ACTIONS[tools].more] : []),
  ].join("\n");
}
