import { isMark, lowerBound, RUNNING, CODE, type Row } from './model';
import { stretchAtOrAfter, stretchesOf } from './stretches';

// Pure geometry for the timeline: time <-> pixels, which rows and slots are in view, zoom and pan,
// hit-testing and axis ticks. The canvas component only draws what these return.

export type View = { start: number; end: number; width: number };

export const ZOOMS = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const;
export type Zoom = keyof typeof ZOOMS;

export const timeToX = (t: number, v: View) => ((t - v.start) / (v.end - v.start)) * v.width;
export const xToTime = (x: number, v: View) => v.start + (x / v.width) * (v.end - v.start);

/** Rows [first, last) to draw for a scroll position, with a few extra either side. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 3): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}

/** A window of `span` ms whose right edge sits a little past now (so "now" and what is next are visible). */
export function windowEndingNow(span: number, now: number, width: number): View {
  const end = now + span * 0.15;
  return { start: end - span, end, width };
}

/** Keeps the time under `anchorX` fixed while changing the span. */
export function zoomTo(v: View, span: number, anchorX = v.width / 2): View {
  const anchor = xToTime(anchorX, v);
  const frac = anchorX / v.width;
  return { start: anchor - span * frac, end: anchor + span * (1 - frac), width: v.width };
}

/** Moves the window by a number of pixels (positive = later). */
export function panBy(v: View, dx: number): View {
  const dt = (dx / v.width) * (v.end - v.start);
  return { start: v.start + dt, end: v.end + dt, width: v.width };
}

export type Bar = { x: number; w: number; status: number; first: number; last: number; progress: number; mark: boolean };

/**
 * Where a slot's bar ends: its close time; a running one at now, or at its ETA when that is later
 * (an unknown ETA is NaN, and `NaN || s` is s); planned slots and marks at their start.
 */
export function slotEnd(row: Row, i: number, now: number): number {
  const s = row.starts[i];
  const end = row.ends[i];
  return Number.isFinite(end) ? end : row.status[i] === RUNNING ? Math.max(now, s, row.etas[i] || s) : s;
}

/**
 * The bars of one row in view. Neighbouring slots that share a pixel and a verdict merge into one bar,
 * so a week of minute slots draws as a few hundred rectangles, not ten thousand. `emit` gets the same
 * object for every bar of the call (a frame makes no garbage per bar): copy it to keep it. Returns how
 * many slots it visited one by one (it skips the rest through the row's stretches).
 *
 * Where a stretch starts (stretches.ts), once its first slot is in the current bar, the rest of the
 * stretch joins that bar unvisited when each of its slots would have joined it: same verdict (a stretch
 * has one), not running (its end moves with now), none ending before the view (those are skipped, not
 * merged), none starting after it, and every gap from the bar so far to a slot under a pixel (less a
 * margin far above rounding error, so the per-slot test passes too). The bar then grows to the
 * stretch's latest end or its last start plus the minimum width, whichever is further: the value the
 * per-slot walk reaches, since time -> x is monotonic and max does not depend on order.
 */
export function rowBars(row: Row, v: View, now: number, emit: (b: Bar) => void): number {
  const from = lowerBound(row.starts, row.n, Math.min(v.start - Math.max(row.maxSpan, 0) - 1, row.openStart));
  const pxPerMs = v.width / (v.end - v.start);
  const mergeGap = (1 - 1e-6) / pxPerMs;
  const st = stretchesOf(row);
  let next = stretchAtOrAfter(st, from);
  let visited = 0;
  const cur: Bar = { x: 0, w: 0, status: 0, first: 0, last: 0, progress: 0, mark: false };
  let open = false;
  for (let i = from; i < row.n; i++) {
    const s = row.starts[i];
    if (s > v.end) break;
    visited++;
    const stretchStart = i === st.first[next];
    if (stretchStart) next++;
    const code = row.status[i];
    // slotEnd, inlined: this loop runs for every slot it visits.
    const endRaw = row.ends[i];
    const e = Number.isFinite(endRaw) ? endRaw : code === RUNNING ? Math.max(now, s, row.etas[i] || s) : s;
    if (e < v.start && !(code === CODE.planned || isMark(code))) continue;
    const mark = isMark(code) || code === CODE.planned;
    const x0 = (s - v.start) * pxPerMs;
    const x1 = Math.max((e - v.start) * pxPerMs, x0 + (mark ? 0 : 2));
    if (open && cur.status === code && cur.mark === mark && x0 <= cur.x + cur.w + 1) {
      cur.w = Math.max(cur.w, x1 - cur.x);
      cur.last = i;
    } else {
      if (open) emit(cur);
      open = true;
      cur.x = x0;
      cur.w = x1 - x0;
      cur.status = code;
      cur.first = i;
      cur.last = i;
      cur.progress = row.progress[i];
      cur.mark = mark;
    }
    if (!stretchStart) continue;
    const k = next - 1;
    const last = st.first[next] - 1;
    if (last > i && code !== RUNNING && st.maxGap[k] <= mergeGap && (mark || st.minEnd[k] >= v.start) && row.starts[last] <= v.end) {
      const x1All = Math.max((st.maxEnd[k] - v.start) * pxPerMs, (row.starts[last] - v.start) * pxPerMs + (mark ? 0 : 2));
      cur.w = Math.max(cur.w, x1All - cur.x);
      cur.last = last;
      i = last;
    }
  }
  if (open) emit(cur);
  return visited;
}

/** The slot under x in a row (the latest one when several overlap), or -1. */
export function hitSlot(row: Row, v: View, x: number, now: number, tolerancePx = 3): number {
  const t = xToTime(x, v);
  const tol = (tolerancePx / v.width) * (v.end - v.start);
  const hi = lowerBound(row.starts, row.n, t + tol + 1);
  const lo = lowerBound(row.starts, row.n, Math.min(t - Math.max(row.maxSpan, 0) - tol - 1, row.openStart));
  let best = -1;
  let bestDist = Infinity;
  for (let i = hi - 1; i >= lo; i--) {
    const s = row.starts[i];
    const e = slotEnd(row, i, now);
    const dist = t < s ? s - t : t > e ? t - e : 0;
    if (dist <= tol && dist < bestDist) {
      best = i;
      bestDist = dist;
      if (dist === 0) break;
    }
  }
  return best;
}

const TICK_STEPS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** Axis ticks at least `minGapPx` apart, aligned to whole steps in the given UTC offset. */
export function ticks(v: View, offsetMs: number, minGapPx = 90): { step: number; times: number[] } {
  const span = v.end - v.start;
  const step = TICK_STEPS.find((s) => (s / span) * v.width >= minGapPx) ?? 86_400_000 * Math.ceil((minGapPx / v.width) * (span / 86_400_000));
  const first = Math.ceil((v.start + offsetMs) / step) * step - offsetMs;
  const times: number[] = [];
  for (let t = first; t <= v.end; t += step) times.push(t);
  return { step, times };
}
