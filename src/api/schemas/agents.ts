import { z } from "zod";
import { AGENT_STATUSES, PERMISSION_STATUSES } from "../../hub/agent-service.js";
import { NODE_ID_RE, NODE_STATUSES } from "../../hub/node-registry.js";
import { MAX_ID, name, SeqPageQuery, text } from "./common.js";
import { Usage } from "./usage.js";

/** Request and response schemas of agents, their events and permission requests, and agent nodes. */

/** Longest path the OS takes (Linux PATH_MAX, with its terminating NUL). */
export const MAX_PATH = 4096;
/** Most arguments an agent's command may get. */
const MAX_ARGS = 1000;
/** Most environment variables an agent may get. */
const MAX_ENV = 500;

/** A filesystem path: bounded by the OS limit, no NUL byte (the OS would cut it there). */
const path = () => text(MAX_PATH - 1);

export { NoBody } from "./common.js";

const WorktreeMode = z.enum(["use_existing", "create_worktree"]);

/** The environment a process can take: names without "=" or NUL, values without NUL. */
const EnvName = name(1024).refine((k) => !k.includes("="), { message: 'must not contain "="' });

/** Longest mode, model, config option id or value. */
const MAX_SETTING = 256;
const setting = () => text(MAX_SETTING);
const MAX_MCP_SERVERS = 32;
const MAX_CONFIG_OPTIONS = 64;

const EnvMap = z
  .record(EnvName, text())
  .refine((e) => Object.keys(e).length <= MAX_ENV, { message: `at most ${MAX_ENV} variables` });

export const McpServerBody = z.strictObject({
  name: setting().min(1),
  command: path().min(1),
  args: z.array(text()).max(MAX_ARGS).default([]),
  env: EnvMap.default({}).describe('write-only: answers show "(set)" for each value'),
});

const SessionSettingsBody = {
  mode: setting().optional().describe("the ACP session mode to set after session/new (one the agent offers)"),
  model: setting()
    .optional()
    .describe('the model to set (a config option of category "model", or session/set_model)'),
  config_options: z
    .record(setting(), z.union([setting(), z.boolean()]))
    .refine((o) => Object.keys(o).length <= MAX_CONFIG_OPTIONS, {
      message: `at most ${MAX_CONFIG_OPTIONS} options`,
    })
    .optional()
    .describe("config option id -> value (a select option's value, or a boolean), set after session/new"),
  mcp_servers: z
    .array(McpServerBody)
    .max(MAX_MCP_SERVERS)
    .optional()
    .describe("stdio MCP servers given to session/new (with the provider's; the same name replaces it)"),
};

// `name` stays a plain bounded string: a blank one gets the service's "name is required", and
// `workdir` may be left out: the service answers the contract's "workdir is required" (WORKDIR_REQUIRED).
// `worktree_ref` is not NUL-checked here: the service refuses control characters with WORKTREE_REF_INVALID,
// naming the field, like an option-like ref.
export const CreateAgentBody = z.strictObject({
  name: text(MAX_ID).describe("shown in lists; surrounding blanks are dropped"),
  node_id: text(MAX_ID).optional().describe('the node that runs it (default "main")'),
  provider: text(MAX_ID).optional().describe("a provider configured on the node ([agents.providers.NAME])"),
  command: path().optional().describe("or an explicit command (root only on a node without isolation)"),
  args: z.array(text()).max(MAX_ARGS).optional(),
  env: EnvMap.optional().describe('write-only: answers show "(set)" for each value'),
  worktree_mode: WorktreeMode.optional().describe("default use_existing"),
  workdir: path().optional().describe("use_existing: a directory within safe_paths"),
  worktree_repo: path().optional().describe("create_worktree: the repository to make a worktree of"),
  worktree_ref: z.string().max(1024).optional().describe("create_worktree: the ref to check out"),
  ...SessionSettingsBody,
});

const McpServerView = z.object({
  name: z.string(),
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).describe('names only, each "(set)"'),
});

const Choice = z.object({ id: z.string(), name: z.string(), description: z.string().optional() });
const ChoiceState = z.object({
  current: z.string().nullable(),
  available: z.array(Choice),
});

export const AgentSession = z
  .object({
    agent: z
      .object({ name: z.string(), version: z.string() })
      .nullable()
      .describe("the agent's own agentInfo"),
    auth_methods: z.array(Choice).describe("the ACP auth methods it offers (initialize)"),
    load_session: z.boolean().describe("it can restore a session (session/load)"),
    modes: ChoiceState.nullable().describe("modes offered and the current one (session/set_mode)"),
    models: ChoiceState.nullable().describe(
      "models offered through ACP's unstable models state (session/set_model)",
    ),
    config_options: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          description: z.string().optional(),
          category: z.string().nullable().describe('e.g. "mode", "model", "thought_level"'),
          type: z.enum(["select", "boolean"]),
          current: z.union([z.string(), z.boolean()]),
          values: z.array(Choice).describe("a select option's values"),
        }),
      )
      .describe("config options offered, each with its current value (session/set_config_option)"),
    mcp_servers: z
      .array(z.string())
      .optional()
      .describe(
        'names of the MCP servers session/new gave it ("agenthub": the actor commands as tools, `agenthub actor mcp`)',
      ),
  })
  .meta({
    id: "AgentSession",
    description: "What the agent's ACP session offers and what is in force, as its node last reported",
  });

export const AgentSpec = z
  .object({
    provider: z.string().optional(),
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional().describe('names only, each "(set)"'),
    worktree_mode: WorktreeMode,
    workdir: z.string().optional(),
    worktree_repo: z.string().optional(),
    worktree_ref: z.string().optional(),
    mode: z.string().optional(),
    model: z.string().optional(),
    config_options: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
    mcp_servers: z.array(McpServerView).optional(),
  })
  .meta({ id: "AgentSpec" });

export const Agent = z
  .object({
    id: z.string(),
    name: z.string(),
    node_id: z.string(),
    status: z.enum(AGENT_STATUSES),
    workdir: z.string().nullable(),
    team_id: z.string().nullable(),
    member_id: z.string().nullable(),
    last_error: z.string().nullable(),
    last_event_seq: z.number().int(),
    spec: AgentSpec,
    session: AgentSession.nullable().describe("null until the agent's session started"),
    session_id: z
      .string()
      .nullable()
      .describe(
        "its ACP session's id; a new start of the agent restores this session (session/load) when the agent can",
      ),
    usage: Usage.describe("what all the agent's turns used (tokens and cost, as its agent reported them)"),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: "Agent" });

export const AgentList = z.object({ agents: z.array(Agent) });

/** Filters of GET /api/agents: none yet, so anything given (`?team_id=`) is refused, never ignored. */
export const AgentListQuery = z.strictObject({});

export const InputBody = z.strictObject({
  text: text().describe("the prompt"),
  turn_id: name(512).optional().describe("makes a retried input a no-op; one is made when absent"),
});

export const QueuedTurn = z.object({ agent_id: z.string(), turn_id: z.string() });

export const CancelTurnBody = z
  .strictObject({
    turn_id: name(512).optional().describe("a queued or running turn; without it, whichever turn runs now"),
  })
  .nullish();

export const CanceledTurn = z.object({
  agent_id: z.string(),
  turn_id: z.string().nullable().describe("the turn named, or null: whichever ran"),
  cancelled: z.literal(true).describe("the turn was told to stop; its turn_ended event follows"),
});

/**
 * GET /api/agents/:id/events: a JSON page, or (Accept: text/event-stream) a live stream. EventSource
 * clients cannot set headers, so the stream also takes the bearer token as `?token=`.
 */
export const AgentEventsQuery = z.strictObject({
  ...SeqPageQuery.shape,
  token: text(4096).optional().describe("the bearer token, for EventSource clients (SSE)"),
});

export const AgentEvent = z
  .object({ seq: z.number().int(), kind: z.string(), data: z.unknown(), at: z.string().nullable() })
  .meta({ id: "AgentEvent" });

export const AgentEventPage = z.object({
  events: z.array(AgentEvent),
  next_cursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last"),
});

export const PermissionParams = z.strictObject({ id: name(), pid: name() });

export const PermissionListQuery = z.strictObject({ status: z.enum(PERMISSION_STATUSES).optional() });

// Both fields optional: the service names what is missing ('option_id or outcome: "cancelled" is
// required') and which options the agent offered.
export const PermissionAnswerBody = z.strictObject({
  option_id: name().optional().describe("one of the request's options"),
  outcome: z.literal("cancelled").optional().describe("instead of an option: cancel the request"),
});

export const PermissionRequest = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    node_request_id: z
      .string()
      .describe("its id in the agent's event stream (`request_id` of the permission_request event)"),
    run_id: z.string().nullable(),
    step_key: z.string().nullable(),
    requester_member_id: z.string().nullable(),
    reviewer: z.string().nullable(),
    tool_call: z.unknown(),
    options: z.array(z.object({ option_id: z.string(), name: z.string(), kind: z.string() })),
    status: z.enum(PERMISSION_STATUSES),
    outcome: z.unknown(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    created_at: z.string().nullable(),
  })
  .meta({ id: "PermissionRequest" });

export const PermissionList = z.object({ permissions: z.array(PermissionRequest) });

export const PermissionDecision = PermissionRequest.extend({
  already_resolved: z.boolean().describe("it had been decided before: nothing changed"),
});

// ---- agent nodes ----

const NodeId = z.string().regex(NODE_ID_RE, {
  message: "letters, digits, '.', '_' or '-', at most 63, starting with a letter or digit",
});
const GrpcTarget = text(1024).describe('"host:port" (an http(s):// prefix is dropped)');

export const RegisterNodeBody = z.strictObject({
  id: NodeId.describe("the node's [node] id: its tokens are bound to it"),
  name: name().optional().describe("default: the id"),
  grpc_target: GrpcTarget,
  tls_server_name: text(253).nullable().optional().describe("the name its certificate must carry"),
  default_worktree_root: path().nullable().optional(),
});

export const UpdateNodeBody = z.strictObject({
  name: name().optional(),
  grpc_target: GrpcTarget.optional(),
  tls_server_name: text(253).nullable().optional(),
  default_worktree_root: path().nullable().optional(),
});

export const AgentNode = z
  .object({
    id: z.string(),
    name: z.string(),
    grpc_target: z.string(),
    tls_server_name: z.string().nullable(),
    default_worktree_root: z.string().nullable(),
    status: z.enum(NODE_STATUSES),
    last_probe_at: z.string().nullable(),
    probe_latency_ms: z.number().nullable(),
    last_error: z.string().nullable(),
    running_agents: z.number().int(),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: "AgentNode" });

export const AgentNodeList = z.object({ nodes: z.array(AgentNode) });

export const NodeHealth = z.object({
  id: z.string(),
  status: z.enum(NODE_STATUSES),
  last_probe_at: z.string().nullable(),
  probe_latency_ms: z.number().nullable(),
  last_error: z.string().nullable(),
  isolation: z
    .enum(["bwrap", "none"])
    .nullable()
    .describe("the sandbox its agents run in; null when unreachable"),
  clock_skew_ms: z
    .number()
    .nullable()
    .describe(
      "the node's clock minus the hub's (ms), measured by this probe; null when unreachable or an older node. Tokens are refused beyond [internal_grpc.auth] clock_skew_seconds",
    ),
  worktrees: z
    .object({
      count: z.number().int().describe("worktrees under the node's worktree root"),
      bytes: z.number().int().describe("their files' apparent size, measured at most a minute before"),
    })
    .nullable()
    .describe("what the node's worktree root holds; null when unreachable or an older node"),
});
