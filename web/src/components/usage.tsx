import type { Schemas } from "../api/client";

type Usage = Schemas["Usage"];

const count = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** `$0.0123` for USD, else `0.0123 credits`. */
export function formatCost(c: { amount: number; currency: string }): string {
  const amount = c.amount.toFixed(c.amount >= 1 ? 2 : 4);
  return c.currency === "USD" ? `$${amount}` : `${amount} ${c.currency}`;
}

/** One line of what turns used: tokens in/out (cached, reasoning) and the cost; "—" when none reported. */
export function usageText(u: Usage): string {
  if (u.turns === 0) return "—";
  const parts = [`${count.format(u.input_tokens)} in`, `${count.format(u.output_tokens)} out`];
  if (u.cached_read_tokens > 0) parts.push(`${count.format(u.cached_read_tokens)} cached`);
  if (u.cached_write_tokens > 0) parts.push(`${count.format(u.cached_write_tokens)} cache writes`);
  if (u.thought_tokens > 0) parts.push(`${count.format(u.thought_tokens)} reasoning`);
  const tokens = `${parts.join(" · ")} tokens`;
  return u.cost.length > 0 ? `${tokens} · ${u.cost.map(formatCost).join(" + ")}` : tokens;
}

/** What turns used, with the exact counts on hover. */
export function UsageText({ usage }: { usage: Usage }) {
  return (
    <span
      className="usage"
      title={`${usage.turns} turn(s): ${usage.input_tokens} input, ${usage.output_tokens} output, ${usage.cached_read_tokens} cache read, ${usage.cached_write_tokens} cache write, ${usage.thought_tokens} reasoning, ${usage.total_tokens} total tokens`}
    >
      {usageText(usage)}
    </span>
  );
}
