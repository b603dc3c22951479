import type { Row } from './model';

// A per-row summary that lets rowBars skip slots it would only merge into the current bar.
//
// At the 7-day zoom a row holds about 10,000 minute slots on under 2,000 px: almost every slot merges
// into its neighbour's bar, and walking each of them on every frame was what bounded the redraw. The
// slots are cut into runs: consecutive slots with the same verdict, at most RUN_MAX long (so a view
// that starts in the middle of a long run walks at most that many slots before it reaches the next
// run's start). For each run it keeps what decides whether the whole rest of the run merges into one
// bar at a given scale: the latest and earliest bar end, and the widest gap from the bars so far to
// the next slot's start. rowBars (layout.ts) reads it; any change to the row drops it (model.ts), and
// the next draw of that row rebuilds it, O(slots) once, so a live update costs one row's rebuild.

/** Longest run, so entering a run part-way walks a bounded number of slots. */
export const RUN_MAX = 32;

export type Runs = {
  count: number;
  /** Index of each run's first slot, ascending; `first[count]` is row.n (where the last run ends). */
  first: Int32Array;
  /** Latest bar end in the run: close time, or start for a slot without one (planned). */
  maxEnd: Float64Array;
  /** Earliest bar end in the run: if it is before the view, some slot of the run is skipped, not merged. */
  minEnd: Float64Array;
  /**
   * Widest gap in the run from the latest end so far to the next slot's start (ms; -Infinity for a
   * one-slot run). A run merges whole into its first slot's bar when this gap is under a pixel.
   */
  maxGap: Float64Array;
};

/**
 * The row's runs, built now if a change dropped them. Running slots end at now or their ETA, which a
 * summary cannot know: their runs are built like any other, and rowBars never skips through one.
 */
export function runsOf(row: Row): Runs {
  if (row.runs) return row.runs;
  const { n, starts, ends, status } = row;
  let count = 0;
  for (let i = 0, len = 0; i < n; i++, len++) {
    if (i === 0 || status[i] !== status[i - 1] || len === RUN_MAX) {
      count++;
      len = 0;
    }
  }
  const runs: Runs = { count, first: new Int32Array(count + 1), maxEnd: new Float64Array(count), minEnd: new Float64Array(count), maxGap: new Float64Array(count) };
  for (let i = 0, k = -1, len = 0; i < n; i++, len++) {
    const s = starts[i];
    const e = Number.isFinite(ends[i]) ? ends[i] : s;
    if (i === 0 || status[i] !== status[i - 1] || len === RUN_MAX) {
      k++;
      len = 0;
      runs.first[k] = i;
      runs.maxEnd[k] = e;
      runs.minEnd[k] = e;
      runs.maxGap[k] = -Infinity;
      continue;
    }
    const gap = s - runs.maxEnd[k];
    if (gap > runs.maxGap[k]) runs.maxGap[k] = gap;
    if (e > runs.maxEnd[k]) runs.maxEnd[k] = e;
    if (e < runs.minEnd[k]) runs.minEnd[k] = e;
  }
  runs.first[count] = n;
  row.runs = runs;
  return runs;
}

/** First run whose first slot is at or after slot `i`. */
export function runAtOrAfter(runs: Runs, i: number): number {
  let lo = 0;
  let hi = runs.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs.first[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
