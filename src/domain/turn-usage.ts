/**
 * What a prompt turn cost: its tokens as the agent reported them (ACP's `usage` on the prompt response,
 * or a `_meta.quota.token_count` when that is all it sends) and its cost (the rise of the session's
 * cumulative `usage_update.cost` during the turn). The node measures a turn; the hub stores it per turn
 * and sums it per step attempt, run, member and agent. Counts an agent did not report are 0.
 */

/** Token counts of one turn (or a sum of turns). */
export interface TokenCounts {
  /** Input tokens not read from a cache (Anthropic `input_tokens`; OpenAI input minus cached). */
  input_tokens: number;
  output_tokens: number;
  cached_read_tokens: number;
  cached_write_tokens: number;
  /** Reasoning tokens, when the agent reports them apart. */
  thought_tokens: number;
  /** The agent's own total when it gave one, else the sum of the counts above. */
  total_tokens: number;
}

/** An amount in one currency (ISO 4217 like "USD", or another unit like "credits"). */
export interface CostAmount {
  amount: number;
  currency: string;
}

/** One turn's usage as a node reports it with `turn_ended`. */
export interface TurnUsage extends TokenCounts {
  /** What the turn cost, when the agent reports costs; null otherwise. */
  cost: CostAmount | null;
}

/** A sum of turns' usage: the turns counted, their tokens, and their costs per currency. */
export interface UsageTotals extends TokenCounts {
  turns: number;
  /** One entry per currency (sorted by currency); empty when no turn reported a cost. */
  cost: CostAmount[];
}

export const TOKEN_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cached_read_tokens",
  "cached_write_tokens",
  "thought_tokens",
  "total_tokens",
] as const satisfies readonly (keyof TokenCounts)[];

export function emptyUsage(): UsageTotals {
  return {
    turns: 0,
    input_tokens: 0,
    output_tokens: 0,
    cached_read_tokens: 0,
    cached_write_tokens: 0,
    thought_tokens: 0,
    total_tokens: 0,
    cost: [],
  };
}

/** The sum of several totals (or single turns): tokens added, costs added per currency. */
export function sumUsage(parts: readonly (UsageTotals | TurnUsage)[]): UsageTotals {
  const out = emptyUsage();
  const costs = new Map<string, number>();
  for (const p of parts) {
    out.turns += "turns" in p ? p.turns : 1;
    for (const f of TOKEN_FIELDS) out[f] += p[f];
    const list = Array.isArray(p.cost) ? p.cost : p.cost ? [p.cost] : [];
    for (const c of list) costs.set(c.currency, (costs.get(c.currency) ?? 0) + c.amount);
  }
  out.cost = [...costs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ currency, amount: roundCost(amount) }));
  return out;
}

/** Costs are sums of small floats: kept to 10 decimal places so 0.1 + 0.2 shows as 0.3. */
export function roundCost(amount: number): number {
  return Math.round(amount * 1e10) / 1e10;
}

const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;

/**
 * Tokens from ACP's (unstable) `PromptResponse.usage` (`inputTokens`, `outputTokens`,
 * `cachedReadTokens`, `cachedWriteTokens`, `thoughtTokens`, `totalTokens`); undefined when it has no
 * count at all.
 */
export function tokensFromAcpUsage(raw: unknown): TokenCounts | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const u = raw as Record<string, unknown>;
  return tokenCounts({
    input_tokens: count(u.inputTokens),
    output_tokens: count(u.outputTokens),
    cached_read_tokens: count(u.cachedReadTokens),
    cached_write_tokens: count(u.cachedWriteTokens),
    thought_tokens: count(u.thoughtTokens),
    total_tokens: count(u.totalTokens),
  });
}

/**
 * Tokens from a response's `_meta.quota.token_count` (`input_tokens`, `output_tokens`), which Gemini
 * sends instead of `usage` (its input includes cached tokens; it does not say how many).
 */
export function tokensFromQuotaMeta(meta: unknown): TokenCounts | undefined {
  if (typeof meta !== "object" || meta === null) return undefined;
  const quota = (meta as Record<string, unknown>).quota;
  if (typeof quota !== "object" || quota === null) return undefined;
  const tc = (quota as Record<string, unknown>).token_count;
  if (typeof tc !== "object" || tc === null) return undefined;
  const t = tc as Record<string, unknown>;
  return tokenCounts({
    input_tokens: count(t.input_tokens),
    output_tokens: count(t.output_tokens),
    cached_read_tokens: count(t.cached_read_tokens),
    cached_write_tokens: undefined,
    thought_tokens: count(t.thought_tokens),
    total_tokens: count(t.total_tokens),
  });
}

function tokenCounts(c: Record<keyof TokenCounts, number | undefined>): TokenCounts | undefined {
  if (TOKEN_FIELDS.every((f) => c[f] === undefined)) return undefined;
  const input = c.input_tokens ?? 0;
  const output = c.output_tokens ?? 0;
  const cachedRead = c.cached_read_tokens ?? 0;
  const cachedWrite = c.cached_write_tokens ?? 0;
  const thought = c.thought_tokens ?? 0;
  return {
    input_tokens: input,
    output_tokens: output,
    cached_read_tokens: cachedRead,
    cached_write_tokens: cachedWrite,
    thought_tokens: thought,
    total_tokens: c.total_tokens ?? input + output + cachedRead + cachedWrite + thought,
  };
}

/** A cost object (`{amount, currency}`) as an agent sent it; undefined when malformed. */
export function costOf(raw: unknown): CostAmount | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const c = raw as Record<string, unknown>;
  if (typeof c.amount !== "number" || !Number.isFinite(c.amount) || c.amount < 0) return undefined;
  if (typeof c.currency !== "string" || c.currency === "" || c.currency.length > 32) return undefined;
  return { amount: c.amount, currency: c.currency };
}
