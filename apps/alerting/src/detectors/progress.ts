import type { SlotProgress } from '@timekeeper/contracts';
import { writeProgressEvents, type ProgressFact } from '../run-events';
import type { Detector, DetectorContext } from './context';

type Row = {
  job_key: string;
  nominal_time: Date;
  workflow_id: string | null;
  run_id: string | null;
  attempt: number;
  progress: string | SlotProgress | null;
};

// A pass reads at most this many running slots, newest first (one index range on status).
const MAX_RUNNING = 5_000;

const parse = (p: Row['progress']): SlotProgress | null => {
  if (p === null) return null;
  try {
    return typeof p === 'string' ? (JSON.parse(p) as SlotProgress) : p;
  } catch {
    return null;
  }
};

/**
 * Turns the ledger's progress of running slots into `run.progress` events, for the console's live
 * progress bars. Each pass sends one event for each running slot whose committed progress moved since
 * the last pass, so however small a job's chunks, a slot costs at most one event per pass (and passes
 * are at least a second apart). The worker keeps writing progress with every chunk; this only samples it.
 */
export function progressDetector(ctx: DetectorContext, intervalMs: number): Detector {
  // Slot -> what was last sent for it; only running slots are kept.
  let sent = new Map<string, string>();
  return {
    name: 'progress',
    intervalMs,
    async pass() {
      const rows = await ctx.orm.em.fork().getConnection().execute<Row[]>(
        `select job_key, nominal_time, workflow_id, run_id, attempt, progress from job_slots
         where status = 'running' and progress is not null order by nominal_time desc limit ?`,
        [MAX_RUNNING],
      );
      const next = new Map<string, string>();
      const facts: ProgressFact[] = [];
      for (const r of rows) {
        const progress = parse(r.progress);
        if (!progress) continue;
        const slot = new Date(r.nominal_time);
        const key = `${r.job_key}|${slot.getTime()}`;
        const mark = `${r.run_id ?? '-'}|${r.attempt}|${progress.chunk}|${progress.done ?? ''}|${progress.at ?? ''}`;
        next.set(key, mark);
        if (sent.get(key) === mark) continue;
        facts.push({ jobKey: r.job_key, slot, workflowId: r.workflow_id, runId: r.run_id, attempt: Number(r.attempt), progress });
      }
      if (facts.length) await ctx.orm.em.fork().transactional((tx) => writeProgressEvents(tx, ctx.runsTopic, facts));
      sent = next;
    },
  };
}
