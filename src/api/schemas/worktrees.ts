import { z } from "zod";
import { WORKTREE_REMOVAL_MODES } from "../../hub/member-worktrees.js";

export const WorktreeOutcome = z
  .object({
    member_id: z.string().nullable(),
    agent_id: z.string(),
    node_id: z.string(),
    path: z.string().describe("the worktree's path on its node"),
    branch: z.string().describe("the branch agenthub created for it (agenthub/…)"),
    removed: z.boolean().describe("the worktree is gone"),
    kept_reason: z
      .string()
      .nullable()
      .describe(
        "why it was kept (uncommitted changes, commits on no branch, its node could not be asked, …); null when removed",
      ),
    branch_deleted: z
      .boolean()
      .describe("its branch was deleted: no commits beyond its base that another branch or tag lacks"),
    branch_kept_reason: z
      .string()
      .nullable()
      .describe("why the branch was kept (it holds commits), when it was"),
  })
  .meta({ id: "WorktreeOutcome" });

export const KeptWorktree = z
  .object({
    member_id: z.string().nullable(),
    agent_id: z.string(),
    node_id: z.string(),
    path: z.string(),
    branch: z.string(),
    reason: z.string().describe("why it was kept"),
    kept_at: z.string(),
  })
  .meta({ id: "KeptWorktree" });

export const WorktreeOutcomes = z.object({ worktrees: z.array(WorktreeOutcome) });

export const TeamDeleteQuery = z.strictObject({
  remove_worktrees: z
    .enum(WORKTREE_REMOVAL_MODES)
    .default("clean")
    .describe(
      "the members' worktrees: `clean` removes those without unsaved work and keeps (and reports) the others, `force` removes them all, `keep` leaves them to the nodes' retention sweeps",
    ),
});

export const TeamDeleted = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    worktrees: z.array(WorktreeOutcome).describe("what became of each member worktree"),
  })
  .meta({ id: "TeamDeleted" });

export const RemoveKeptWorktreesBody = z
  .strictObject({
    force: z.boolean().optional().describe("remove them whatever they hold (uncommitted changes are lost)"),
  })
  .nullish();
