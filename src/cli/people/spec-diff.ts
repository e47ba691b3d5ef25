/** One difference between two versions of a team: added, removed, or changed at a path. */
export interface Change {
  op: "+" | "-" | "~";
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Arrays whose items are named by a key, so a change shows as `spec.steps[build].prompt`. */
const ITEM_KEYS = ["step_key", "member_id"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The key naming each item of both arrays once (steps by step_key, members by member_id), if any. */
function keyOf(before: unknown[], after: unknown[]): string | undefined {
  const names = (items: unknown[], k: string) => {
    const ids = items.map((i) => (isObj(i) ? i[k] : undefined));
    return ids.every((id) => typeof id === "string") && new Set(ids).size === ids.length;
  };
  if (before.length + after.length === 0) return undefined;
  return ITEM_KEYS.find((k) => names(before, k) && names(after, k));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed from `before` to `after` (JSON values): nested objects by key, arrays of members and
 * steps by their id (in the order of `after`, removals last), any other value as a whole.
 */
export function diffValues(before: unknown, after: unknown, path = ""): Change[] {
  if (same(before, after)) return [];
  if (before === undefined) return [{ op: "+", path, after }];
  if (after === undefined) return [{ op: "-", path, before }];
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = keyOf(before, after);
    if (key) {
      const id = (i: unknown) => String((i as Obj)[key]);
      const old = new Map(before.map((i) => [id(i), i]));
      const now = new Map(after.map((i) => [id(i), i]));
      const changed = after.flatMap((i) => diffValues(old.get(id(i)), i, `${path}[${id(i)}]`));
      const removed = before
        .filter((i) => !now.has(id(i)))
        .flatMap((i) => diffValues(i, undefined, `${path}[${id(i)}]`));
      return [...changed, ...removed];
    }
  }
  return [{ op: "~", path, before, after }];
}

const show = (v: unknown) => JSON.stringify(v);

/** `~ spec.steps[build].prompt: "a" -> "b"`, `+ spec.members[w2]`, `- spec.steps[docs]`. */
export function formatChange(c: Change): string {
  if (c.op === "~") return `~ ${c.path}: ${show(c.before)} -> ${show(c.after)}`;
  const v = c.op === "+" ? c.after : c.before;
  return isObj(v) || Array.isArray(v) ? `${c.op} ${c.path}` : `${c.op} ${c.path}: ${show(v)}`;
}
