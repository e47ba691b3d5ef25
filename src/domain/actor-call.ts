/**
 * Whether a tool call an agent asks permission for is one of agenthub's own actor calls: a shell
 * command that is exactly one `agenthub actor …` invocation, or a call of a tool of the `agenthub`
 * MCP server (`agenthub actor mcp`). Such a call does only what the member's scoped actor token allows
 * (its own steps, its mail, the reviews routed to it), so a team's policy may allow it without asking.
 *
 * A shell command qualifies only when nothing in it can run anything else: plain words, single-quoted
 * text, and double-quoted text without `$`, backquotes or backslashes; no operator (`;`, `&`, `|`,
 * redirections, subshells), no newline. Anything unusual is simply not an actor call (it is reviewed).
 */

/** The name agenthub's actor MCP server has in a session (`session/new` mcpServers). */
export const ACTOR_MCP_SERVER = "agenthub";

/** Longest command or title looked at (a real actor call is far shorter). */
const MAX_COMMAND = 8192;

const PLAIN = /^[A-Za-z0-9_\-./=:,@%+]+$/;
const SUBCOMMAND = /^[a-z][a-z-]*$/;
/** `agenthub`, or a path to it (the node puts its own `bin/agenthub.js` first on PATH and in AGENTHUB_BIN). */
const PROGRAM = /^(?:[A-Za-z0-9_\-./]*\/)?agenthub(?:\.js)?$/;
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/zsh"]);

/**
 * The words of `line` when it is a plain command (see the module comment), else undefined. Quotes are
 * removed as the shell would; nothing is expanded.
 */
export function plainWords(line: string): string[] | undefined {
  if (line.length > MAX_COMMAND) return undefined;
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === " " || c === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? "") + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) return undefined;
      const inner = line.slice(i + 1, end);
      if (/[$`\\\n\r]/.test(inner) || inner.includes("\u0000")) return undefined;
      word = (word ?? "") + inner;
      i = end + 1;
    } else {
      let j = i;
      while (j < line.length && !" \t'\"".includes(line[j]!)) j++;
      const piece = line.slice(i, j);
      if (!PLAIN.test(piece)) return undefined;
      word = (word ?? "") + piece;
      i = j;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** `node`, by name or path (how an agent may run `bin/agenthub.js`). */
const NODE = /^(?:\/[A-Za-z0-9_\-./]*\/)?node$/;

/** `[node] agenthub actor <subcommand> …`: the words of an actor invocation. */
function isActorInvocation(words: readonly string[]): boolean {
  const w = NODE.test(words[0] ?? "") ? words.slice(1) : words;
  return w.length >= 3 && PROGRAM.test(w[0]!) && w[1] === "actor" && SUBCOMMAND.test(w[2]!);
}

/** A command line as agents report it: a string, or argv (`["bash", "-lc", "<line>"]` or plain words). */
function commandLineOf(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((a) => typeof a === "string")) return undefined;
  const argv = raw as string[];
  if (argv.length === 3 && SHELLS.has(argv[0]!) && (argv[1] === "-c" || argv[1] === "-lc")) return argv[2];
  // Plain argv: each word must stand as a word on its own (it is checked like a typed line).
  return argv.every((a) => PLAIN.test(a)) ? argv.join(" ") : undefined;
}

/** True when `line` (a shell command line) is exactly one `agenthub actor …` invocation. */
export function isActorCommandLine(line: string): boolean {
  const trimmed = line.trim().replace(/^`([^`]*)`$/, "$1");
  const words = plainWords(trimmed);
  return words !== undefined && isActorInvocation(words);
}

/** MCP tool titles agents give a call of the `agenthub` server's tools. */
const MCP_TITLES = [
  /^mcp__agenthub__([a-z][a-z_]*)$/, // Claude Code, Codex
  /^agenthub__([a-z][a-z_]*)$/,
  /^agenthub[.:/]([a-z][a-z_]*)$/,
  /^([a-z][a-z_]*) \(agenthub MCP Server\)$/, // Gemini CLI
];
/** Kinds of tool call an MCP tool call never is (those run or change things on their own). */
const NOT_MCP_KINDS = new Set(["execute", "edit", "delete", "move"]);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * How `toolCall` (an ACP tool call, as the agent sent it) reaches agenthub's actor commands: `shell`
 * (`agenthub actor <command>` run by its shell tool), `mcp` (a tool of the `agenthub` MCP server), or
 * null when it is anything else.
 */
export function actorCallOf(
  toolCall: unknown,
): { via: "shell"; command: string } | { via: "mcp"; tool: string } | null {
  if (!isObj(toolCall)) return null;
  const title = typeof toolCall.title === "string" ? toolCall.title.trim() : "";
  const kind = typeof toolCall.kind === "string" ? toolCall.kind : undefined;
  const raw = isObj(toolCall.rawInput) ? toolCall.rawInput : undefined;
  // A shell tool reports its command in rawInput; when it does, that (not the title) is what runs.
  const command = raw ? commandLineOf(raw.command ?? raw.cmd) : undefined;
  if (command !== undefined) {
    return isActorCommandLine(command) ? { via: "shell", command: command.trim() } : null;
  }
  if (kind === "execute") {
    return title && isActorCommandLine(title) ? { via: "shell", command: title } : null;
  }
  if (kind !== undefined && NOT_MCP_KINDS.has(kind)) return null;
  for (const re of MCP_TITLES) {
    const m = re.exec(title);
    if (m) return { via: "mcp", tool: m[1]! };
  }
  return null;
}
