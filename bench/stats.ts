/** Small statistics helpers for the benchmark scenarios. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..1) of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    p50: percentile(s, 0.5),
    p99: percentile(s, 0.99),
    mean: s.length ? sum / s.length : Number.NaN,
    max: s.at(-1) ?? Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Operations per second. */
export function rate(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.NaN;
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

export const now = (): number => performance.now();

/**
 * Runs `op` from `concurrency` workers for `durationMs` (closed loop); returns per-op latencies (ms)
 * and the achieved rate. Errors abort the run.
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  op: (worker: number) => Promise<unknown>,
): Promise<{ latencies: number[]; elapsedMs: number; rate: number }> {
  const latencies: number[] = [];
  const start = now();
  const end = start + durationMs;
  const worker = async (w: number) => {
    while (now() < end) {
      const t0 = now();
      await op(w);
      latencies.push(now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedMs = now() - start;
  return { latencies, elapsedMs, rate: rate(latencies.length, elapsedMs) };
}

export function fmt(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return "n/a";
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return v.toFixed(digits);
}
