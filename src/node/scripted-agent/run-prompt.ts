import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type {
  RequestPermissionRequest,
  RequestPermissionResponse,
  SessionUpdate,
  StopReason,
} from "@agentclientprotocol/sdk";
import { type Directive, parseDirectives, reviewDirectives } from "./parse-directives.js";
import { runCommand } from "./run-command.js";

/** What a prompt turn can do towards the client. */
export interface PromptIo {
  update(update: SessionUpdate): Promise<void>;
  requestPermission(request: Omit<RequestPermissionRequest, "sessionId">): Promise<RequestPermissionResponse>;
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

function insideCwd(cwd: string, path: string): string | undefined {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? abs : undefined;
}

/** Executes one prompt's directives in order; replies stream as agent_message_chunk updates. */
export async function runPrompt(
  text: string,
  cwd: string,
  io: PromptIo,
  signal: AbortSignal,
): Promise<StopReason> {
  let first = true;
  const say = (piece: string) => {
    const chunk = first ? piece : `\n${piece}`;
    first = false;
    return io.update({ sessionUpdate: "agent_message_chunk", content: { type: "text", text: chunk } });
  };
  const tool = (
    toolCallId: string,
    title: string,
    kind: "edit" | "execute",
    status: "pending" | "completed" | "failed",
  ) => io.update({ sessionUpdate: "tool_call", toolCallId, title, kind, status });

  async function write(path: string, content: string): Promise<boolean> {
    const abs = insideCwd(cwd, path);
    if (!abs) {
      await say(`refused to write outside the workdir: ${path}`);
      return false;
    }
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    return true;
  }

  async function step(d: Directive): Promise<Step> {
    switch (d.type) {
      case "reply":
        await say(d.text);
        return "continue";
      case "write": {
        if (await write(d.path, d.content)) {
          await tool(randomUUID(), `Write ${d.path}`, "edit", "completed");
          await say(`wrote ${d.path}`);
        }
        return "continue";
      }
      case "ask_write": {
        const toolCallId = randomUUID();
        const title = `Write ${d.path}`;
        await tool(toolCallId, title, "edit", "pending");
        const res = await io.requestPermission({
          toolCall: {
            toolCallId,
            title,
            kind: "edit",
            status: "pending",
            rawInput: { path: d.path, content: d.content },
          },
          options: [
            { optionId: "allow_once", name: "Allow", kind: "allow_once" },
            { optionId: "reject_once", name: "Reject", kind: "reject_once" },
          ],
        });
        if (res.outcome.outcome === "cancelled") return "cancelled";
        const allowed = res.outcome.optionId.startsWith("allow");
        const status = allowed ? "completed" : "failed";
        if (allowed && !(await write(d.path, d.content))) return "continue";
        await io.update({ sessionUpdate: "tool_call_update", toolCallId, status });
        await say(
          allowed ? `permission granted: wrote ${d.path}` : `permission denied: did not write ${d.path}`,
        );
        return "continue";
      }
      case "run": {
        const toolCallId = randomUUID();
        await tool(toolCallId, d.command, "execute", "pending");
        const r = await runCommand(d.command, cwd, signal);
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
    }
  }

  const directives = [
    ...reviewDirectives(text, process.env.SCRIPTED_REVIEW_DECISION),
    ...parseDirectives(text),
  ];
  if (directives.length === 0) {
    const line = text.trim().split(/\r?\n/)[0] ?? "";
    await say(`received ${text.length} chars: ${line.length > 80 ? `${line.slice(0, 80)}…` : line}`);
    return "end_turn";
  }
  for (const d of directives) {
    if (signal.aborted || (await step(d)) === "cancelled") return "cancelled";
  }
  return "end_turn";
}
