import type { JsonObject } from "@bufbuild/protobuf";
import type { AgentLaunch, NodeEvent } from "../contracts/node-client.js";
import type { ConfigOptionValue } from "../domain/agent.js";
import { AppError } from "../errors/registry.js";
import { AgentState, type NodeService } from "../gen/agenthub/internal/v1/node_pb.js";
import { capEventData, MAX_EVENT_BYTES } from "../node/event-caps.js";
import type { NodeRuntime } from "../node/node-runtime.js";
import type { Principal } from "./call-auth.js";
import { agentStateCodec, worktreeModeCodec } from "./enum-codecs.js";
import type { ServiceImpl } from "./service-adapter.js";

/** Upper bounds of one batched WatchEvents response (the hub asks for batches with max_batch). */
const MAX_BATCH_EVENTS = 1000;
/** Sum of the events' JSON line lengths; far below the 16 MiB message limit. */
const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * `bytes` is the event's JSON line length (UTF-16 units, up to 3 bytes each): an event that may be
 * over the cap (one a node recorded before caps existed) is capped again, so no single event can
 * exceed the message limit and stop the stream.
 */
function toProtoEvent(e: NodeEvent, bytes: number) {
  const data = bytes * 3 > MAX_EVENT_BYTES ? capEventData(e.data) : e.data;
  return {
    seq: BigInt(e.seq),
    agentId: e.agent_id,
    agentSeq: BigInt(e.agent_seq),
    kind: e.kind,
    atMs: BigInt(e.at_ms),
    data: data as JsonObject,
  };
}

/** A StartAgent's config options: string and boolean values only (anything else is refused). */
function configOptionsFromStruct(s: JsonObject | undefined): Record<string, ConfigOptionValue> | undefined {
  if (!s) return undefined;
  const out: Record<string, ConfigOptionValue> = {};
  for (const [k, v] of Object.entries(s)) {
    if (typeof v !== "string" && typeof v !== "boolean") {
      throw new AppError(
        "BAD_REQUEST",
        { field: `config_options.${k}` },
        { message: `config_options.${k} must be a string or a boolean` },
      );
    }
    out[k] = v;
  }
  return out;
}

/** Only the hub (or an admin) drives a node; agents' tokens cannot. */
function requireHub(p: Principal): void {
  if (p.role !== "hub" && p.role !== "admin") {
    throw new AppError(
      "FORBIDDEN",
      { role: p.role },
      { message: `permission denied: role "${p.role}" may not call NodeService` },
    );
  }
}

/**
 * The NodeService handler over a NodeRuntime (which holds the node's logic): checks the caller is the
 * hub and maps requests and answers. `WatchEvents.from_seq` is the last seq the caller has (exclusive).
 */
export function nodeServiceImpl(
  runtime: NodeRuntime,
): ServiceImpl<(typeof NodeService)["method"], Principal> {
  return {
    getInfo(_req, ctx) {
      requireHub(ctx.principal);
      const i = runtime.info();
      return {
        nodeId: i.node_id,
        version: i.version,
        hostname: i.hostname,
        runningAgents: i.running_agents,
        safePaths: i.safe_paths,
        worktreeRoot: i.worktree_root,
        providers: runtime.providerNames(),
        isolation: i.isolation,
        nowMs: BigInt(i.now_ms ?? 0),
        worktreeCount: i.worktrees?.count ?? 0,
        worktreeBytes: BigInt(i.worktrees?.bytes ?? 0),
        hasWorktreeUsage: i.worktrees !== undefined,
      };
    },
    async startAgent(req, ctx) {
      requireHub(ctx.principal);
      const launch: AgentLaunch = {
        agent_id: req.agentId,
        name: req.name || req.agentId,
        provider: req.provider || undefined,
        command: req.command || undefined,
        args: req.args,
        env: req.env,
        worktree_mode: worktreeModeCodec.decode(req.worktreeMode) ?? "use_existing",
        workdir: req.workdir || undefined,
        worktree_repo: req.worktreeRepo || undefined,
        worktree_ref: req.worktreeRef || undefined,
        mode: req.mode || undefined,
        model: req.model || undefined,
        config_options: configOptionsFromStruct(req.configOptions),
        mcp_servers: req.mcpServers.map((m) => ({
          name: m.name,
          command: m.command,
          args: [...m.args],
          env: { ...m.env },
        })),
        resume_session_id: req.resumeSessionId || undefined,
      };
      if (req.validateOnly) {
        await runtime.validate(launch);
        return {};
      }
      const r = await runtime.startAgent(launch);
      return { workdir: r.workdir, ...(r.session ? { session: r.session as unknown as JsonObject } : {}) };
    },
    async stopAgent(req, ctx) {
      requireHub(ctx.principal);
      await runtime.stopAgent(req.agentId);
      return { state: agentStateCodec.encode("stopped") };
    },
    sendInput(req, ctx) {
      requireHub(ctx.principal);
      runtime.sendInput(req.agentId, req.text, req.turnId);
      return {};
    },
    async cancelTurn(req, ctx) {
      requireHub(ctx.principal);
      await runtime.cancelTurn(req.agentId, req.turnId || undefined);
      return {};
    },
    respondPermission(req, ctx) {
      requireHub(ctx.principal);
      const outcome =
        req.outcome.case === "optionId" ? { option_id: req.outcome.value } : ({ cancelled: true } as const);
      runtime.respondPermission(req.agentId, req.requestId, outcome);
      return {};
    },
    listAgents(_req, ctx) {
      requireHub(ctx.principal);
      return {
        agents: runtime.supervisor.listAgents().map((a) => ({
          agentId: a.agent_id,
          state: agentStateCodec.has(a.state) ? agentStateCodec.encode(a.state) : AgentState.UNSPECIFIED,
          pid: a.pid ?? 0,
          sessionId: a.session_id ?? "",
          workdir: a.workdir ?? "",
          currentTurnId: a.current_turn_id ?? "",
          queuedTurnIds: a.queued_turn_ids,
          ...(a.session ? { session: a.session as unknown as JsonObject } : {}),
        })),
      };
    },
    async *watchEvents(req, ctx) {
      requireHub(ctx.principal);
      const maxBatch = Math.min(req.maxBatch, MAX_BATCH_EVENTS);
      // Replay then live, through a queue drained by this generator until the call ends. The queue is
      // swapped out whole (no per-event shift, which is O(n) on a long backlog).
      let queue: NodeEvent[] = [];
      let sizes: number[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = runtime.watch(Number(req.fromSeq), (e, bytes) => {
        queue.push(e);
        sizes.push(bytes);
        if (wake) {
          const w = wake;
          wake = undefined;
          w();
        }
      });
      const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve()));
      try {
        while (!ctx.signal.aborted) {
          const batch = queue;
          const bytes = sizes;
          queue = [];
          sizes = [];
          if (maxBatch > 0) {
            // Consecutive events in one response: one message, one write and one HTTP/2 frame for many.
            for (let i = 0; i < batch.length && !ctx.signal.aborted; ) {
              let j = i + 1;
              let total = bytes[i] ?? 0;
              while (j < batch.length && j - i < maxBatch && total + (bytes[j] ?? 0) <= MAX_BATCH_BYTES) {
                total += bytes[j] ?? 0;
                j++;
              }
              yield { events: batch.slice(i, j).map((e, k) => toProtoEvent(e, bytes[i + k] ?? 0)) };
              i = j;
            }
          } else {
            for (const [k, e] of batch.entries()) {
              if (ctx.signal.aborted) break;
              yield { event: toProtoEvent(e, bytes[k] ?? 0) };
            }
          }
          if (queue.length > 0 || ctx.signal.aborted) continue;
          await Promise.race([new Promise<void>((r) => (wake = r)), aborted]);
          wake = undefined;
        }
      } finally {
        unsubscribe();
      }
    },
    ackEvents(req, ctx) {
      requireHub(ctx.principal);
      runtime.ack(Number(req.upToSeq));
      return { ackedSeq: req.upToSeq };
    },
    renewActorCredentials(req, ctx) {
      requireHub(ctx.principal);
      if (!req.token) throw new AppError("BAD_REQUEST", { field: "token" }, { message: "token is required" });
      runtime.renewActorCredentials(req.agentId, {
        token: req.token,
        client_cert_pem: req.clientCertPem || undefined,
        client_key_pem: req.clientKeyPem || undefined,
      });
      return {};
    },
    async removeWorktrees(req, ctx) {
      requireHub(ctx.principal);
      const out = await runtime.removeWorktrees(req.agentId, req.force);
      return {
        worktrees: out.map((w) => ({
          path: w.path,
          branch: w.branch,
          removed: w.removed,
          keptReason: w.kept_reason ?? "",
          branchDeleted: w.branch_deleted,
          branchKeptReason: w.branch_kept_reason ?? "",
        })),
      };
    },
  };
}
