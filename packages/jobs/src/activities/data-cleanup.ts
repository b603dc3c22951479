import type { JobDeps } from '../deps';
import type { ChunkedJob } from '../runner/chunked';
import { parseParams } from './params';

const PHASES = ['sessions', 'slots', 'checkpoints', 'outbox'] as const;
type Phase = (typeof PHASES)[number];
const DAY_MS = 86_400_000;

/**
 * Deletes, one bounded statement per chunk: sessions expired before the slot, then finished slot
 * ledger rows, their checkpoints and sent outbox rows older than the retention. Each chunk's count
 * commits with its checkpoint, so the reported total counts every row once across retries.
 */
export function dataCleanupJob(_deps: JobDeps): ChunkedJob {
  return {
    kind: 'data-cleanup',
    // Phases drained of the four: the cursor names the phase still going.
    progress: {
      estimate: async () => ({ unit: 'phases', total: PHASES.length }),
      done: (s) => (s.finished ? PHASES.length : s.chunks === 0 || s.cursor === null ? 0 : PHASES.indexOf(s.cursor as Phase)),
    },
    async step({ tx, cursor, slot, input }) {
      const p = parseParams('data-cleanup', input.params);
      const phase: Phase = (cursor as Phase | null) ?? 'sessions';
      const cutoff = new Date(slot.getTime() - p.runRetentionDays * DAY_MS);
      const statements: Record<Phase, [string, unknown[]]> = {
        sessions: ['delete from sessions where expires_at < ? order by expires_at limit ?', [slot, p.batchSize]],
        slots: [
          `delete from job_slots where nominal_time < ? and status in ('succeeded','failed','timed_out','cancelled','skipped','missed')
           order by nominal_time limit ?`,
          [cutoff, p.batchSize],
        ],
        checkpoints: ['delete from job_checkpoints where nominal_time < ? order by nominal_time limit ?', [cutoff, p.batchSize]],
        outbox: ['delete from outbox where sent_at is not null and created_at < ? order by id limit ?', [cutoff, p.batchSize]],
      };
      const [sql, params] = statements[phase];
      const res = await tx.execute<{ affectedRows: number }>(sql, params, 'run');
      const deleted = res.affectedRows;
      // A short batch means the phase is drained; move on to the next one.
      const nextPhase = deleted < p.batchSize ? PHASES[PHASES.indexOf(phase) + 1] ?? null : phase;
      return { cursor: nextPhase, counts: { [phase]: deleted, deleted } };
    },
  };
}
