/**
 * What a benchmark reports: one figure per measure, with the baseline measured in the same run and the
 * target it must meet. Targets are on the ratio to the baseline (`maxRatio`, `minRatio`) and/or on the
 * figure itself (`max`, `min`, in its unit); a figure passes when every bound given holds.
 */
export type BenchTarget = { maxRatio?: number; minRatio?: number; max?: number; min?: number };

export type BenchFigure = {
  /** The benchmark's name (what `pnpm bench --only` takes). */
  bench: string;
  /** What was measured, e.g. `GET /v1/jobs p99`. */
  name: string;
  unit: string;
  figure: number;
  /** The same measure on the baseline, in the same run (absent when the measure has none). */
  baseline?: number;
  /** What the baseline is, said once per benchmark (shown under the table). */
  baselineName?: string;
  target?: BenchTarget;
  note?: string;
};

export type Verdict = 'pass' | 'FAIL' | 'info';

export function ratioOf(f: Pick<BenchFigure, 'figure' | 'baseline'>): number | undefined {
  if (f.baseline === undefined || !Number.isFinite(f.baseline) || f.baseline === 0) return undefined;
  return f.figure / f.baseline;
}

/** Pass when every bound holds; a ratio bound without a usable baseline fails (nothing to compare with). */
export function verdictOf(f: BenchFigure): Verdict {
  const t = f.target;
  if (!t || Object.keys(t).length === 0) return 'info';
  if (!Number.isFinite(f.figure)) return 'FAIL';
  const ratio = ratioOf(f);
  const checks: boolean[] = [];
  if (t.max !== undefined) checks.push(f.figure <= t.max);
  if (t.min !== undefined) checks.push(f.figure >= t.min);
  if (t.maxRatio !== undefined) checks.push(ratio !== undefined && ratio <= t.maxRatio);
  if (t.minRatio !== undefined) checks.push(ratio !== undefined && ratio >= t.minRatio);
  return checks.every(Boolean) ? 'pass' : 'FAIL';
}

export function targetText(f: BenchFigure): string {
  const t = f.target ?? {};
  const parts: string[] = [];
  if (t.maxRatio !== undefined) parts.push(`<= ${t.maxRatio}x`);
  if (t.minRatio !== undefined) parts.push(`>= ${t.minRatio}x`);
  if (t.max !== undefined) parts.push(`<= ${t.max} ${f.unit}`);
  if (t.min !== undefined) parts.push(`>= ${t.min} ${f.unit}`);
  return parts.join(', ') || '-';
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** One plain-text table (name, figure, baseline, ratio, target, pass/fail) and a legend of baselines. */
export function formatTable(figures: BenchFigure[]): string {
  const header = ['bench', 'measure', 'figure', 'baseline', 'ratio', 'target', 'result'];
  const rows = figures.map((f) => {
    const ratio = ratioOf(f);
    return [
      f.bench,
      f.name,
      `${formatNumber(f.figure)} ${f.unit}`,
      f.baseline === undefined ? '-' : `${formatNumber(f.baseline)} ${f.unit}`,
      ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
      targetText(f),
      verdictOf(f),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const legend = new Map<string, string>();
  for (const f of figures) if (f.baselineName && !legend.has(f.bench)) legend.set(f.bench, f.baselineName);
  if (legend.size) out.push('', 'baselines (measured in the same run):', ...[...legend].map(([b, n]) => `  ${b}: ${n}`));
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.bench} / ${f.name}: ${f.note}`);
  if (notes.length) out.push('', 'notes:', ...notes);
  return out.join('\n');
}
