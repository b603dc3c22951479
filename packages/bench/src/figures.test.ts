import { describe, expect, it } from 'vitest';
import { formatTable, ratioOf, verdictOf, type BenchFigure } from './figures';
import { percentile } from './stats';

// The table's verdicts are the benchmark's only output a reader acts on: the rule for pass/FAIL is pinned here.
const fig = (over: Partial<BenchFigure>): BenchFigure => ({ bench: 'b', name: 'n', unit: 'ms', figure: 10, ...over });

describe('bench figures', () => {
  it('a ratio target compares the figure with the same-run baseline', () => {
    expect(ratioOf({ figure: 30, baseline: 20 })).toBe(1.5);
    expect(verdictOf(fig({ figure: 30, baseline: 20, target: { maxRatio: 2 } }))).toBe('pass');
    expect(verdictOf(fig({ figure: 50, baseline: 20, target: { maxRatio: 2 } }))).toBe('FAIL');
    expect(verdictOf(fig({ figure: 8, baseline: 20, target: { minRatio: 0.5 } }))).toBe('FAIL');
  });

  it('a ratio target without a usable baseline fails; no target is only information', () => {
    expect(verdictOf(fig({ target: { maxRatio: 2 } }))).toBe('FAIL');
    expect(verdictOf(fig({ baseline: 0, target: { maxRatio: 2 } }))).toBe('FAIL');
    expect(verdictOf(fig({ figure: Number.NaN, target: { max: 5 } }))).toBe('FAIL');
    expect(verdictOf(fig({}))).toBe('info');
  });

  it('every bound given must hold', () => {
    expect(verdictOf(fig({ figure: 900, baseline: 850, target: { maxRatio: 1.1, max: 1000 } }))).toBe('pass');
    expect(verdictOf(fig({ figure: 1200, baseline: 1150, target: { maxRatio: 1.1, max: 1000 } }))).toBe('FAIL');
  });

  it('the table names each figure with its verdict', () => {
    const table = formatTable([fig({ name: 'GET /v1/jobs p99', figure: 30, baseline: 20, target: { maxRatio: 2 } })]);
    expect(table).toContain('GET /v1/jobs p99');
    expect(table).toContain('pass');
  });

  it('percentiles are nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
