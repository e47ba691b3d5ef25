import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, realpath, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type {
  RequestPermissionRequest,
  RequestPermissionResponse,
  SessionUpdate,
  StopReason,
} from "@agentclientprotocol/sdk";
import { ACTOR_MCP_SERVER } from "../../domain/actor-call.js";
import type { McpCallResult } from "./mcp-call.js";
import { type Directive, parseDirectives, reviewDirectives, type UsageCounts } from "./parse-directives.js";
import { runCommand } from "./run-command.js";

/** What a prompt turn can do towards the client. */
export interface PromptIo {
  update(update: SessionUpdate): Promise<void>;
  requestPermission(request: Omit<RequestPermissionRequest, "sessionId">): Promise<RequestPermissionResponse>;
  /** Switches the session's mode (throws for a mode it does not offer). */
  setMode(id: string): void;
  /** The session's settings and MCP servers, for the `session-state` directive. */
  sessionState(): Record<string, unknown>;
  /** Calls a tool of one of the session's MCP servers (by the server's name). */
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<McpCallResult>;
  /** The names of the session's MCP servers. */
  mcpServerNames(): string[];
  /** Adds a turn's cost to the session's; returns the session's cumulative cost. */
  addCost(cost: { amount: number; currency: string }): { amount: number; currency: string };
  /** What the session was told to remember (this process, or restored with session/load). */
  facts(): string[];
  remember(fact: string): void;
}

/** How a turn ended, with the extra fields of the prompt response (ACP's unstable `usage`, `_meta`). */
export interface PromptOutcome {
  stopReason: StopReason;
  /** What the turn said (its messages joined), for the stored conversation. */
  said: string;
  usage?: Record<string, number> | undefined;
  _meta?: Record<string, unknown> | undefined;
}

const ACP_USAGE_FIELDS: Record<keyof UsageCounts, string> = {
  input: "inputTokens",
  output: "outputTokens",
  "cached-read": "cachedReadTokens",
  "cached-write": "cachedWriteTokens",
  thought: "thoughtTokens",
  total: "totalTokens",
};

const QUOTA_FIELDS: Partial<Record<keyof UsageCounts, string>> = {
  input: "input_tokens",
  output: "output_tokens",
};

function renamed(counts: UsageCounts, names: Partial<Record<keyof UsageCounts, string>>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) {
    const name = names[k as keyof UsageCounts];
    if (name && v !== undefined) out[name] = v;
  }
  return out;
}

type Step = "continue" | "cancelled";

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      done();
    }
    signal.addEventListener("abort", finish, { once: true });
  });
}

/** One stderr line of `bytes` bytes plus a newline, written in 1 MiB pieces (waits for drain). */
async function writeStderrLine(bytes: number): Promise<void> {
  const piece = "e".repeat(Math.min(bytes, 1024 * 1024));
  for (let left = bytes; left > 0; left -= piece.length) {
    const text = left >= piece.length ? piece : piece.slice(0, left);
    if (!process.stderr.write(text)) await new Promise((r) => process.stderr.once("drain", r));
  }
  process.stderr.write("\n");
}

function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of the nearest existing ancestor of `path` (itself when it exists). */
async function realAncestor(path: string): Promise<{ real: string } | { dangling: string }> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return { real: await realpath(p) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || dirname(p) === p) throw err;
      // The entry exists but does not resolve: a dangling symlink; creating through it could land anywhere.
      if (await lstat(p).catch(() => undefined)) return { dangling: p };
    }
  }
}

/**
 * Where a `write` really lands, or why it may not: the real path (after `..` and every symlink, of
 * the parent folders and of the file itself) must stay inside the real workdir. Missing folders are
 * created only after their existing ancestor was checked, then the folder is checked again.
 */
async function writeTarget(cwd: string, path: string): Promise<{ file: string } | { refused: string }> {
  const root = await realpath(cwd);
  const abs = resolve(root, path);
  if (!isWithin(abs, root) || abs === root) return { refused: abs };
  const ancestor = await realAncestor(dirname(abs));
  if ("dangling" in ancestor) return { refused: `${ancestor.dangling} (dangling symlink)` };
  if (!isWithin(ancestor.real, root)) return { refused: ancestor.real };
  await mkdir(dirname(abs), { recursive: true });
  const dir = await realpath(dirname(abs));
  if (!isWithin(dir, root)) return { refused: dir };
  const file = join(dir, basename(abs));
  const st = await lstat(file).catch(() => undefined);
  if (!st?.isSymbolicLink()) return { file };
  // A symlinked file is written through only when its target is inside; a dangling one never is.
  const target = await realpath(file).catch(() => undefined);
  if (!target || !isWithin(target, root)) return { refused: target ?? `${file} (dangling symlink)` };
  return { file: target };
}

/**
 * Executes one prompt's directives in order; replies stream as agent_message_chunk updates. Each
 * message has its own `messageId`: a tool call (or `new-message`) ends the message, so the turn's
 * final message is what follows the last tool call, as with real agents.
 */
export async function runPrompt(
  text: string,
  cwd: string,
  io: PromptIo,
  signal: AbortSignal,
): Promise<PromptOutcome> {
  let first = true;
  let messageId = randomUUID();
  const said: string[] = [];
  let usage: Record<string, number> | undefined;
  let meta: Record<string, unknown> | undefined;
  const newMessage = () => {
    if (first) return;
    first = true;
    messageId = randomUUID();
  };
  const say = (piece: string) => {
    const chunk = first ? piece : `\n${piece}`;
    first = false;
    said.push(piece);
    return io.update({
      sessionUpdate: "agent_message_chunk",
      content: { type: "text", text: chunk },
      messageId,
    });
  };
  const tool = (
    toolCallId: string,
    title: string,
    kind: "edit" | "execute",
    status: "pending" | "completed" | "failed",
    path?: string,
  ) => {
    newMessage();
    return io.update({
      sessionUpdate: "tool_call",
      toolCallId,
      title,
      kind,
      status,
      ...(path ? { locations: [{ path: resolve(cwd, path) }] } : {}),
    });
  };

  async function write(path: string, content: string): Promise<boolean> {
    try {
      const target = await writeTarget(cwd, path);
      if ("refused" in target) {
        await say(`refused to write outside the workdir: ${path} (resolves to ${target.refused})`);
        return false;
      }
      // O_NOFOLLOW: a symlink swapped in after the check is not followed.
      await writeFile(target.file, content, {
        flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      });
      return true;
    } catch (err) {
      await say(`could not write ${path}: ${(err as Error).message}`);
      return false;
    }
  }

  async function runAndSay(toolCallId: string, command: string): Promise<Step> {
    const r = await runCommand(command, cwd, signal);
    if (signal.aborted) return "cancelled";
    await io.update({
      sessionUpdate: "tool_call_update",
      toolCallId,
      status: r.code === 0 ? "completed" : "failed",
    });
    const out = r.stdout.trim();
    await say(
      r.code === 0 ? out || "(no output)" : `command failed (exit ${r.code}): ${r.stderr.trim() || out}`,
    );
    return "continue";
  }

  async function step(d: Directive): Promise<Step> {
    switch (d.type) {
      case "reply":
        await say(d.text);
        return "continue";
      case "write": {
        if (await write(d.path, d.content)) {
          await tool(randomUUID(), `Write ${d.path}`, "edit", "completed", d.path);
          await say(`wrote ${d.path}`);
        }
        return "continue";
      }
      case "ask_write": {
        const toolCallId = randomUUID();
        const title = `Write ${d.path}`;
        await tool(toolCallId, title, "edit", "pending", d.path);
        // As Claude Code sends it: the change as a diff, and the same text again in rawInput.
        const res = await io.requestPermission({
          toolCall: {
            toolCallId,
            title,
            kind: "edit",
            status: "pending",
            locations: [{ path: join(cwd, d.path) }],
            content: [{ type: "diff", path: join(cwd, d.path), oldText: null, newText: d.content }],
            rawInput: { path: d.path, content: d.content },
          },
          options: d.options.map((o) => ({ ...o, name: o.optionId })),
        });
        if (res.outcome.outcome === "cancelled") return "cancelled";
        // Decided by the chosen option's kind, as a real agent does (ids are the agent's own names).
        const chosen = res.outcome.optionId;
        const allowed = d.options.find((o) => o.optionId === chosen)?.kind.startsWith("allow") === true;
        const status = allowed ? "completed" : "failed";
        if (allowed && !(await write(d.path, d.content))) return "continue";
        await io.update({ sessionUpdate: "tool_call_update", toolCallId, status });
        await say(
          allowed ? `permission granted: wrote ${d.path}` : `permission denied: did not write ${d.path}`,
        );
        return "continue";
      }
      case "ask_run": {
        const toolCallId = randomUUID();
        await tool(toolCallId, d.command, "execute", "pending");
        const res = await io.requestPermission({
          toolCall: {
            toolCallId,
            title: d.command,
            kind: "execute",
            status: "pending",
            rawInput: { command: d.command },
          },
          options: d.options.map((o) => ({ ...o, name: o.optionId })),
        });
        if (res.outcome.outcome === "cancelled") return "cancelled";
        const chosen = res.outcome.optionId;
        if (d.options.find((o) => o.optionId === chosen)?.kind.startsWith("allow") !== true) {
          await io.update({ sessionUpdate: "tool_call_update", toolCallId, status: "failed" });
          await say(`permission denied: did not run ${d.command}`);
          return "continue";
        }
        return runAndSay(toolCallId, d.command);
      }
      case "run": {
        const toolCallId = randomUUID();
        await tool(toolCallId, d.command, "execute", "pending");
        return runAndSay(toolCallId, d.command);
      }
      case "sleep":
        await abortableSleep(d.ms, signal);
        return signal.aborted ? "cancelled" : "continue";
      case "exit":
        if (d.stderr) process.stderr.write(`${d.stderr}\n`);
        process.exit(d.code);
        return "cancelled";
      case "emit":
        for (let i = 1; i <= d.count; i++) await say(`chunk ${i}/${d.count}`);
        return "continue";
      case "emit_bytes":
        await say("o".repeat(d.bytes));
        return "continue";
      case "stderr_bytes":
        await writeStderrLine(d.bytes);
        return "continue";
      case "set_mode":
        io.setMode(d.mode);
        await io.update({ sessionUpdate: "current_mode_update", currentModeId: d.mode });
        await say(`mode is now ${d.mode}`);
        return "continue";
      case "session_state":
        await say(JSON.stringify(io.sessionState()));
        return "continue";
      case "mcp_call": {
        const toolCallId = randomUUID();
        await io.update({
          sessionUpdate: "tool_call",
          toolCallId,
          title: `mcp__${d.server}__${d.tool}`,
          kind: "other",
          status: "pending",
          rawInput: d.args,
        });
        const r = await io
          .callTool(d.server, d.tool, d.args)
          .catch((err: unknown): McpCallResult => ({ isError: true, text: (err as Error).message }));
        await io.update({
          sessionUpdate: "tool_call_update",
          toolCallId,
          status: r.isError ? "failed" : "completed",
        });
        await say(r.isError ? `tool ${d.tool} failed: ${r.text}` : r.text || "(no output)");
        return "continue";
      }
      case "new_message":
        newMessage();
        return "continue";
      case "plan":
        await io.update({
          sessionUpdate: "plan",
          entries: d.entries.map((content, i) => ({
            content,
            priority: "medium",
            status: i === 0 ? "in_progress" : "pending",
          })),
        });
        return "continue";
      case "usage": {
        // A directive with only a cost reports no tokens.
        const counted = Object.keys(d.counts).length > 0;
        if (counted && d.via === "quota") meta = { quota: { token_count: renamed(d.counts, QUOTA_FIELDS) } };
        else if (counted) usage = renamed(d.counts, ACP_USAGE_FIELDS);
        if (d.cost) {
          const total = io.addCost(d.cost);
          await io.update({ sessionUpdate: "usage_update", used: 1000, size: 200_000, cost: total });
        }
        return "continue";
      }
      case "remember":
        io.remember(d.fact);
        await say(`remembered: ${d.fact}`);
        return "continue";
      case "recall": {
        const facts = io.facts();
        await say(facts.length > 0 ? `I remember: ${facts.join("; ")}` : "I remember nothing");
        return "continue";
      }
    }
  }
  const outcome = (stopReason: StopReason): PromptOutcome => ({
    stopReason,
    said: said.join("\n"),
    ...(usage ? { usage } : {}),
    ...(meta ? { _meta: meta } : {}),
  });

  const viaMcp = io.mcpServerNames().includes(ACTOR_MCP_SERVER) ? ACTOR_MCP_SERVER : undefined;
  const directives = [
    ...reviewDirectives(text, process.env.SCRIPTED_REVIEW_DECISION, viaMcp),
    ...parseDirectives(text),
  ];
  if (directives.length === 0) {
    const line = text.trim().split(/\r?\n/)[0] ?? "";
    await say(`received ${text.length} chars: ${line.length > 80 ? `${line.slice(0, 80)}…` : line}`);
    return outcome("end_turn");
  }
  for (const d of directives) {
    if (signal.aborted || (await step(d)) === "cancelled") return outcome("cancelled");
  }
  return outcome("end_turn");
}
