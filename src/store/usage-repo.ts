import { emptyUsage, roundCost, type TurnUsage, type UsageTotals } from "../domain/turn-usage.js";
import type { Database } from "./database.js";
import { prepareCached } from "./statement-cache.js";

/** One turn's usage as stored: whose turn, for which run step (or mail) it was, and what it used. */
export interface TurnUsageRecord extends TurnUsage {
  agent_id: string;
  turn_id: string;
  /** The run the turn was for; kept only when the run exists and belongs to `team_id`. */
  run_id: string | null;
  /** The agent's team (a turn counts for a run of its own team only). */
  team_id: string | null;
  step_key: string | null;
  attempt: number | null;
  member_id: string | null;
  created_at: number;
}

/** A step attempt's usage (the key it is summed by). */
export interface StepAttemptUsage {
  step_key: string;
  attempt: number;
  usage: UsageTotals;
}

interface SumRow {
  turns: number;
  input_tokens: number;
  output_tokens: number;
  cached_read_tokens: number;
  cached_write_tokens: number;
  thought_tokens: number;
  total_tokens: number;
}

interface CostRow {
  cost_currency: string;
  amount: number;
}

const SUMS = `COUNT(*) AS turns, COALESCE(SUM(input_tokens), 0) AS input_tokens,
  COALESCE(SUM(output_tokens), 0) AS output_tokens, COALESCE(SUM(cached_read_tokens), 0) AS cached_read_tokens,
  COALESCE(SUM(cached_write_tokens), 0) AS cached_write_tokens, COALESCE(SUM(thought_tokens), 0) AS thought_tokens,
  COALESCE(SUM(total_tokens), 0) AS total_tokens`;
const COSTS = "cost_currency, SUM(cost_amount) AS amount";

/**
 * Turns' usage (tokens, cost) and its sums per agent, run, step attempt and member. A turn is stored
 * once (a replayed `turn_ended` changes nothing); costs are summed per currency.
 */
export class UsageRepo {
  constructor(private readonly db: Database) {}

  /**
   * Stores a turn's usage; false when that turn was stored before. A turn id naming a run that does not
   * exist or is another team's (any client can choose a turn id) counts for the agent only.
   */
  insert(r: TurnUsageRecord): boolean {
    return (
      prepareCached(
        this.db,
        `INSERT OR IGNORE INTO turn_usage (agent_id, turn_id, run_id, step_key, attempt, member_id, input_tokens,
           output_tokens, cached_read_tokens, cached_write_tokens, thought_tokens, total_tokens, cost_amount,
           cost_currency, created_at)
         SELECT @agent_id, @turn_id, r.id, CASE WHEN r.id IS NULL THEN NULL ELSE @step_key END,
           CASE WHEN r.id IS NULL THEN NULL ELSE @attempt END, @member_id, @input_tokens, @output_tokens,
           @cached_read_tokens, @cached_write_tokens, @thought_tokens, @total_tokens, @cost_amount, @cost_currency,
           @created_at
         FROM (SELECT 1) LEFT JOIN runs r ON r.id = @run_id AND r.team_id = @team_id`,
      ).run({
        agent_id: r.agent_id,
        turn_id: r.turn_id,
        run_id: r.run_id,
        team_id: r.team_id,
        step_key: r.step_key,
        attempt: r.attempt,
        member_id: r.member_id,
        input_tokens: r.input_tokens,
        output_tokens: r.output_tokens,
        cached_read_tokens: r.cached_read_tokens,
        cached_write_tokens: r.cached_write_tokens,
        thought_tokens: r.thought_tokens,
        total_tokens: r.total_tokens,
        cost_amount: r.cost?.amount ?? null,
        cost_currency: r.cost?.currency ?? null,
        created_at: r.created_at,
      }).changes === 1
    );
  }

  /** Everything an agent's turns used (in runs and outside them). */
  byAgent(agentId: string): UsageTotals {
    return this.totals("agent_id = ?", [agentId]);
  }

  /**
   * A run's usage per member (every attempt of every step, and mail turns), by member id; members
   * without a reported turn are absent.
   */
  byRunMember(runId: string): Map<string, UsageTotals> {
    const sums = prepareCached(
      this.db,
      `SELECT member_id, ${SUMS} FROM turn_usage WHERE run_id = ? AND member_id IS NOT NULL GROUP BY member_id`,
    ).all(runId) as (SumRow & { member_id: string })[];
    const costs = prepareCached(
      this.db,
      `SELECT member_id, ${COSTS} FROM turn_usage
         WHERE run_id = ? AND member_id IS NOT NULL AND cost_currency IS NOT NULL
         GROUP BY member_id, cost_currency ORDER BY cost_currency`,
    ).all(runId) as (CostRow & { member_id: string })[];
    return new Map(
      sums.map(({ member_id, ...sum }) => [
        member_id,
        withCosts(
          sum,
          costs.filter((c) => c.member_id === member_id),
        ),
      ]),
    );
  }

  /** A run's usage per step attempt. */
  byRunStepAttempt(runId: string): StepAttemptUsage[] {
    const sums = prepareCached(
      this.db,
      `SELECT step_key, attempt, ${SUMS} FROM turn_usage WHERE run_id = ? AND step_key IS NOT NULL
         GROUP BY step_key, attempt`,
    ).all(runId) as (SumRow & { step_key: string; attempt: number })[];
    const costs = prepareCached(
      this.db,
      `SELECT step_key, attempt, ${COSTS} FROM turn_usage
         WHERE run_id = ? AND step_key IS NOT NULL AND cost_currency IS NOT NULL
         GROUP BY step_key, attempt, cost_currency ORDER BY cost_currency`,
    ).all(runId) as (CostRow & { step_key: string; attempt: number })[];
    return sums.map(({ step_key, attempt, ...sum }) => ({
      step_key,
      attempt,
      usage: withCosts(
        sum,
        costs.filter((c) => c.step_key === step_key && c.attempt === attempt),
      ),
    }));
  }

  private totals(where: string, args: unknown[]): UsageTotals {
    const sum = prepareCached(this.db, `SELECT ${SUMS} FROM turn_usage WHERE ${where}`).get(
      ...args,
    ) as SumRow;
    const costs = prepareCached(
      this.db,
      `SELECT ${COSTS} FROM turn_usage WHERE ${where} AND cost_currency IS NOT NULL
         GROUP BY cost_currency ORDER BY cost_currency`,
    ).all(...args) as CostRow[];
    return withCosts(sum, costs);
  }
}

function withCosts(sum: SumRow, costs: readonly CostRow[]): UsageTotals {
  if (sum.turns === 0) return emptyUsage();
  return {
    turns: sum.turns,
    input_tokens: sum.input_tokens,
    output_tokens: sum.output_tokens,
    cached_read_tokens: sum.cached_read_tokens,
    cached_write_tokens: sum.cached_write_tokens,
    thought_tokens: sum.thought_tokens,
    total_tokens: sum.total_tokens,
    cost: costs.map((c) => ({ currency: c.cost_currency, amount: roundCost(c.amount) })),
  };
}
