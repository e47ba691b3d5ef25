import { z } from "zod";
import { ROUTES } from "../../domain/mailbox-routing.js";
import { TOOL_KINDS } from "../../domain/permission-policy.js";
import { TASK_STATUSES } from "../../domain/task-state.js";
import { MAX_ID, name, SeqPageQuery, text } from "./common.js";

/**
 * Request and response schemas of teams, their tasks and task conversations.
 *
 * A team's `spec` is declared here as an object only: the domain (src/domain/team-spec.ts) validates it
 * in full, refuses unknown keys and unknown providers, and reports every problem at its path in
 * `details.errors` with the contract's messages. Its shape is documented by `TeamSpec` (answers).
 */

/** Longest task title. */
export const MAX_TITLE = 1000;

const choices = (values: readonly string[]) => `must be one of: ${values.join(", ")}`;

// ---- the team spec, as answers show it (stored specs are normalized by the domain) ----

export const MemberAgentSpec = z
  .strictObject({
    provider: z
      .string()
      .optional()
      .describe("scripted, claude, codex, gemini, or a provider in the hub's [agents.providers.NAME]"),
    command: z.string().optional().describe("an explicit command instead of a provider"),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional().describe('write-only: answers show "(set)" per value'),
    node_id: z.string().optional().describe('default "main"'),
    worktree_mode: z.enum(["use_existing", "create_worktree"]).optional(),
    workdir: z.string().optional(),
    worktree_repo: z.string().optional(),
    worktree_ref: z.string().optional(),
    mode: z.string().optional().describe("the ACP session mode set after session/new (one the agent offers)"),
    model: z
      .string()
      .optional()
      .describe('the model (a config option of category "model", or session/set_model)'),
    config_options: z
      .record(z.string(), z.union([z.string(), z.boolean()]))
      .optional()
      .describe("config option id -> value, set after session/new"),
    mcp_servers: z
      .array(
        z.strictObject({
          name: z.string(),
          command: z.string(),
          args: z.array(z.string()),
          env: z.record(z.string(), z.string()).describe('write-only: answers show "(set)" per value'),
        }),
      )
      .optional()
      .describe("stdio MCP servers given to session/new"),
  })
  .meta({ id: "MemberAgentSpec" });

export const MemberSpec = z
  .strictObject({
    member_id: z.string(),
    role: z.enum(["leader", "worker"]),
    description: z.string(),
    skills: z.array(z.string()),
    agent: MemberAgentSpec.optional(),
  })
  .meta({ id: "MemberSpec" });

export const StepSpec = z
  .strictObject({
    step_key: z.string(),
    member_id: z.string(),
    prompt: z.string(),
    depends_on: z.array(z.string()),
    timeout_seconds: z.number().positive().optional(),
  })
  .meta({ id: "StepSpec" });

export const AutoAllowRule = z
  .strictObject({
    name: z
      .string()
      .optional()
      .describe('named in decided_by as "policy:<name>" (default auto_allow[<index>])'),
    member: z.string().describe('the requesting member, or "*" for any'),
    tool_kind: z.enum(TOOL_KINDS).optional().describe("the tool call's ACP kind"),
    title_matches: z.string().optional().describe("a regular expression the tool call's title must match"),
    actor_call: z
      .literal(true)
      .optional()
      .describe("the tool call is one `agenthub actor …` command or a tool of the agenthub MCP server"),
  })
  .meta({
    id: "AutoAllowRule",
    description:
      "A permission request answered at once with an allow_once option when every condition given holds",
  });

export const PermissionPolicy = z
  .strictObject({
    route: z.enum(["to_leader", "to_human"]),
    agent_may_allow_always: z
      .boolean()
      .optional()
      .describe("a reviewing agent may choose an allow_always option (default false: humans only)"),
    on_timeout: z
      .enum(["reject", "allow"])
      .optional()
      .describe("the answer to a review nobody answers within [permissions] review_timeout_seconds"),
    auto_allow: z
      .array(AutoAllowRule)
      .optional()
      .describe(
        'rules answering requests without a reviewer, first match wins (default: members\' own actor calls, "actor_calls")',
      ),
  })
  .meta({ id: "PermissionPolicy", description: "Where permission reviews go and what is answered by rule" });

export const TeamSpec = z
  .strictObject({
    spec_version: z.literal(1),
    leader_member_id: z.string().optional(),
    members: z.array(MemberSpec),
    entrypoint: z.strictObject({ member_id: z.string(), prompt: z.string() }).optional(),
    steps: z.array(StepSpec).optional(),
    permissions: PermissionPolicy,
  })
  .meta({
    id: "TeamSpec",
    description:
      "A team's members and steps. Strict: an unknown key anywhere is refused with its path and the closest known key.",
  });

/**
 * A submitted spec. Documented as an object, but any value passes to the hub's spec validation, which
 * is its schema: a non-object gets the contract's "spec must be an object" with details.errors like
 * every other spec problem.
 */
const SubmittedSpec = z.unknown().meta({
  type: "object",
  additionalProperties: true,
  description:
    'The team spec (shape: TeamSpec; defaults are filled in). Validated in full by the hub: every problem is in details.errors as {field, message}, e.g. `spec.steps[0].promt: unknown key; did you mean "prompt"?`.',
});

// ---- teams ----

/** `name` stays optional here: the domain answers a missing or blank one with "team name is required". */
export const CreateTeamBody = z.strictObject({
  name: text(MAX_ID).optional().describe("unique; surrounding blanks are dropped"),
  spec: SubmittedSpec.optional(),
});

export const UpdateTeamBody = z.strictObject({
  name: text(MAX_ID).optional().describe("unchanged when left out"),
  spec: SubmittedSpec.optional().describe('the whole new spec; an env value of "(set)" keeps the stored one'),
  expected_version: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe("the version the edit was made against (or expected_updated_at)"),
  expected_updated_at: text(100).optional().describe("the updated_at the edit was made against"),
});

export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    owner_id: z.string(),
    spec: TeamSpec,
    version: z.number().int().describe("+1 per edit (the optimistic lock)"),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Team" });

export const TeamList = z.object({ teams: z.array(Team) });

/** GET /api/teams has no filters: anything given is refused, never ignored. */
export const TeamListQuery = z.strictObject({});

// ---- tasks ----

export const TaskStatus = z.enum(TASK_STATUSES, { error: choices(TASK_STATUSES) });

export const TaskParams = z.strictObject({ id: name(), task_id: name() });
export const MessageParams = z.strictObject({ id: name(), task_id: name(), message_id: name() });

const Priority = z
  .number({ error: "must be an integer" })
  .int({ error: "must be an integer" })
  .min(-2_147_483_648)
  .max(2_147_483_647)
  .describe("higher first; default 0");

// `title` stays optional: the service answers a missing or blank one with "title is required".
export const CreateTaskBody = z.strictObject({
  title: text(MAX_TITLE).optional(),
  assigned_member_id: text(MAX_ID).nullable().optional().describe("a member of the team"),
  priority: Priority.optional(),
  context: z.unknown().optional().describe("any JSON value"),
});

export const UpdateTaskBody = z.strictObject({
  title: text(MAX_TITLE).optional(),
  status: TaskStatus.optional().describe("moves follow the task state machine (409 ILLEGAL_TRANSITION)"),
  assigned_member_id: text(MAX_ID).nullable().optional().describe("null unassigns"),
  priority: Priority.optional(),
  context: z.unknown().optional(),
});

/** Task filters; an unknown status value or filter is a 400, an unknown member a 400 naming it. */
export const TaskListQuery = z.strictObject({
  status: TaskStatus.optional(),
  assigned_member_id: name().optional().describe("a member of the team"),
});

export const Task = z
  .object({
    id: z.string(),
    team_id: z.string(),
    title: z.string(),
    status: z.enum(TASK_STATUSES),
    assigned_member_id: z.string().nullable(),
    priority: z.number().int(),
    context: z.unknown().describe("any JSON value; null when none"),
    created_by: z.string().describe("human:<username> or a member id"),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Task" });

export const TaskList = z.object({ tasks: z.array(Task) });

// ---- task conversations ----

export const Conversation = z
  .object({ id: z.string(), task_id: z.string(), created_at: z.string() })
  .meta({ id: "Conversation" });

export const Route = z.enum(ROUTES);

// `from_actor_id` stays optional: the service answers a missing one with "from_actor_id is required".
export const PostMessageBody = z.strictObject({
  from_actor_id: text(MAX_ID).optional().describe("a member id or human:<name>"),
  route: Route.optional().describe("default broadcast"),
  to_actor_id: text(MAX_ID).nullable().optional().describe("required with route=to_member"),
  payload: z.unknown().optional().describe("any JSON value"),
});

/** A bad route keeps the contract's "route must be one of: broadcast, to_leader, to_member". */
export const MESSAGE_FIELD_CODES = { "body.route": "INVALID_ROUTE" } as const;

export const ConversationMessage = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    from_actor_id: z.string(),
    route: Route,
    to_actor_id: z.string().nullable(),
    payload: z.unknown(),
    created_at: z.string(),
  })
  .meta({ id: "ConversationMessage" });

export const PostedMessage = ConversationMessage.extend({
  recipients: z.array(z.string()).describe("member ids the message is routed to"),
});

export const MessageList = z.object({ messages: z.array(ConversationMessage) });

/** Messages after `after` (or `cursor`, the same seq), `limit` at a time. */
export const MessagePageQuery = SeqPageQuery;
