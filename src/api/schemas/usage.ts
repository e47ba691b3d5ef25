import { z } from "zod";

/** What turns used (a turn, a step's attempt, a member, a run, an agent), as every answer shows it. */
export const Usage = z
  .object({
    turns: z.number().int().describe("the prompt turns counted (those whose agent reported usage)"),
    input_tokens: z.number().int().describe("input tokens not read from a cache"),
    output_tokens: z.number().int(),
    cached_read_tokens: z.number().int(),
    cached_write_tokens: z.number().int(),
    thought_tokens: z.number().int().describe("reasoning tokens, when the agent reports them apart"),
    total_tokens: z.number().int().describe("the agents' own totals (or the sum of the counts)"),
    cost: z
      .array(z.object({ amount: z.number(), currency: z.string().describe('e.g. "USD"') }))
      .describe("what the turns cost, one entry per currency; [] when no agent reported a cost"),
  })
  .meta({ id: "Usage" });
