#!/usr/bin/env node
/**
 * agenthub scripted ACP agent — deterministic, no model. Speaks ACP (JSON-RPC, ndjson) on stdio.
 * Each prompt is read line by line; lines that are not directives are ignored. Directives:
 *
 *   reply: <text>                       send <text> as agent_message_chunk (`\n` escapes allowed)
 *   write <relpath>: <content>          write a file inside the session cwd; a path whose real path
 *                                       (after `..` and symlinks) leaves the cwd is refused (reply)
 *   ask-permission [options=<id>:<kind>,…] write <relpath>: <content>
 *                                       session/request_permission for a write tool call, offering
 *                                       the options (default allow_once:allow_once,reject_once:reject_once;
 *                                       e.g. Gemini-like proceed_once:allow_once,cancel:reject_once);
 *                                       writes only when the chosen option's kind allows; reply says which
 *   ask-permission [options=…] run: <command line>
 *                                       session/request_permission for an execute tool call (title and
 *                                       rawInput.command: the line), then runs it as `run:` when allowed
 *   run: <command line>                 run without a shell (quotes split like sh); `agenthub` means
 *                                       $AGENTHUB_BIN if set (a .js file runs under node), else PATH;
 *                                       the environment (AGENTHUB_*) is inherited; stdout -> reply
 *   sleep <ms>                          wait; session/cancel stops it -> stopReason "cancelled"
 *   exit <code> [stderr text]           print the text on stderr and exit the process with <code>
 *   emit <n>                            send n agent_message_chunk updates quickly (benchmarks)
 *   emit-bytes <n>                      send one agent_message_chunk of n bytes ("ooo…"; size caps)
 *   stderr-bytes <n>                    print one stderr line of n bytes ("eee…") plus a newline
 *   set-mode <id>                       switch the session's mode itself (current_mode_update)
 *   session-state                       reply with the session's mode, model, config option values
 *                                       and the MCP servers session/new gave it, as JSON
 *   mcp-call <server> <tool> [<json>]   call a tool of a stdio MCP server session/new gave it (started
 *                                       with that server's env only), as a tool call; reply: its text
 *   new-message                         end the current agent message (the next reply starts a new
 *                                       one; a tool call does the same). Each message has a messageId
 *   usage: input=<n> output=<n> [cached-read=<n>] [cached-write=<n>] [thought=<n>] [total=<n>]
 *          [cost=<amount> [currency=USD]]
 *                                       report the turn's tokens as the prompt response's `usage`
 *                                       (as Claude and Codex do) and its cost as a `usage_update`
 *                                       with the session's cumulative cost
 *   usage-quota: input=<n> output=<n>   report tokens only in `_meta.quota.token_count` (as Gemini)
 *   plan: <entry> | <entry> …           send a plan (the first entry in_progress, the others pending)
 *   remember: <text>                    the session keeps <text> (reply "remembered: <text>")
 *   recall                              reply "I remember: a; b" with what the session kept
 *
 * Env SCRIPTED_LOAD_SESSION=1 makes it advertise `loadSession` and keep each session (conversation and
 * what it remembers) in a file (session-store.ts), so `session/load` in a new process restores it:
 * the conversation is replayed as message chunks and `recall` answers what an earlier process was told.
 *
 * Modes, models, config options and auth methods it offers, and whether it requires credentials,
 * come from SCRIPTED_* environment variables (see session-offer.ts).
 *
 * Env SCRIPTED_REVIEW_DECISION=allow|reject makes a (leader) agent answer every permission review in
 * its prompt (`"review_id": "…"`): with the `permission_review_respond` tool of its `agenthub` MCP
 * server when the session has one, else `agenthub actor permission-review-respond`; it chooses the
 * option of kind `<decision>_once`, else the first whose ACP kind starts with the decision.
 *
 * With no directive the reply is a short summary of the prompt. Every turn ends with end_turn
 * unless cancelled. Env SCRIPTED_EXIT_AFTER_MS=<n> makes the process print a stderr line and exit
 * with SCRIPTED_EXIT_CODE (default 1) n ms after start (early-exit tests); SCRIPTED_EXIT_AFTER_SESSION_MS=<n>
 * does the same n ms after it answered session/new (an agent that dies right after its start).
 */
import { randomUUID } from "node:crypto";
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";
import { callMcpTool } from "./mcp-call.js";
import { runPrompt } from "./run-prompt.js";
import { offerFromEnv, requireAuth, SessionSettingsState } from "./session-offer.js";
import { loadSessionEnabled, readSession, type StoredSession, writeSession } from "./session-store.js";

interface ScriptedSession {
  cwd: string;
  settings: SessionSettingsState;
  mcpServers: acp.McpServer[];
  turn?: AbortController | undefined;
  stored: StoredSession;
  /** The session's cumulative cost (usage_update). */
  cost: { amount: number; currency: string } | undefined;
}

const offer = offerFromEnv(process.env);

function sessionOf(id: string): ScriptedSession {
  const s = sessions.get(id);
  if (!s) throw acp.RequestError.resourceNotFound(id);
  return s;
}

const exitAfter = Number(process.env.SCRIPTED_EXIT_AFTER_MS);
if (Number.isFinite(exitAfter) && exitAfter >= 0 && process.env.SCRIPTED_EXIT_AFTER_MS) {
  setTimeout(() => {
    process.stderr.write(`scripted agent: exiting after ${exitAfter} ms (SCRIPTED_EXIT_AFTER_MS)\n`);
    process.exit(Number(process.env.SCRIPTED_EXIT_CODE ?? 1));
  }, exitAfter);
}

const sessions = new Map<string, ScriptedSession>();

function exitAfterSession(): void {
  const ms = Number(process.env.SCRIPTED_EXIT_AFTER_SESSION_MS);
  if (!process.env.SCRIPTED_EXIT_AFTER_SESSION_MS || !Number.isFinite(ms) || ms < 0) return;
  setTimeout(() => {
    process.stderr.write(
      `scripted agent: exiting ${ms} ms after session/new (SCRIPTED_EXIT_AFTER_SESSION_MS)\n`,
    );
    process.exit(Number(process.env.SCRIPTED_EXIT_CODE ?? 1));
  }, ms);
}

const app = acp
  .agent({ name: "agenthub-scripted" })
  .onRequest(acp.methods.agent.initialize, () => ({
    protocolVersion: acp.PROTOCOL_VERSION,
    agentCapabilities: { loadSession: loadSessionEnabled(process.env) },
    agentInfo: { name: "agenthub-scripted", version: "1" },
    authMethods: offer.authMethods,
  }))
  .onRequest(acp.methods.agent.session.new, ({ params }) => {
    requireAuth(process.env, "session");
    const failure = process.env.SCRIPTED_SESSION_ERROR;
    if (failure) throw acp.RequestError.internalError(undefined, `${failure}\n})`);
    exitAfterSession();
    const sessionId = randomUUID();
    const settings = new SessionSettingsState(offer);
    sessions.set(sessionId, {
      cwd: params.cwd,
      settings,
      mcpServers: params.mcpServers,
      stored: { cwd: params.cwd, history: [], facts: [] },
      cost: undefined,
    });
    return { sessionId, ...settings.newSessionFields() };
  })
  .onRequest(acp.methods.agent.session.load, async ({ params, client }) => {
    requireAuth(process.env, "session");
    const stored = loadSessionEnabled(process.env)
      ? readSession(process.env, params.cwd, params.sessionId)
      : undefined;
    if (!stored) throw acp.RequestError.resourceNotFound(params.sessionId);
    exitAfterSession();
    const settings = new SessionSettingsState(offer);
    sessions.set(params.sessionId, {
      cwd: params.cwd,
      settings,
      mcpServers: params.mcpServers,
      stored: { ...stored, cwd: params.cwd },
      cost: undefined,
    });
    // ACP: the agent replays the conversation as session/update notifications before it answers.
    for (const m of stored.history) {
      await client.notify(acp.methods.client.session.update, {
        sessionId: params.sessionId,
        update: {
          sessionUpdate: m.role === "user" ? "user_message_chunk" : "agent_message_chunk",
          content: { type: "text", text: m.text },
        },
      });
    }
    return settings.newSessionFields();
  })
  .onRequest(acp.methods.agent.session.setMode, ({ params }) => {
    sessionOf(params.sessionId).settings.setMode(params.modeId);
    return {};
  })
  .onRequest(acp.methods.agent.session.setConfigOption, ({ params }) => ({
    configOptions: sessionOf(params.sessionId).settings.setOption(params.configId, params.value),
  }))
  .onRequest(
    "session/set_model",
    (raw: unknown) => raw as { sessionId: string; modelId: string },
    ({ params }) => {
      sessionOf(params.sessionId).settings.setModel(params.modelId);
      return {};
    },
  )
  .onRequest(acp.methods.agent.session.prompt, async ({ params, client, signal }) => {
    requireAuth(process.env, "prompt");
    const session = sessions.get(params.sessionId);
    if (!session) throw acp.RequestError.resourceNotFound(params.sessionId);
    const turn = new AbortController();
    session.turn = turn;
    const onAbort = () => turn.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    const text = params.prompt.map((b) => (b.type === "text" ? b.text : "")).join("\n");
    try {
      const { said, ...answer } = await runPrompt(
        text,
        session.cwd,
        {
          update: (update) =>
            client.notify(acp.methods.client.session.update, { sessionId: params.sessionId, update }),
          requestPermission: (req) =>
            client.request(acp.methods.client.session.requestPermission, {
              ...req,
              sessionId: params.sessionId,
            }),
          setMode: (id) => session.settings.setMode(id),
          sessionState: () => session.settings.snapshot(session.mcpServers),
          mcpServerNames: () => session.mcpServers.map((s) => s.name),
          callTool: (server, tool, args) => {
            const s = session.mcpServers.find((x) => x.name === server);
            if (!s) throw new Error(`no MCP server "${server}" in this session`);
            return callMcpTool(s, tool, args);
          },
          addCost: (cost) => {
            const before = session.cost?.currency === cost.currency ? session.cost.amount : 0;
            session.cost = { amount: before + cost.amount, currency: cost.currency };
            return session.cost;
          },
          facts: () => [...session.stored.facts],
          remember: (fact) => session.stored.facts.push(fact),
        },
        turn.signal,
      );
      session.stored.history.push({ role: "user", text }, { role: "agent", text: said });
      // Kept before the answer: a process killed right after it still has the turn on disk.
      if (loadSessionEnabled(process.env)) writeSession(process.env, params.sessionId, session.stored);
      return answer;
    } finally {
      signal.removeEventListener("abort", onAbort);
      if (session.turn === turn) session.turn = undefined;
    }
  })
  .onNotification(acp.methods.agent.session.cancel, ({ params }) => {
    sessions.get(params.sessionId)?.turn?.abort();
  });

const connection = app.connect(
  acp.ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  ),
);
void connection.closed.then(() => process.exit(0));
