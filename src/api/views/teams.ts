import type { z } from "zod";
import { iso } from "../../hub/access.js";
import { maskTeamSpec } from "../../hub/env-view.js";
import type { Conversation, ConversationMessage, PostedMessage, Task } from "../../hub/task-service.js";
import type { Team } from "../../hub/team-service.js";
import type * as S from "../schemas/teams.js";

/** Teams, tasks and task conversations as REST answers show them. */

/** A team; member env values are masked ("(set)"): they are write-only. */
export function teamView(t: Team): z.output<typeof S.Team> {
  return {
    id: t.id,
    name: t.name,
    owner_id: t.owner_id,
    spec: maskTeamSpec(t.spec),
    version: t.version,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  };
}

export function taskView(t: Task): z.output<typeof S.Task> {
  return {
    id: t.id,
    team_id: t.team_id,
    title: t.title,
    status: t.status,
    assigned_member_id: t.assigned_member_id,
    priority: t.priority,
    context: t.context,
    created_by: t.created_by,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  };
}

export function conversationView(c: Conversation): z.output<typeof S.Conversation> {
  return { id: c.id, task_id: c.task_id, created_at: iso(c.created_at) };
}

export function messageView(m: ConversationMessage): z.output<typeof S.ConversationMessage> {
  return {
    id: m.id,
    seq: m.seq,
    from_actor_id: m.from_actor_id,
    route: m.route,
    to_actor_id: m.to_actor_id,
    payload: m.payload,
    created_at: iso(m.created_at),
  };
}

export function postedMessageView(p: PostedMessage): z.output<typeof S.PostedMessage> {
  return { ...messageView(p.message), recipients: p.recipients };
}
