import type { SlotProgress } from '@timekeeper/contracts';
import { formatElapsed } from '../time/format';

// How far a slot's work is, how fast this attempt goes and when it should be done, from the progress
// the worker commits with each chunk (an estimate made at the attempt's start, and work done since).

export type ProgressView = {
  done: number;
  /** The estimate of all the work, or null when the kind gave none. */
  total: number | null;
  unit: string;
  /** 0..1 of the estimate (capped: an estimate may be short), or NaN without one. */
  fraction: number;
  /** Work per second in this attempt, or null before it committed any. */
  ratePerSec: number | null;
  /** When the estimate should be done (epoch ms), or null when that is unknown. */
  etaAt: number | null;
};

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/** The view of a slot's progress; null when it has none. Progress written before estimates counts chunks. */
export function progressView(p: SlotProgress | null | undefined): ProgressView | null {
  if (!p || typeof p !== 'object') return null;
  const done = typeof p.done === 'number' ? p.done : (p.chunk ?? -1) + 1;
  const total = typeof p.total === 'number' ? p.total : null;
  const fraction = total === null ? Number.NaN : total === 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const started = time(p.startedAt);
  const at = time(p.at);
  const worked = done - (p.startDone ?? 0);
  const ratePerSec = Number.isFinite(started) && Number.isFinite(at) && at > started && worked > 0 ? worked / ((at - started) / 1_000) : null;
  let etaAt: number | null = null;
  if (total !== null && Number.isFinite(at)) {
    if (done >= total) etaAt = at;
    else if (ratePerSec) etaAt = at + ((total - done) / ratePerSec) * 1_000;
  }
  return { done, total, unit: p.unit ?? 'chunks', fraction, ratePerSec, etaAt };
}

/** 0..1 for the timeline's bars, NaN when unknown. */
export const progressFraction = (p: SlotProgress | null | undefined): number => progressView(p)?.fraction ?? Number.NaN;

const count = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(1));

/** "1,200 of 5,000 users", or "3 chunks" without an estimate. */
export function formatDone(v: ProgressView): string {
  return v.total === null ? `${count(v.done)} ${v.unit}` : `${count(v.done)} of ${count(v.total)} ${v.unit}`;
}

/** "250 users/s", "0.4 chunks/s", "2.5 chunks/min" for slow work. */
export function formatRate(v: ProgressView): string | null {
  if (v.ratePerSec === null) return null;
  const r = v.ratePerSec;
  if (r >= 10) return `${Math.round(r).toLocaleString('en-US')} ${v.unit}/s`;
  if (r >= 0.1) return `${r.toFixed(1)} ${v.unit}/s`;
  return `${(r * 60).toFixed(1)} ${v.unit}/min`;
}

/** Time left until the ETA from `now` ("1m 05s"), "any moment" once it has passed, or null. */
export function formatRemaining(v: ProgressView, now: number): string | null {
  if (v.etaAt === null) return null;
  const left = v.etaAt - now;
  return left <= 0 ? 'any moment' : formatElapsed(left);
}
