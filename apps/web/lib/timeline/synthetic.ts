import type { Run } from '../api/types';
import { VERDICTS, CODE, emptyRow, upsertSlot, type Row } from './model';
import { stretchesOf } from './stretches';

// Synthetic data for measuring the timeline: N jobs × D days of minute slots, deterministic.

/** A small seeded generator (mulberry32): the same data for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const KINDS = ['vip-recalculation', 'report-generation', 'cache-warming', 'data-cleanup', 'synthetic'];
const TAGS = ['cache', 'reports', 'loyalty', 'maintenance', 'demo'];

export function syntheticRows(jobs: number, days: number, now: number, seed = 42): { rows: Row[]; slots: number } {
  const rand = prng(seed);
  const minute = 60_000;
  const first = Math.floor((now - days * 86_400_000) / minute) * minute;
  const plannedUntil = now + 6 * 3_600_000;
  const rows: Row[] = [];
  let slots = 0;
  for (let j = 0; j < jobs; j++) {
    const key = `synthetic-${String(j).padStart(3, '0')}`;
    const count = Math.ceil((plannedUntil - first) / minute);
    const row = emptyRow(key, { label: `Synthetic job ${j}`, kind: KINDS[j % KINDS.length], tags: [TAGS[j % TAGS.length]] }, count + 4);
    for (let t = first; t < plannedUntil; t += minute) {
      if (t > now) {
        upsertSlot(row, { start: t, end: Number.NaN, status: CODE.planned });
      } else if (now - t < minute) {
        upsertSlot(row, { start: t, end: Number.NaN, status: CODE.running, progress: rand() });
      } else {
        const r = rand();
        const dur = 5_000 + rand() * 40_000;
        const status = r < 0.01 ? CODE.failed : r < 0.015 ? CODE.timed_out : r < 0.02 ? CODE.missed : r < 0.025 ? CODE.skipped : CODE.succeeded;
        const reason = status === CODE.missed ? 'No worker picked the slot up within the catch-up window' : status === CODE.skipped ? 'Previous run still going (overlap: skip)' : undefined;
        upsertSlot(row, { start: t, end: status === CODE.missed || status === CODE.skipped ? t : t + dur, status, reason });
      }
      slots++;
    }
    // As buildRows does: summarised with the data, not in the first frame that shows the row.
    stretchesOf(row);
    rows.push(row);
  }
  return { rows, slots };
}

/** A Run for the drawer, made up from a synthetic slot (progress as hundredths done). */
export function syntheticRun(row: Row, i: number): Run {
  const verdict = VERDICTS[row.status[i]];
  const start = new Date(row.starts[i]).toISOString();
  const fraction = row.progress[i];
  return {
    jobKey: row.key,
    workflowId: `tk-${row.key}-${start}`,
    runId: `synthetic-${i}`,
    status: verdict === 'paused' ? 'missed' : verdict,
    slot: start,
    startTime: start,
    closeTime: Number.isFinite(row.ends[i]) ? new Date(row.ends[i]).toISOString() : null,
    attempt: 1,
    runs: 1,
    progress: Number.isFinite(fraction) ? { chunk: -1, cursor: null, counts: {}, unit: '%', total: 100, done: Math.round(fraction * 100) } : null,
    result: null,
    errorType: null,
    errorMessage: null,
    reason: row.reasons.get(i) ?? null,
    fence: null,
    source: 'ledger',
  };
}
