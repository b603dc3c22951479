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

// A pass reads at most this many slots, newest first: the running ones (an index range on status)
// and those that finished lately (on finished_at), whose last chunk may have landed after the last pass.
const MAX_SLOTS = 5_000;
const FINISHED_WITHIN_MS = 30_000;

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
 * are at least a second apart). The worker keeps writing progress with every chunk; this only samples
 * it. A slot that finished since is sent once more if its last progress was not, so the console's
 * bar ends where the work did.
 */
export function progressDetector(ctx: DetectorContext, intervalMs: number): Detector {
  // Slot -> what was last sent for it; only slots the last pass read are kept.
  let sent = new Map<string, string>();
  return {
    name: 'progress',
    intervalMs,
    async pass() {
      const columns = 'job_key, nominal_time, workflow_id, run_id, attempt, progress';
      const rows = await ctx.orm.em.fork().getConnection().execute<Row[]>(
        `(select ${columns} from job_slots where status = 'running' and progress is not null)
         union all
         (select ${columns} from job_slots where finished_at >= ? and status <> 'running' and progress is not null)
         order by nominal_time desc limit ?`,
        [new Date(Date.now() - FINISHED_WITHIN_MS), MAX_SLOTS],
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
