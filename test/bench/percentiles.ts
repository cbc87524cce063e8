/**
 * Nearest-rank percentile (the smallest value with at least p% of the samples at or below it): no interpolation,
 * so a reported p99 is a latency that was actually observed.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples.");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}.`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);
