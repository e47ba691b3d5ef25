import { z } from "zod";

/** What waits for the caller (GET /api/attention): one list, each item tagged by `kind`. */

const PermissionOption = z.object({ option_id: z.string(), name: z.string(), kind: z.string() });

export const PermissionAttention = z
  .object({
    kind: z.literal("permission"),
    id: z
      .string()
      .describe(
        "with run_id: the review id (POST /api/runs/{run_id}/permission-reviews/{id}/respond); without: the agent's permission request id (POST /api/agents/{agent_id}/permissions/{id}/respond)",
      ),
    agent_id: z.string(),
    agent_name: z.string(),
    run_id: z.string().nullable(),
    team_id: z.string().nullable(),
    team_name: z.string().nullable(),
    step_key: z.string().nullable(),
    requester_member_id: z.string().nullable(),
    tool_call: z.unknown().describe("the agent's tool call as it reported it (title, kind, content…)"),
    options: z.array(PermissionOption),
    created_at: z.string(),
  })
  .meta({ id: "PermissionAttention" });

export const InputAttention = z
  .object({
    kind: z.literal("input_required"),
    run_id: z.string(),
    team_id: z.string(),
    team_name: z.string(),
    step_key: z.string(),
    member_id: z.string(),
    since: z.string(),
  })
  .meta({ id: "InputAttention" });

export const FailedRunAttention = z
  .object({
    kind: z.literal("run_failed"),
    run_id: z.string(),
    team_id: z.string(),
    team_name: z.string(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    finished_at: z.string(),
  })
  .meta({ id: "FailedRunAttention" });

export const NodeAttention = z
  .object({
    kind: z.literal("node_offline"),
    node_id: z.string(),
    name: z.string(),
    last_error: z.string().nullable(),
    last_ok_at: z.string().nullable(),
  })
  .meta({ id: "NodeAttention" });

export const AttentionItem = z
  .discriminatedUnion("kind", [PermissionAttention, InputAttention, FailedRunAttention, NodeAttention])
  .meta({ id: "AttentionItem" });

export const AttentionList = z
  .object({
    items: z
      .array(AttentionItem)
      .describe(
        "permission requests routed to people, steps waiting for input, runs failed in the last day, nodes offline",
      ),
    count: z.number().int().describe("items.length"),
  })
  .meta({ id: "AttentionList" });

/** GET /api/attention takes no filters: anything given is refused, never ignored. */
export const AttentionQuery = z.strictObject({});
