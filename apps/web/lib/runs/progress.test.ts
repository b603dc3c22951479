import type { SlotProgress } from '@timekeeper/contracts';
import { describe, expect, it } from 'vitest';
import { formatDone, formatRate, formatRemaining, progressFraction, progressView } from './progress';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** What the worker commits after a chunk: the runner's fields plus the attempt's estimate. */
const committed = (over: Partial<SlotProgress> = {}): SlotProgress => ({
  chunk: 3,
  cursor: '4',
  counts: { chunks: 4 },
  fence: 12,
  attempt: 1,
  unit: 'chunks',
  total: 10,
  done: 4,
  startedAt: iso(0),
  startDone: 0,
  at: iso(8_000),
  ...over,
});

describe('progressView', () => {
  it('gives done of the estimate, the rate of this attempt and the ETA from it', () => {
    const v = progressView(committed())!;
    expect(v.fraction).toBeCloseTo(0.4);
    // 4 chunks in 8 s: 0.5/s, so 6 more take 12 s after the last commit.
    expect(v.ratePerSec).toBeCloseTo(0.5);
    expect(v.etaAt).toBe(T0 + 8_000 + 12_000);
    expect(formatDone(v)).toBe('4 of 10 chunks');
    expect(formatRate(v)).toBe('0.5 chunks/s');
    expect(formatRemaining(v, T0 + 10_000)).toBe('10s');
    expect(formatRemaining(v, T0 + 30_000)).toBe('any moment');
  });

  it('a resumed attempt is timed on its own work, not on what an earlier attempt committed', () => {
    // 600 users were done before this attempt; it scanned 400 more in 2 s: 200/s, 1,000 left → 5 s.
    const v = progressView(committed({ unit: 'users', total: 2_000, done: 1_000, startDone: 600, startedAt: iso(0), at: iso(2_000) }))!;
    expect(v.ratePerSec).toBeCloseTo(200);
    expect(v.etaAt).toBe(T0 + 2_000 + 5_000);
    expect(formatRate(v)).toBe('200 users/s');
    expect(formatDone(v)).toBe('1,000 of 2,000 users');
  });

  it('has no rate or ETA before the attempt committed any work', () => {
    const v = progressView(committed({ chunk: -1, done: 0, at: iso(0) }))!;
    expect(v.fraction).toBe(0);
    expect(v.ratePerSec).toBeNull();
    expect(v.etaAt).toBeNull();
    expect(formatRate(v)).toBeNull();
  });

  it('caps an estimate that fell short, and counts an empty job as done', () => {
    expect(progressView(committed({ total: 3, done: 4 }))!.fraction).toBe(1);
    expect(progressView(committed({ total: 3, done: 4 }))!.etaAt).toBe(T0 + 8_000);
    expect(progressView(committed({ total: 0, done: 0, chunk: 0 }))!.fraction).toBe(1);
  });

  it('reads progress written before estimates (chunk, cursor, counts) as chunks done of an unknown total', () => {
    // The old console read `progress` as a number and got NaN from this shape: no bar ever rendered.
    const legacy = { chunk: 2, cursor: '3', counts: { users: 900 }, fence: 5, attempt: 1 } as SlotProgress;
    const v = progressView(legacy)!;
    expect(v.done).toBe(3);
    expect(v.total).toBeNull();
    expect(Number.isNaN(v.fraction)).toBe(true);
    expect(formatDone(v)).toBe('3 chunks');
    expect(progressFraction(null)).toBeNaN();
    expect(progressFraction(committed())).toBeCloseTo(0.4);
  });

  it('reports slow work per minute', () => {
    const v = progressView(committed({ done: 1, startDone: 0, startedAt: iso(0), at: iso(60_000) }))!;
    expect(formatRate(v)).toBe('1.0 chunks/min');
  });
});
