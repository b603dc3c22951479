import type { Row } from './model';

// A per-row summary that lets rowBars skip slots it would only merge into the current bar.
//
// At the 7-day zoom a row holds about 10,000 minute slots on under 2,000 px: almost every slot merges
// into its neighbour's bar, and visiting each of them on every frame was what bounded the redraw. The
// row's slots are cut into stretches: consecutive slots with the same verdict, at most STRETCH_MAX long
// (so a view that starts inside a long stretch walks at most that many slots before the next one
// starts). Each stretch keeps what decides whether all of it after its first slot merges into one bar
// at a given scale: its latest and earliest bar end, and its widest gap from the bar so far to the next
// slot's start. rowBars (layout.ts) reads them; any change to the row drops them (model.ts) and the
// next draw of that row rebuilds them, O(slots) once, so a live update costs one row's rebuild.

/** Longest stretch, so a view that starts inside one walks a bounded number of slots. */
export const STRETCH_MAX = 32;

export type Stretches = {
  count: number;
  /** Index of each stretch's first slot, ascending; `first[count]` is row.n (where the last one ends). */
  first: Int32Array;
  /** Latest bar end in the stretch: close time, or start for a slot without one (planned). */
  maxEnd: Float64Array;
  /** Earliest bar end: if it is before the view, a slot of the stretch is skipped there, not merged. */
  minEnd: Float64Array;
  /**
   * Widest gap from the latest end so far in the stretch to the next slot's start (ms; -Infinity for a
   * one-slot stretch). The stretch merges whole into its first slot's bar when this is under a pixel.
   */
  maxGap: Float64Array;
};

const startsStretch = (status: Uint8Array, i: number, len: number) => i === 0 || status[i] !== status[i - 1] || len === STRETCH_MAX;

/**
 * The row's stretches, built now if a change dropped them. A running slot's bar ends at now or its
 * ETA, which no summary can know: its stretch is built like any other, and rowBars never skips one.
 */
export function stretchesOf(row: Row): Stretches {
  if (row.stretches) return row.stretches;
  const { n, starts, ends, status } = row;
  let count = 0;
  for (let i = 0, len = 0; i < n; i++, len++) {
    if (startsStretch(status, i, len)) {
      count++;
      len = 0;
    }
  }
  const st: Stretches = { count, first: new Int32Array(count + 1), maxEnd: new Float64Array(count), minEnd: new Float64Array(count), maxGap: new Float64Array(count) };
  for (let i = 0, k = -1, len = 0; i < n; i++, len++) {
    const s = starts[i];
    const e = Number.isFinite(ends[i]) ? ends[i] : s;
    if (startsStretch(status, i, len)) {
      k++;
      len = 0;
      st.first[k] = i;
      st.maxEnd[k] = e;
      st.minEnd[k] = e;
      st.maxGap[k] = -Infinity;
      continue;
    }
    const gap = s - st.maxEnd[k];
    if (gap > st.maxGap[k]) st.maxGap[k] = gap;
    if (e > st.maxEnd[k]) st.maxEnd[k] = e;
    if (e < st.minEnd[k]) st.minEnd[k] = e;
  }
  st.first[count] = n;
  row.stretches = st;
  return st;
}

/** The first stretch that starts at or after slot `i`. */
export function stretchAtOrAfter(st: Stretches, i: number): number {
  let lo = 0;
  let hi = st.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (st.first[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
