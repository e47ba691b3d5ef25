import { iso } from "../../hub/access.js";
import type { KeptWorktree, MemberWorktreeOutcome } from "../../hub/member-worktrees.js";

export function worktreeOutcomeView(o: MemberWorktreeOutcome) {
  return {
    member_id: o.member_id,
    agent_id: o.agent_id,
    node_id: o.node_id,
    path: o.path,
    branch: o.branch,
    removed: o.removed,
    kept_reason: o.kept_reason ?? null,
    branch_deleted: o.branch_deleted,
    branch_kept_reason: o.branch_kept_reason ?? null,
  };
}

export function keptWorktreeView(k: KeptWorktree) {
  return {
    member_id: k.member_id,
    agent_id: k.agent_id,
    node_id: k.node_id,
    path: k.path,
    branch: k.branch,
    reason: k.reason,
    kept_at: iso(k.kept_at),
  };
}
