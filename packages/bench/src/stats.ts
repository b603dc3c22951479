/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export type Summary = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };

export function summarize(values: number[]): Summary {
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  return { n: values.length, p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: Math.max(...values), mean };
}

export const describeSummary = (s: Summary, unit = 'ms') =>
  `n=${s.n} p50=${s.p50.toFixed(1)} ${unit} p90=${s.p90.toFixed(1)} ${unit} p99=${s.p99.toFixed(1)} ${unit} max=${s.max.toFixed(1)} ${unit}`;
