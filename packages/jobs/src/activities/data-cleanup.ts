import { deleteSentOutbox } from '@timekeeper/db';
import type { JobDeps } from '../deps';
import type { ChunkedJob } from '../runner/chunked';
import { parseParams } from './params';

const PHASES = ['sessions', 'slots', 'checkpoints', 'outbox'] as const;
type Phase = (typeof PHASES)[number];
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Deletes, one bounded statement per chunk: sessions expired before the slot, then finished slot
 * ledger rows, their checkpoints, and outbox rows sent more than `outboxRetentionHours` before the slot
 * (never unsent or dead-lettered ones; by primary key, so no insert waits on it). Each chunk's count
 * commits with its checkpoint, so the reported total counts every row once across retries.
 */
export function dataCleanupJob(_deps: JobDeps): ChunkedJob {
  return {
    kind: 'data-cleanup',
    async step({ tx, cursor, slot, input }) {
      const p = parseParams('data-cleanup', input.params);
      const phase: Phase = (cursor as Phase | null) ?? 'sessions';
      const cutoff = new Date(slot.getTime() - p.runRetentionDays * DAY_MS);
      const statements: Record<Exclude<Phase, 'outbox'>, [string, unknown[]]> = {
        sessions: ['delete from sessions where expires_at < ? order by expires_at limit ?', [slot, p.batchSize]],
        slots: [
          `delete from job_slots where nominal_time < ? and status in ('succeeded','failed','timed_out','cancelled','skipped','missed')
           order by nominal_time limit ?`,
          [cutoff, p.batchSize],
        ],
        checkpoints: ['delete from job_checkpoints where nominal_time < ? order by nominal_time limit ?', [cutoff, p.batchSize]],
      };
      const deleted =
        phase === 'outbox'
          ? await deleteSentOutbox(tx, new Date(slot.getTime() - p.outboxRetentionHours * HOUR_MS), p.batchSize)
          : (await tx.execute<{ affectedRows: number }>(statements[phase][0], statements[phase][1], 'run')).affectedRows;
      // A short batch means the phase is drained; move on to the next one.
      const nextPhase = deleted < p.batchSize ? PHASES[PHASES.indexOf(phase) + 1] ?? null : phase;
      return { cursor: nextPhase, counts: { [phase]: deleted, deleted } };
    },
  };
}
