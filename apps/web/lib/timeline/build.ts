import type { Job, Run, Slot } from '../api/types';
import { progressView } from '../runs/progress';
import { slotKeyOf } from '../runs/slot-key';
import { verdictOf } from '../runs/status';
import { CODE, emptyRow, upsertSlot, type Row } from './model';
import { stretchesOf } from './stretches';

/** A run's id on the timeline: its slot (a retry of the slot replaces the bar, it adds none). */
export const runKey = (r: Pick<Run, 'jobKey' | 'slot'>) => slotKeyOf(r);

export function slotOfRun(run: Run) {
  const start = Date.parse(run.startTime ?? run.slot ?? '');
  const end = run.closeTime ? Date.parse(run.closeTime) : Number.NaN;
  const code = CODE[verdictOf(run.status)];
  const p = progressView(run.progress);
  const running = code === CODE.running;
  return {
    start,
    end,
    status: code,
    progress: running && p ? p.fraction : Number.NaN,
    eta: running && p?.etaAt != null ? p.etaAt : Number.NaN,
    id: runKey(run),
    reason: run.reason ?? run.errorMessage ?? undefined,
  };
}

/** One row per job (in the given order) holding its runs and its planned slots. */
export function buildRows(jobs: Job[], runs: Run[], planned: Record<string, Slot[] | undefined> = {}): Row[] {
  const byJob = new Map<string, Run[]>();
  for (const r of runs) {
    if (!r.jobKey) continue;
    const list = byJob.get(r.jobKey) ?? [];
    list.push(r);
    byJob.set(r.jobKey, list);
  }
  return jobs.map((job) => {
    const jobRuns = (byJob.get(job.key) ?? []).map(slotOfRun).filter((s) => Number.isFinite(s.start));
    // A slot the job's DST policy skips never runs: it is no planned bar.
    const plannedSlots = (planned[job.key] ?? []).filter((f) => f.status === 'fires').map((f) => ({ start: Date.parse(f.utc), end: Number.NaN, status: CODE.planned }));
    const all = [...jobRuns, ...plannedSlots].sort((a, b) => a.start - b.start);
    const row = emptyRow(job.key, { label: job.name, kind: job.kind, tags: job.tags, paused: job.paused }, all.length + 8);
    for (const s of all) upsertSlot(row, s);
    // Summarised now, with the data, so scrolling a row into view does not pay for it in a frame.
    stretchesOf(row);
    return row;
  });
}
