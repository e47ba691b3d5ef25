import {
  type CostAmount,
  costOf,
  roundCost,
  type TurnUsage,
  tokensFromAcpUsage,
  tokensFromQuotaMeta,
} from "../domain/turn-usage.js";

/**
 * Measures one ACP session's turns. Tokens come with each prompt response (`usage`, or
 * `_meta.quota.token_count` from agents that only send that); costs come as the session's cumulative
 * cost in `usage_update` notifications, so a turn's cost is how much it rose during the turn (all of
 * it when the currency changed or the total went down, e.g. an agent that restarted its count).
 */
export class UsageMeter {
  /** The session's cumulative cost as last reported. */
  private sessionCost: CostAmount | undefined;
  /** What it was when the running turn started. */
  private costAtStart: CostAmount | undefined;
  /** A cost was reported during the running turn. */
  private costReported = false;

  beginTurn(): void {
    this.costAtStart = this.sessionCost;
    this.costReported = false;
  }

  /** A `usage_update` (at any time: one after session/load sets where the count stands). */
  usageUpdate(update: { cost?: unknown }): void {
    const cost = costOf(update.cost);
    if (!cost) return;
    this.sessionCost = cost;
    this.costReported = true;
  }

  /** The turn's usage from its prompt response; null when the agent reported neither tokens nor cost. */
  endTurn(response: unknown): TurnUsage | null {
    const res =
      typeof response === "object" && response !== null ? (response as Record<string, unknown>) : {};
    const tokens = tokensFromAcpUsage(res.usage) ?? tokensFromQuotaMeta(res._meta);
    const cost = this.turnCost();
    if (!tokens && !cost) return null;
    return {
      input_tokens: tokens?.input_tokens ?? 0,
      output_tokens: tokens?.output_tokens ?? 0,
      cached_read_tokens: tokens?.cached_read_tokens ?? 0,
      cached_write_tokens: tokens?.cached_write_tokens ?? 0,
      thought_tokens: tokens?.thought_tokens ?? 0,
      total_tokens: tokens?.total_tokens ?? 0,
      cost,
    };
  }

  private turnCost(): CostAmount | null {
    const now = this.sessionCost;
    if (!this.costReported || !now) return null;
    const before = this.costAtStart;
    if (!before || before.currency !== now.currency || now.amount < before.amount) return { ...now };
    return { amount: roundCost(now.amount - before.amount), currency: now.currency };
  }
}
