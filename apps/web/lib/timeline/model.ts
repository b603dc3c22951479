import { ALL_VERDICTS, type Verdict } from '../runs/status';
import type { Stretches } from './stretches';

// The timeline keeps each row's slots in typed arrays sorted by start: 200 jobs × 7 days of minute
// slots is two million slots, which as objects would cost hundreds of MB and long GC pauses.

export const VERDICTS = ALL_VERDICTS;
export const CODE: Record<Verdict, number> = Object.fromEntries(VERDICTS.map((v, i) => [v, i])) as Record<Verdict, number>;
export const RUNNING = CODE.running;
/** Verdicts drawn as marks at the slot, not as bars. */
export const isMark = (code: number) => code === CODE.skipped || code === CODE.missed;

export type Row = {
  key: string;
  label: string;
  kind: string;
  tags: string[];
  paused: boolean;
  /** Slot start (ms); sorted ascending. */
  starts: Float64Array;
  /** Close time (ms), or NaN while running or planned. */
  ends: Float64Array;
  status: Uint8Array;
  /** 0..1 while running when known, else NaN. */
  progress: Float32Array;
  /** When a running slot should be done (ms), from its progress rate; else NaN. */
  etas: Float64Array;
  n: number;
  /** Longest bar in the row, so a window query can start far enough back. */
  maxSpan: number;
  /** Earliest start of a running slot (its bar reaches now or its ETA), else Infinity. */
  openStart: number;
  /** Per-slot run ids (workflowId) for real data; synthetic rows leave it empty. */
  ids: (string | undefined)[];
  index: Map<string, number>;
  /** Why a slot was missed or skipped, by slot index. */
  reasons: Map<number, string>;
  /** Stretches of same-verdict slots for rowBars (stretches.ts); null after any change, rebuilt when drawn. */
  stretches: Stretches | null;
};

export function emptyRow(key: string, meta: Partial<Pick<Row, 'label' | 'kind' | 'tags' | 'paused'>> = {}, capacity = 16): Row {
  return {
    key,
    label: meta.label ?? key,
    kind: meta.kind ?? '',
    tags: meta.tags ?? [],
    paused: meta.paused ?? false,
    starts: new Float64Array(capacity),
    ends: new Float64Array(capacity),
    status: new Uint8Array(capacity),
    progress: new Float32Array(capacity),
    etas: new Float64Array(capacity),
    n: 0,
    maxSpan: 0,
    openStart: Infinity,
    ids: [],
    index: new Map(),
    reasons: new Map(),
    stretches: null,
  };
}

function grow(row: Row, need: number): void {
  if (need <= row.starts.length) return;
  const cap = Math.max(need, row.starts.length * 2, 16);
  const s = new Float64Array(cap);
  s.set(row.starts.subarray(0, row.n));
  const e = new Float64Array(cap);
  e.set(row.ends.subarray(0, row.n));
  const st = new Uint8Array(cap);
  st.set(row.status.subarray(0, row.n));
  const p = new Float32Array(cap);
  p.set(row.progress.subarray(0, row.n));
  const eta = new Float64Array(cap);
  eta.set(row.etas.subarray(0, row.n));
  row.starts = s;
  row.ends = e;
  row.status = st;
  row.progress = p;
  row.etas = eta;
}

export type SlotInput = { start: number; end: number; status: number; progress?: number; eta?: number; id?: string; reason?: string };

/**
 * Inserts or updates one slot (by id when given). Appending in time order is O(1); an out-of-order
 * insert shifts the tail, which live updates almost never need. Returns the slot's index.
 */
export function upsertSlot(row: Row, slot: SlotInput): number {
  const existing = slot.id !== undefined ? row.index.get(slot.id) : undefined;
  row.stretches = null;
  let i: number;
  if (existing !== undefined && row.starts[existing] === slot.start) {
    i = existing;
  } else {
    if (existing !== undefined) removeAt(row, existing);
    grow(row, row.n + 1);
    i = upperBound(row.starts, row.n, slot.start);
    if (i < row.n) {
      row.starts.copyWithin(i + 1, i, row.n);
      row.ends.copyWithin(i + 1, i, row.n);
      row.status.copyWithin(i + 1, i, row.n);
      row.progress.copyWithin(i + 1, i, row.n);
      row.etas.copyWithin(i + 1, i, row.n);
      row.ids.splice(i, 0, undefined);
      shiftIndexes(row, i, 1);
    }
    row.n++;
  }
  row.starts[i] = slot.start;
  row.ends[i] = slot.end;
  row.status[i] = slot.status;
  row.progress[i] = slot.progress ?? Number.NaN;
  row.etas[i] = slot.eta ?? Number.NaN;
  if (slot.id !== undefined) {
    row.ids[i] = slot.id;
    row.index.set(slot.id, i);
  }
  if (slot.reason) row.reasons.set(i, slot.reason);
  if (Number.isFinite(slot.end)) row.maxSpan = Math.max(row.maxSpan, slot.end - slot.start);
  else if (slot.status === RUNNING) row.openStart = Math.min(row.openStart, slot.start);
  return i;
}

function removeAt(row: Row, i: number): void {
  row.stretches = null;
  row.starts.copyWithin(i, i + 1, row.n);
  row.ends.copyWithin(i, i + 1, row.n);
  row.status.copyWithin(i, i + 1, row.n);
  row.progress.copyWithin(i, i + 1, row.n);
  row.etas.copyWithin(i, i + 1, row.n);
  const [id] = row.ids.splice(i, 1);
  if (id !== undefined) row.index.delete(id);
  row.n--;
  shiftIndexes(row, i, -1);
}

function shiftIndexes(row: Row, from: number, by: number): void {
  for (const [id, idx] of row.index) if (idx >= from) row.index.set(id, idx + by);
  if (row.reasons.size) {
    const moved = new Map<number, string>();
    for (const [idx, r] of row.reasons) moved.set(idx >= from ? idx + by : idx, r);
    row.reasons = moved;
  }
}

/** First index whose value is >= x. */
export function lowerBound(arr: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x. */
export function upperBound(arr: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
