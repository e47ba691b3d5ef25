import { describe, expect, it } from "vitest";
import {
  costOf,
  emptyUsage,
  sumUsage,
  type TurnUsage,
  tokensFromAcpUsage,
  tokensFromQuotaMeta,
} from "../../src/domain/turn-usage.js";

const turn = (t: Partial<TurnUsage>): TurnUsage => ({
  input_tokens: 0,
  output_tokens: 0,
  cached_read_tokens: 0,
  cached_write_tokens: 0,
  thought_tokens: 0,
  total_tokens: 0,
  cost: null,
  ...t,
});

describe("turn usage", () => {
  it("reads ACP's usage (Claude's and Codex's shape); a missing total is the sum of the counts", () => {
    expect(
      tokensFromAcpUsage({
        inputTokens: 120,
        outputTokens: 30,
        cachedReadTokens: 40,
        cachedWriteTokens: 2,
        totalTokens: 192,
      }),
    ).toEqual({
      input_tokens: 120,
      output_tokens: 30,
      cached_read_tokens: 40,
      cached_write_tokens: 2,
      thought_tokens: 0,
      total_tokens: 192,
    });
    expect(
      tokensFromAcpUsage({ inputTokens: 10, outputTokens: 5, thoughtTokens: 3, cachedReadTokens: null }),
    ).toMatchObject({
      thought_tokens: 3,
      total_tokens: 18,
    });
    // Nothing countable (null, junk, negative or non-numeric counts): no usage.
    for (const raw of [null, undefined, "x", {}, { inputTokens: -1 }, { inputTokens: "5" }])
      expect(tokensFromAcpUsage(raw)).toBeUndefined();
  });

  it("reads Gemini's _meta.quota.token_count (its input includes cached tokens)", () => {
    expect(tokensFromQuotaMeta({ quota: { token_count: { input_tokens: 160, output_tokens: 30 } } })).toEqual(
      {
        input_tokens: 160,
        output_tokens: 30,
        cached_read_tokens: 0,
        cached_write_tokens: 0,
        thought_tokens: 0,
        total_tokens: 190,
      },
    );
    expect(tokensFromQuotaMeta({ quota: { model_usage: [] } })).toBeUndefined();
    expect(tokensFromQuotaMeta(null)).toBeUndefined();
  });

  it("takes a cost only with a finite, non-negative amount and a currency", () => {
    expect(costOf({ amount: 0.25, currency: "USD", _meta: {} })).toEqual({ amount: 0.25, currency: "USD" });
    for (const raw of [
      { amount: -1, currency: "USD" },
      { amount: 1 },
      { amount: Number.NaN, currency: "USD" },
      { amount: 1, currency: "" },
      "1 USD",
    ])
      expect(costOf(raw)).toBeUndefined();
  });

  it("sums turns and totals: tokens added, costs per currency (sorted), float noise rounded away", () => {
    const sum = sumUsage([
      turn({ input_tokens: 1, total_tokens: 1, cost: { amount: 0.1, currency: "USD" } }),
      turn({ output_tokens: 2, total_tokens: 2, cost: { amount: 0.2, currency: "USD" } }),
      turn({ thought_tokens: 3, total_tokens: 3, cost: { amount: 5, currency: "credits" } }),
      turn({ cached_read_tokens: 4, total_tokens: 4 }),
    ]);
    expect(sum).toEqual({
      turns: 4,
      input_tokens: 1,
      output_tokens: 2,
      cached_read_tokens: 4,
      cached_write_tokens: 0,
      thought_tokens: 3,
      total_tokens: 10,
      cost: [
        { currency: "USD", amount: 0.3 },
        { currency: "credits", amount: 5 },
      ],
    });
    expect(sumUsage([sum, sum]).turns).toBe(8);
    expect(sumUsage([])).toEqual(emptyUsage());
  });
});
