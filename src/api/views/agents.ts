import type { UsageTotals } from "../../domain/turn-usage.js";
import { iso } from "../../hub/access.js";
import type {
  Agent,
  AgentEventPage,
  AgentSpec,
  PermissionDecision,
  PermissionRequest,
} from "../../hub/agent-service.js";
import { maskEnv } from "../../hub/env-view.js";
import type { AgentNode, NodeHealth } from "../../hub/node-registry.js";

/** Agents, their events and permission requests, and agent nodes as REST answers show them. */

/** The spec as answers show it: env names only (values are write-only), MCP servers' env too. */
function maskedSpec(spec: AgentSpec): AgentSpec {
  return {
    ...spec,
    ...(spec.env ? { env: maskEnv(spec.env) } : {}),
    ...(spec.mcp_servers
      ? { mcp_servers: spec.mcp_servers.map((m) => ({ ...m, env: maskEnv(m.env) })) }
      : {}),
  };
}

export function agentView(a: Agent, usage: UsageTotals) {
  return {
    id: a.id,
    name: a.name,
    node_id: a.node_id,
    status: a.status,
    workdir: a.workdir,
    team_id: a.team_id,
    member_id: a.member_id,
    last_error: a.last_error,
    last_event_seq: a.last_event_seq,
    spec: maskedSpec(a.spec),
    session: a.session,
    session_id: a.acp_session_id,
    usage,
    created_at: iso(a.created_at),
    updated_at: iso(a.updated_at),
  };
}

export function agentEventPageView(page: AgentEventPage) {
  return {
    events: page.events.map((e) => ({ seq: e.seq, kind: e.kind, data: e.data, at: iso(e.created_at) })),
    next_cursor: page.next_seq === null ? null : String(page.next_seq),
  };
}

export function permissionRequestView(r: PermissionRequest) {
  return {
    id: r.id,
    agent_id: r.agent_id,
    node_request_id: r.node_request_id,
    run_id: r.run_id,
    step_key: r.step_key,
    requester_member_id: r.requester_member_id,
    reviewer: r.reviewer,
    tool_call: r.tool_call,
    options: r.options,
    status: r.status,
    outcome: r.outcome,
    decided_by: r.decided_by,
    decided_at: iso(r.decided_at),
    created_at: iso(r.created_at),
  };
}

export function permissionDecisionView(d: PermissionDecision) {
  return { ...permissionRequestView(d.request), already_resolved: d.already_resolved };
}

export function agentNodeView(n: AgentNode) {
  return {
    id: n.id,
    name: n.name,
    grpc_target: n.grpc_target,
    tls_server_name: n.tls_server_name,
    default_worktree_root: n.default_worktree_root,
    status: n.status,
    last_probe_at: iso(n.last_probe_at),
    probe_latency_ms: n.probe_latency_ms,
    last_error: n.last_error,
    running_agents: n.running_agents,
    created_at: iso(n.created_at),
    updated_at: iso(n.updated_at),
  };
}

export function nodeHealthView(h: NodeHealth) {
  return {
    id: h.node.id,
    status: h.node.status,
    last_probe_at: iso(h.node.last_probe_at),
    probe_latency_ms: h.node.probe_latency_ms,
    last_error: h.node.last_error,
    isolation: h.isolation,
    clock_skew_ms: h.clock_skew_ms,
    worktrees: h.worktrees && { count: h.worktrees.count, bytes: h.worktrees.bytes },
  };
}
