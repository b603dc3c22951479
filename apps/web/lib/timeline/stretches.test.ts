import { describe, expect, it } from 'vitest';
import { rowBars, ZOOMS, type Bar, type View } from './layout';
import { CODE, emptyRow, isMark, lowerBound, RUNNING, upsertSlot, VERDICTS, type Row, type SlotInput } from './model';
import { stretchesOf } from './stretches';
import { prng } from './synthetic';

// rowBars skips through stretches of same-verdict slots (stretches.ts); it must emit exactly the bars of the plain per-slot
// walk it replaced, kept here as the reference, over random rows, views and live changes.

/** The per-slot walk rowBars used before it had stretches: every slot in view, every frame. */
function referenceBars(row: Row, v: View, now: number): Bar[] {
  const out: Bar[] = [];
  const from = lowerBound(row.starts, row.n, Math.min(v.start - Math.max(row.maxSpan, 0) - 1, row.openStart));
  const pxPerMs = v.width / (v.end - v.start);
  let cur: Bar | null = null;
  for (let i = from; i < row.n; i++) {
    const s = row.starts[i];
    if (s > v.end) break;
    const code = row.status[i];
    const endRaw = row.ends[i];
    const e = Number.isFinite(endRaw) ? endRaw : code === RUNNING ? Math.max(now, s, row.etas[i] || s) : s;
    if (e < v.start && !(code === CODE.planned || isMark(code))) continue;
    const mark = isMark(code) || code === CODE.planned;
    const x0 = (s - v.start) * pxPerMs;
    const x1 = Math.max((e - v.start) * pxPerMs, x0 + (mark ? 0 : 2));
    if (cur && cur.status === code && cur.mark === mark && x0 <= cur.x + cur.w + 1) {
      cur.w = Math.max(cur.w, x1 - cur.x);
      cur.last = i;
      continue;
    }
    if (cur) out.push(cur);
    cur = { x: x0, w: x1 - x0, status: code, first: i, last: i, progress: row.progress[i], mark };
  }
  if (cur) out.push(cur);
  return out;
}

function barsOf(row: Row, v: View, now: number): { bars: Bar[]; visited: number } {
  const bars: Bar[] = [];
  const visited = rowBars(row, v, now, (b) => bars.push({ ...b }));
  return { bars, visited };
}

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const CLOSED = [CODE.succeeded, CODE.failed, CODE.timed_out, CODE.cancelled, CODE.missed, CODE.skipped, CODE.paused];

type Gen = { rand: () => number; pick: <T>(xs: readonly T[]) => T; nextId: number };

/** A slot at `start`: mostly a closed verdict in long same-verdict stretches, sometimes odd. */
function randomSlot(g: Gen, start: number, verdict: number): SlotInput {
  const r = g.rand();
  if (start > NOW) return { start, end: Number.NaN, status: CODE.planned };
  if (r < 0.03 && NOW - start < 6 * 3_600_000) {
    // Running: with or without progress and ETA (before or after now).
    const eta = g.rand() < 0.5 ? NOW + (g.rand() - 0.3) * 2 * 3_600_000 : undefined;
    return { start, end: Number.NaN, status: RUNNING, progress: g.rand() < 0.7 ? g.rand() : undefined, eta };
  }
  if (isMark(verdict)) return { start, end: g.rand() < 0.8 ? start : start + g.rand() * MIN, status: verdict, reason: 'why' };
  // Short runs; now and then one far longer than a slot, or (bad data) ending before it starts.
  const dur = r < 0.05 ? g.rand() * 6 * 3_600_000 : r < 0.06 ? -g.rand() * MIN : 1_000 + g.rand() * 50_000;
  return { start, end: start + dur, status: verdict };
}

function randomRow(seed: number): { row: Row; g: Gen; ids: string[] } {
  const rand = prng(seed);
  const g: Gen = { rand, pick: (xs) => xs[Math.floor(rand() * xs.length)], nextId: 0 };
  const row = emptyRow(`row-${seed}`);
  const ids: string[] = [];
  const every = g.pick([MIN, MIN, 5 * MIN, 15 * MIN, 20_000]);
  const days = 0.2 + rand() * 7;
  const first = NOW - days * 86_400_000;
  const until = NOW + rand() * 6 * 3_600_000;
  const slots: SlotInput[] = [];
  let verdict = CODE.succeeded;
  for (let t = first; t < until; t += every * (rand() < 0.02 ? 1 + Math.floor(rand() * 30) : 1)) {
    // Verdicts change rarely, so stretches are long; sometimes they flip every slot.
    const flip = rand();
    if (flip < 0.04) verdict = g.pick(CLOSED);
    else if (flip < 0.1) verdict = CODE.succeeded;
    const jitter = rand() < 0.1 ? Math.floor(rand() * 5_000) : 0;
    const slot = randomSlot(g, t + jitter, verdict);
    if (rand() < 0.3) {
      slot.id = `id-${g.nextId++}`;
      ids.push(slot.id);
    }
    slots.push(slot);
  }
  // Mostly in time order, as the console builds rows; some out of order, shifting the tail.
  for (let i = 0; i < slots.length; i++) {
    if (rand() < 0.01) {
      const j = i + Math.floor(rand() * Math.min(50, slots.length - i));
      [slots[i], slots[j]] = [slots[j], slots[i]];
    }
  }
  for (const s of slots) upsertSlot(row, s);
  return { row, g, ids };
}

function randomView(g: Gen, row: Row): View {
  const span = Math.exp(Math.log(ZOOMS['1h']) + g.rand() * (Math.log(ZOOMS['7d']) - Math.log(ZOOMS['1h'])));
  const width = 300 + Math.floor(g.rand() * 1700);
  const lo = row.n ? row.starts[0] - span / 2 : NOW - span;
  const hi = row.n ? row.starts[row.n - 1] + span / 2 : NOW + span;
  const start = g.rand() < 0.3 ? NOW + span * 0.15 - span : lo + g.rand() * (hi - lo - span);
  return { start, end: start + span, width };
}

/** What the live stream does to a row: a run starts, one finishes, a retry replaces a slot, by id. */
function liveChange(g: Gen, row: Row, ids: string[], now: number): void {
  const r = g.rand();
  if (r < 0.35 && ids.length) {
    // An update by id: same slot, new verdict (a running one closes, a failure is retried...).
    const id = g.pick(ids);
    const i = row.index.get(id)!;
    const start = row.starts[i];
    upsertSlot(row, { id, start, end: start + g.rand() * 40_000, status: g.pick(CLOSED) });
  } else if (r < 0.5 && ids.length) {
    // An update by id that moves the slot (its start changed): removed and inserted elsewhere.
    const id = g.pick(ids);
    upsertSlot(row, { id, start: now - g.rand() * 3 * 86_400_000, end: Number.NaN, status: RUNNING, progress: g.rand() });
  } else if (r < 0.75) {
    const id = `live-${g.nextId++}`;
    ids.push(id);
    upsertSlot(row, { id, start: now - g.rand() * 2 * MIN, end: Number.NaN, status: RUNNING, progress: 0.3, eta: now + g.rand() * MIN });
  } else {
    // A slot in the middle of the row changes verdict, splitting (or joining) a stretch.
    const at = row.n ? row.starts[Math.floor(g.rand() * row.n)] : now;
    upsertSlot(row, { start: at + 1, end: at + 1 + g.rand() * MIN, status: g.pick(CLOSED) });
  }
}

describe('rowBars over stretches', () => {
  it('emits exactly the per-slot walk\'s bars for random rows and views, also after live changes', () => {
    let views = 0;
    let merged = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { row, g, ids } = randomRow(seed);
      let now = NOW;
      for (let round = 0; round < 6; round++) {
        for (let k = 0; k < 8; k++) {
          const v = randomView(g, row);
          const { bars } = barsOf(row, v, now);
          expect(bars, `seed ${seed} round ${round} view ${JSON.stringify(v)}`).toEqual(referenceBars(row, v, now));
          views++;
          merged += bars.filter((b) => b.last > b.first).length;
        }
        // The row's stretches are now built; change it and look again (through a stale summary, if kept).
        for (let c = Math.floor(g.rand() * 4); c >= 0; c--) liveChange(g, row, ids, now);
        now += g.rand() * 5 * MIN;
      }
    }
    expect(views).toBe(60 * 6 * 8);
    // The cases are not all trivial: many bars stand for several slots.
    expect(merged).toBeGreaterThan(1_000);
  }, 60_000); // pure CPU: about 3.5 s alone, 8 s on a loaded CI machine (past vitest's default 5 s)

  it('a week of minute slots at the 7-day zoom visits a small part of the slots, with the same bars', () => {
    const row = emptyRow('week');
    for (let i = 0; i < 10_080; i++) {
      const start = NOW - (10_080 - i) * MIN;
      upsertSlot(row, { start, end: start + 20_000 + (i % 7) * 3_000, status: i % 97 === 0 ? CODE.failed : i % 151 === 0 ? CODE.missed : CODE.succeeded });
    }
    for (const width of [1280, 1920]) {
      const v: View = { start: NOW + ZOOMS['7d'] * 0.15 - ZOOMS['7d'], end: NOW + ZOOMS['7d'] * 0.15, width };
      const { bars, visited } = barsOf(row, v, NOW);
      expect(bars).toEqual(referenceBars(row, v, NOW));
      expect(visited).toBeLessThan(row.n / 8);
    }
    // Zoomed in to an hour, slots a pixel apart or more are walked one by one, still exactly.
    const v: View = { start: NOW - 2 * ZOOMS['1h'], end: NOW - ZOOMS['1h'], width: 1920 };
    expect(barsOf(row, v, NOW).bars).toEqual(referenceBars(row, v, NOW));
  });

  it('any change to the row drops its stretches; the next draw rebuilds them from the row as it is', () => {
    const row = emptyRow('r');
    for (let i = 0; i < 100; i++) upsertSlot(row, { start: i * MIN, end: i * MIN + 30_000, status: CODE.succeeded, id: `s${i}` });
    const v: View = { start: 0, end: 100 * MIN, width: 300 };
    expect(barsOf(row, v, 0).bars).toHaveLength(1);
    expect(row.stretches).not.toBeNull();
    // A failure in the middle of a stretch that was skipped through: two new bars around it.
    upsertSlot(row, { start: 50 * MIN, end: 50 * MIN + 30_000, status: CODE.failed, id: 's50' });
    expect(row.stretches).toBeNull();
    const after = barsOf(row, v, 0).bars;
    expect(after.map((b) => [VERDICTS[b.status], b.first, b.last])).toEqual([
      ['succeeded', 0, 49],
      ['failed', 50, 50],
      ['succeeded', 51, 99],
    ]);
    expect(stretchesOf(row).first[stretchesOf(row).count]).toBe(row.n);
    // A slot that moves (by id, new start) is removed and inserted: the stretches follow it too.
    upsertSlot(row, { start: 200 * MIN, end: 200 * MIN + 30_000, status: CODE.failed, id: 's50' });
    expect(row.stretches).toBeNull();
    const moved = barsOf(row, v, 0).bars;
    expect(moved).toEqual(referenceBars(row, v, 0));
    expect(moved.map((b) => [VERDICTS[b.status], b.first, b.last])).toEqual([
      ['succeeded', 0, 49],
      ['succeeded', 50, 98],
    ]);
  });
});
