import { randomBytes } from "node:crypto";
import * as acp from "@agentclientprotocol/sdk";
import type { SessionSettings } from "../domain/agent.js";
import type { AgentSessionInfo } from "../domain/agent-session.js";
import type { TurnUsage } from "../domain/turn-usage.js";
import { AppError } from "../errors/registry.js";
import {
  type AgentErrorContext,
  authRequiredError,
  cleanAgentMessage,
  isAuthRequired,
  isRequestError,
  startError,
} from "./agent-errors.js";
import { type AgentExit, AgentExitedError } from "./agent-exit.js";
import { AgentProcess, type AgentProcessOptions } from "./agent-process.js";
import { sessionInfoFromInitialize, withSessionOffer, withSessionUpdate } from "./session-info.js";
import { applySessionSettings, toAcpMcpServers } from "./session-setup.js";
import { TurnMessages } from "./turn-messages.js";
import { UsageMeter } from "./usage-meter.js";

export type PermissionAnswer = { option_id: string } | { cancelled: true };

export interface PendingPermission {
  request_id: string;
  tool_call: acp.ToolCallUpdate;
  options: acp.PermissionOption[];
}

export type AcpSessionEvent =
  | { type: "session_update"; update: acp.SessionUpdate }
  | ({ type: "permission_request" } & PendingPermission)
  | { type: "permission_resolved"; request_id: string; outcome: PermissionAnswer; [meta: string]: unknown }
  | { type: "session_config"; session: AgentSessionInfo }
  | ({ type: "session_started" } & SessionStarted)
  | { type: "stderr"; line: string }
  | ({ type: "exit" } & AgentExit);

/** How the session began: a new one, or the one asked for restored with `session/load`. */
export interface SessionStarted {
  session_id: string;
  /** The session asked to be restored (null: none). */
  resumed_from: string | null;
  loaded: boolean;
  /** Why the asked-for session was not restored (its context is lost); null otherwise. */
  context_lost: string | null;
}

export interface AcpSessionOptions {
  command: string;
  args?: readonly string[] | undefined;
  cwd: string;
  /** The agent's complete environment (the daemon's is never inherited). */
  env?: NodeJS.ProcessEnv | undefined;
  /** See AgentProcessOptions.explainExit. */
  explainExit?: AgentProcessOptions["explainExit"];
  onEvent: (event: AcpSessionEvent) => void;
  /** Called right after spawn with the pid (= process group id). */
  onSpawn?: ((pid: number) => void) | undefined;
  /** initialize + session/new must finish within this (default 30 s). */
  startTimeoutMs?: number | undefined;
  /** The provider (or command) name errors name, e.g. AGENT_AUTH_REQUIRED's `agent "claude"`. */
  provider?: string | undefined;
  /** What to set when the agent asks for credentials (for presets, their env variables). */
  authHint?: string | undefined;
  /** Mode, model and config options set after session/new; MCP servers given to session/new. */
  settings?: SessionSettings | undefined;
  /**
   * A session of this agent to restore (`session/load`) instead of starting a new one, when the agent
   * can; otherwise (or when loading fails) a new session starts and `session_started` says the context
   * was lost.
   */
  resumeSessionId?: string | undefined;
}

export interface PromptResult {
  stopReason: acp.StopReason;
  /** The agent's final message of the turn, at most MAX_EVENT_TEXT_BYTES (truncated with a marker). */
  replyText: string;
  /** UTF-8 size of the whole final message, when replyText was truncated. */
  replyTruncatedBytes?: number | undefined;
  /** How many agent messages the turn had. */
  messages: number;
  /** Tokens and cost of the turn; null when the agent reported none. */
  usage: TurnUsage | null;
}

interface Pending extends PendingPermission {
  resolve: (res: acp.RequestPermissionResponse) => void;
}

/** One ACP agent process and its single session, driven from the client side. */
export class AcpSession {
  readonly process: AgentProcess;
  private readonly connection: acp.ClientConnection;
  private readonly pending = new Map<string, Pending>();
  private sessionIdValue: string | undefined;
  private info: AgentSessionInfo | undefined;
  /** The session's settings were applied: later changes are reported as they come. */
  private configured = false;
  private turn: TurnMessages | undefined;
  private readonly meter = new UsageMeter();
  /** Settles once initialize + session/new are done; rejects if the agent could not start. */
  readonly ready: Promise<void>;

  private constructor(private readonly opts: AcpSessionOptions) {
    this.process = new AgentProcess({
      ...opts,
      onStderr: (line) => opts.onEvent({ type: "stderr", line }),
    });
    const app = acp
      .client({ name: "agenthub" })
      .onNotification(acp.methods.client.session.update, ({ params }) => this.onUpdate(params))
      .onRequest(acp.methods.client.session.requestPermission, ({ params, signal }) =>
        this.onPermissionRequest(params, signal),
      );
    this.connection = app.connect(acp.ndJsonStream(this.process.stdin, this.process.stdout));
    void this.connection.closed.then(() => {
      // stdout EOF normally means the process is exiting; one that lingers without ACP is stopped.
      const timer = setTimeout(() => void this.process.stop(2000, "agent closed its ACP stream"), 1000);
      void this.process.exited.then(() => clearTimeout(timer));
    });
    void this.process.exited.then((exit) => {
      for (const id of [...this.pending.keys()])
        this.resolvePermission(id, { cancelled: true }, { reason: "agent exited" });
      this.connection.close();
      opts.onEvent({ type: "exit", ...exit });
    });
    this.ready = this.open(opts.startTimeoutMs ?? 30_000);
    this.ready.catch(() => {});
  }

  /**
   * Spawns the agent and starts initialize + session/new in the background; `ready` settles when
   * the session exists (or rejects, e.g. with AgentExitedError). The process can be stopped at once.
   */
  static spawn(opts: AcpSessionOptions): AcpSession {
    const session = new AcpSession(opts);
    const pid = session.process.pid;
    if (pid !== undefined) opts.onSpawn?.(pid);
    return session;
  }

  /** spawn + await ready. */
  static async start(opts: AcpSessionOptions): Promise<AcpSession> {
    const session = AcpSession.spawn(opts);
    await session.ready;
    return session;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  get exited(): Promise<AgentExit> {
    return this.process.exited;
  }

  get busy(): boolean {
    return this.turn !== undefined;
  }

  /** What the agent offers and what is in force; undefined until `initialize` answered. */
  get session(): AgentSessionInfo | undefined {
    return this.info;
  }

  private get errorContext(): AgentErrorContext {
    return {
      provider: this.opts.provider ?? this.opts.command,
      authHint: this.opts.authHint ?? "set the credentials it needs in its env",
      authMethods: this.info?.auth_methods ?? [],
    };
  }

  /** One prompt turn; resolves with the stop reason, the final agent message and the turn's usage. */
  async prompt(text: string): Promise<PromptResult> {
    const sessionId = this.sessionIdValue;
    if (!sessionId) throw new Error("ACP session not started");
    if (this.turn) throw new Error("a prompt turn is already running");
    const turn = new TurnMessages();
    this.turn = turn;
    this.meter.beginTurn();
    try {
      const res = await this.guard(
        this.connection.agent.request(acp.methods.agent.session.prompt, {
          sessionId,
          prompt: [{ type: "text", text }],
        }),
      ).catch((err: unknown) => {
        if (!isRequestError(err)) throw err;
        // An agent that only finds out at the first turn that it has no credentials (Claude does).
        if (isAuthRequired(err)) throw authRequiredError(this.errorContext, err);
        throw new Error(cleanAgentMessage(err.message) || `JSON-RPC error ${err.code}`, { cause: err });
      });
      const reply = turn.reply();
      return {
        stopReason: res.stopReason,
        replyText: reply.text,
        ...(reply.truncatedBytes === undefined ? {} : { replyTruncatedBytes: reply.truncatedBytes }),
        messages: reply.messages,
        usage: this.meter.endTurn(res),
      };
    } finally {
      this.turn = undefined;
    }
  }

  /** session/cancel; every pending permission request is answered `cancelled`. */
  async cancel(): Promise<void> {
    const sessionId = this.sessionIdValue;
    if (sessionId && !this.process.hasExited) {
      await this.connection.agent.notify(acp.methods.agent.session.cancel, { sessionId }).catch(() => {});
    }
    for (const id of [...this.pending.keys()])
      this.resolvePermission(id, { cancelled: true }, { reason: "session cancelled" });
  }

  pendingPermissions(): PendingPermission[] {
    return [...this.pending.values()].map(({ request_id, tool_call, options }) => ({
      request_id,
      tool_call,
      options,
    }));
  }

  /** Answers a pending permission request. `meta` (e.g. who decided) is added to the resolved event. */
  respondPermission(requestId: string, answer: PermissionAnswer, meta: Record<string, unknown> = {}): void {
    const entry = this.pending.get(requestId);
    if (!entry) throw new AppError("PERMISSION_REQUEST_NOT_FOUND", { request_id: requestId });
    if ("option_id" in answer && !entry.options.some((o) => o.optionId === answer.option_id)) {
      const valid = entry.options.map((o) => o.optionId);
      throw new AppError(
        "BAD_REQUEST",
        { option_id: answer.option_id, options: valid },
        { message: `unknown option_id "${answer.option_id}"; expected one of: ${valid.join(", ")}` },
      );
    }
    this.resolvePermission(requestId, answer, meta);
  }

  /** Cancel, SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 5000): Promise<AgentExit> {
    if (!this.process.hasExited) await this.cancel();
    return this.process.stop(graceMs, "stopped");
  }

  private async open(timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => {
      void this.process.stop(2000, `agent did not complete ACP startup within ${timeoutMs} ms`);
    }, timeoutMs);
    try {
      await this.guard(this.handshake());
    } catch (caught) {
      const err = isRequestError(caught) ? startError(this.errorContext, caught) : caught;
      if (!(err instanceof AgentExitedError))
        await this.process.stop(
          2000,
          `ACP startup failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * initialize, session/load of the session to resume (when the agent can) or session/new (with the MCP
   * servers), then the wanted mode, model and config options.
   */
  private async handshake(): Promise<void> {
    const init = await this.connection.agent.request(acp.methods.agent.initialize, {
      protocolVersion: acp.PROTOCOL_VERSION,
      clientCapabilities: {},
      clientInfo: { name: "agenthub", version: "1" },
    });
    this.info = sessionInfoFromInitialize(init, this.opts.settings?.mcp_servers);
    // Reported at once: an agent that then refuses session/new (no credentials) has shown its auth methods.
    this.opts.onEvent({ type: "session_config", session: this.info });
    const settings = this.opts.settings ?? {};
    const mcpServers = toAcpMcpServers(settings.mcp_servers ?? []);
    const { sessionId, res, start } = await this.openSession(mcpServers);
    this.sessionIdValue = sessionId;
    this.opts.onEvent({ type: "session_started", ...start });
    const offered = withSessionOffer(this.info, res);
    this.info = offered;
    await applySessionSettings({
      connection: this.connection,
      sessionId,
      provider: this.errorContext.provider,
      settings,
      get: () => this.info ?? offered,
      set: (info) => {
        this.info = info;
      },
    });
    this.configured = true;
    if (this.info) this.opts.onEvent({ type: "session_config", session: this.info });
  }

  /** The session to work in: the one to resume, restored, or else a new one. */
  private async openSession(
    mcpServers: acp.McpServer[],
  ): Promise<{ sessionId: string; res: unknown; start: SessionStarted }> {
    const resume = this.opts.resumeSessionId || null;
    let lost: string | null = null;
    if (resume && this.info?.load_session) {
      try {
        const res = await this.connection.agent.request(acp.methods.agent.session.load, {
          sessionId: resume,
          cwd: this.opts.cwd,
          mcpServers,
        });
        return {
          sessionId: resume,
          res,
          start: { session_id: resume, resumed_from: resume, loaded: true, context_lost: null },
        };
      } catch (err) {
        // An agent that cannot find the session (or refuses it) starts a new one; credentials it
        // lacks fail session/new the same way, with the typed error.
        if (!isRequestError(err)) throw err;
        lost = `session/load of ${resume} failed: ${cleanAgentMessage(err.message) || `JSON-RPC error ${err.code}`}`;
      }
    } else if (resume) {
      lost = "the agent cannot load sessions (it does not advertise loadSession)";
    }
    const res = await this.connection.agent.request(acp.methods.agent.session.new, {
      cwd: this.opts.cwd,
      mcpServers,
    });
    if (typeof res.sessionId !== "string" || res.sessionId === "") {
      throw new AppError("AGENT_START_FAILED", {
        provider: this.errorContext.provider,
        cause: "it answered session/new without a session id",
      });
    }
    return {
      sessionId: res.sessionId,
      res,
      start: { session_id: res.sessionId, resumed_from: resume, loaded: false, context_lost: lost },
    };
  }

  /** Turns "the connection went away" into the clear AgentExitedError of the process. */
  private async guard<T>(work: Promise<T>): Promise<T> {
    const died = this.process.exited.then((exit) => Promise.reject(new AgentExitedError(exit)));
    died.catch(() => {});
    try {
      return await Promise.race([work, died]);
    } catch (err) {
      // An answer the agent sent (a JSON-RPC error) stays its answer even if it exits right after.
      if (err instanceof AgentExitedError || isRequestError(err)) throw err;
      if (this.process.hasExited || this.connection.signal.aborted) {
        throw new AgentExitedError(await this.process.exited, { cause: err });
      }
      throw err;
    }
  }

  private onUpdate(params: acp.SessionNotification): void {
    const update = params.update;
    const changed = this.info && withSessionUpdate(this.info, update);
    const turn = this.turn;
    if (update.sessionUpdate === "usage_update") this.meter.usageUpdate(update);
    else if (turn && update.sessionUpdate === "agent_message_chunk" && update.content.type === "text") {
      turn.chunk(update.content.text, update.messageId);
    } else if (
      turn &&
      (update.sessionUpdate === "tool_call" || update.sessionUpdate === "tool_call_update")
    ) {
      turn.toolCall();
    }
    this.opts.onEvent({ type: "session_update", update });
    if (changed) {
      this.info = changed;
      if (this.configured) this.opts.onEvent({ type: "session_config", session: changed });
    }
  }

  private onPermissionRequest(
    params: acp.RequestPermissionRequest,
    signal: AbortSignal,
  ): Promise<acp.RequestPermissionResponse> {
    const request_id = `perm_${randomBytes(9).toString("base64url")}`;
    return new Promise((resolve) => {
      this.pending.set(request_id, {
        request_id,
        tool_call: params.toolCall,
        options: params.options,
        resolve,
      });
      signal.addEventListener(
        "abort",
        () => this.resolvePermission(request_id, { cancelled: true }, { reason: "request aborted by agent" }),
        { once: true },
      );
      this.opts.onEvent({
        type: "permission_request",
        request_id,
        tool_call: params.toolCall,
        options: params.options,
      });
    });
  }

  private resolvePermission(id: string, answer: PermissionAnswer, meta: Record<string, unknown>): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.opts.onEvent({ type: "permission_resolved", ...meta, request_id: id, outcome: answer });
    entry.resolve({
      outcome:
        "option_id" in answer
          ? { outcome: "selected", optionId: answer.option_id }
          : { outcome: "cancelled" },
    });
  }
}
