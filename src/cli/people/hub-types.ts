import type { z } from "zod";
import type * as agents from "../../api/schemas/agents.js";
import type * as auth from "../../api/schemas/auth.js";
import type * as runs from "../../api/schemas/runs.js";
import type * as teams from "../../api/schemas/teams.js";
import type * as worktrees from "../../api/schemas/worktrees.js";

/**
 * What the hub's REST answers hold, as the people's CLI reads them: the types of the API's own zod
 * schemas (type-only imports, so the CLI loads none of them at run time).
 */
export type Session = z.infer<typeof auth.Session>;
export type User = z.infer<typeof auth.User>;
export type Team = z.infer<typeof teams.Team>;
export type TeamSpec = Team["spec"];
export type TeamDeleted = z.infer<typeof worktrees.TeamDeleted>;
export type WorktreeOutcome = z.infer<typeof worktrees.WorktreeOutcome>;
export type TeamRuntime = z.infer<typeof runs.TeamRuntime>;
export type Run = z.infer<typeof runs.Run>;
export type CreatedRun = z.infer<typeof runs.CreatedRun>;
export type RunSummary = z.infer<typeof runs.RunSummary>;
export type RunList = z.infer<typeof runs.RunList>;
export type Step = z.infer<typeof runs.Step>;
export type RunEvent = z.infer<typeof runs.RunEvent>;
export type RunEventPage = z.infer<typeof runs.RunEventPage>;
export type Review = z.infer<typeof runs.Review>;
export type ReviewDecision = z.infer<typeof runs.ReviewDecision>;
export type Agent = z.infer<typeof agents.Agent>;
export type AgentEvent = z.infer<typeof agents.AgentEvent>;
export type AgentEventPage = z.infer<typeof agents.AgentEventPage>;
export type AgentNode = z.infer<typeof agents.AgentNode>;
export type NodeHealth = z.infer<typeof agents.NodeHealth>;

/** Every error answer: `{error, code, request_id, details?}`. */
export interface ErrorBody {
  error: string;
  code: string;
  request_id?: string;
  details?: Record<string, unknown>;
}
