import { editDistance } from "../util/edit-distance.js";
import type { JsonObject, ProblemList } from "./problem-list.js";

/**
 * Strict specs: every object of a team spec has a fixed set of keys, and anything else is refused
 * with its path and, when one is close, the key the user probably meant. A typo must never become
 * a silently missing prompt, dependency or agent.
 */

/** Keys of each object of a team spec (the TeamSpec types in team-spec.ts, as data). */
export const SPEC_KEYS = {
  spec: ["spec_version", "leader_member_id", "members", "entrypoint", "steps", "permissions"],
  member: ["member_id", "role", "description", "skills", "agent"],
  agent: [
    "provider",
    "command",
    "args",
    "env",
    "node_id",
    "worktree_mode",
    "workdir",
    "worktree_repo",
    "worktree_ref",
    "mode",
    "model",
    "config_options",
    "mcp_servers",
  ],
  mcp_server: ["name", "command", "args", "env"],
  entrypoint: ["member_id", "prompt"],
  step: ["step_key", "member_id", "prompt", "depends_on", "timeout_seconds"],
  permissions: ["route", "reviewer_member_id", "agent_may_allow_always", "on_timeout", "auto_allow"],
  auto_allow_rule: ["name", "member", "tool_kind", "title_matches", "actor_call"],
} as const satisfies Record<string, readonly string[]>;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys longer than this are shown shortened and get no suggestion. */
const SHOWN_KEY = 64;

/** `field` + key as a path segment: `.prompt`, or `["odd key"]` for keys that are not identifiers. */
export function keyPath(field: string, key: string): string {
  if (PLAIN_KEY.test(key) && key.length <= SHOWN_KEY) return `${field}.${key}`;
  const shown = key.length > SHOWN_KEY ? `${key.slice(0, SHOWN_KEY)}…` : key;
  return `${field}[${JSON.stringify(shown)}]`;
}

const normalize = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/**
 * The candidate closest to `word`, when it is close enough to be a typo of it (case, `_`/`-` and
 * about one edit in three characters ignored: `promt` -> `prompt`, `dependson` -> `depends_on`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > SHOWN_KEY) return undefined;
  const w = normalize(word);
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c));
    if (!best || d < best.d) best = { c, d };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(w.length, normalize(best.c).length) / 3));
  return best.d <= allowed ? best.c : undefined;
}

/** Reports every key of `obj` not in `known` at its path, naming the closest known key. */
export function refuseUnknownKeys(
  obj: JsonObject,
  known: readonly string[],
  field: string,
  p: ProblemList,
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const at = keyPath(field, key);
    const near = closest(key, known);
    p.add(
      at,
      near
        ? `${at}: unknown key; did you mean "${near}"?`
        : `${at}: unknown key (known keys: ${known.join(", ")})`,
    );
  }
}

/**
 * Reports strings (values and keys) with NUL bytes anywhere in `value`: they cannot reach a process,
 * a path or git intact. Walks iteratively; the JSON parser already bounds the nesting.
 */
export function refuseNulBytes(value: unknown, field: string, p: ProblemList): void {
  const stack: [unknown, string][] = [[value, field]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) p.add(at, `${at} must not contain NUL bytes`);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const path = keyPath(at, k);
        if (k.includes("\u0000")) p.add(path, `${path}: keys must not contain NUL bytes`);
        stack.push([child, path]);
      }
    }
  }
}
