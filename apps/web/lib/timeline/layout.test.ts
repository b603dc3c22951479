import { describe, expect, it } from 'vitest';
import { hitSlot, panBy, rowBars, ticks, timeToX, visibleRows, windowEndingNow, xToTime, zoomTo, type Bar, type View } from './layout';
import { CODE, emptyRow, upsertSlot } from './model';

const H = 3_600_000;
const view: View = { start: 0, end: 10 * H, width: 1000 };

describe('time and pixels', () => {
  it('maps both ways', () => {
    expect(timeToX(5 * H, view)).toBe(500);
    expect(xToTime(250, view)).toBe(2.5 * H);
  });
  it('zooms around the anchor and pans', () => {
    const z = zoomTo(view, 2 * H, 500);
    expect(z.start).toBe(4 * H);
    expect(z.end).toBe(6 * H);
    const p = panBy(view, 100);
    expect(p.start).toBe(H);
    expect(p.end).toBe(11 * H);
  });
  it('puts now inside the window', () => {
    const w = windowEndingNow(H, 100 * H, 800);
    expect(w.start).toBeLessThan(100 * H);
    expect(w.end).toBeGreaterThan(100 * H);
    expect(w.end - w.start).toBe(H);
  });
});

describe('visibleRows', () => {
  it('covers the viewport plus overscan and stays in range', () => {
    expect(visibleRows(0, 300, 30, 200, 2)).toEqual([0, 12]);
    expect(visibleRows(300, 300, 30, 200, 2)).toEqual([8, 22]);
    expect(visibleRows(5_900, 300, 30, 200, 2)).toEqual([194, 200]);
    expect(visibleRows(0, 300, 30, 0)).toEqual([0, 0]);
  });
});

describe('rowBars', () => {
  it('merges adjacent same-verdict slots that share pixels, and grows running bars to now', () => {
    const row = emptyRow('a');
    // A week of minute slots squeezed into 1000 px: far more slots than pixels.
    for (let i = 0; i < 600; i++) upsertSlot(row, { start: i * 60_000, end: i * 60_000 + 30_000, status: CODE.succeeded });
    upsertSlot(row, { start: 600 * 60_000, end: Number.NaN, status: CODE.running, id: 'r' });
    const bars: Bar[] = [];
    rowBars(row, view, 700 * 60_000, (b) => bars.push({ ...b }));
    expect(bars.length).toBe(2);
    expect(bars[0].first).toBe(0);
    expect(bars[0].last).toBe(599);
    expect(bars[1].status).toBe(CODE.running);
    expect(bars[1].x + bars[1].w).toBeCloseTo(timeToX(700 * 60_000, view));
  });
  it('a running bar reaches to its ETA when that is later than now, and to now when it is past', () => {
    const row = emptyRow('eta');
    upsertSlot(row, { start: H, end: Number.NaN, status: CODE.running, progress: 0.25, eta: 4 * H, id: 'r' });
    const at = (now: number) => {
      const bars: Bar[] = [];
      rowBars(row, view, now, (b) => bars.push({ ...b }));
      return bars[0];
    };
    expect(at(2 * H).x + at(2 * H).w).toBeCloseTo(timeToX(4 * H, view));
    expect(at(5 * H).x + at(5 * H).w).toBeCloseTo(timeToX(5 * H, view));
    expect(hitSlot(row, view, timeToX(3.5 * H, view), 2 * H)).toBe(0);
  });
  it('draws a run that started long before the window and is still going', () => {
    const row = emptyRow('long');
    upsertSlot(row, { start: -30 * H, end: -29 * H, status: CODE.succeeded });
    upsertSlot(row, { start: -5 * H, end: Number.NaN, status: CODE.running, id: 'r' });
    const bars: Bar[] = [];
    rowBars(row, view, 2 * H, (b) => bars.push({ ...b }));
    expect(bars.map((b) => b.status)).toEqual([CODE.running]);
    expect(hitSlot(row, view, timeToX(H, view), 2 * H)).toBe(1);
  });
  it('skips what is out of view but keeps a long bar that started before it', () => {
    const row = emptyRow('b');
    upsertSlot(row, { start: -5 * H, end: 2 * H, status: CODE.failed });
    upsertSlot(row, { start: -4 * H, end: -3 * H, status: CODE.succeeded });
    upsertSlot(row, { start: 12 * H, end: 13 * H, status: CODE.succeeded });
    const bars: Bar[] = [];
    rowBars(row, view, 0, (b) => bars.push({ ...b }));
    expect(bars.map((b) => b.status)).toEqual([CODE.failed]);
  });
});

describe('upsertSlot and hitSlot', () => {
  it('updates by id in place and finds the slot under the pointer', () => {
    const row = emptyRow('c');
    upsertSlot(row, { start: H, end: Number.NaN, status: CODE.running, id: 'x' });
    upsertSlot(row, { start: 3 * H, end: 4 * H, status: CODE.failed, id: 'y' });
    upsertSlot(row, { start: 2 * H, end: 2.5 * H, status: CODE.succeeded, id: 'z' });
    expect(Array.from(row.starts.subarray(0, row.n))).toEqual([H, 2 * H, 3 * H]);
    expect(row.index.get('y')).toBe(2);
    upsertSlot(row, { start: H, end: 1.5 * H, status: CODE.succeeded, id: 'x' });
    expect(row.n).toBe(3);
    expect(row.status[0]).toBe(CODE.succeeded);
    expect(hitSlot(row, view, 350, 0)).toBe(2);
    expect(hitSlot(row, view, 900, 0)).toBe(-1);
  });
});

describe('ticks', () => {
  it('chooses a step that leaves room for labels and aligns to the zone', () => {
    const t = ticks({ start: 0, end: 24 * H, width: 1200 }, 0);
    expect(t.step).toBe(3 * H);
    expect(t.times[0]).toBe(0);
    const shifted = ticks({ start: 0, end: 24 * H, width: 1200 }, 8 * H);
    expect((shifted.times[0] + 8 * H) % (3 * H)).toBe(0);
  });
});
