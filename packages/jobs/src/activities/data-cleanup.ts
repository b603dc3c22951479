import { deleteSentOutbox, FINAL_SLOT_STATUSES, notInOpenRollup, TERMINAL_SLOT_STATUSES, type EntityManager } from '@timekeeper/db';
import type { JobDeps } from '../deps';
import type { ChunkedJob, ChunkOutcome } from '../runner/chunked';
import { parseParams } from './params';
import { deletableBefore, rollupChunk } from './slot-rollups';

const PHASES = ['sessions', 'rollups', 'slots', 'slotRuns', 'checkpoints', 'outbox'] as const;
type Phase = (typeof PHASES)[number];
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const list = (values: readonly string[]) => values.map(() => '?').join(', ');

/**
 * One bounded batch of checkpoint deletion: the next `batch` checkpoint ids after `afterId` (a
 * primary-key range), of which only those of slots that can never run again are deleted: the slot's
 * ledger row says so (FINAL_SLOT_STATUSES), or the row itself is gone (past the run retention; the
 * API's Retry refuses such a slot). A failed, timed-out or cancelled slot keeps its checkpoints, so a
 * retry resumes after its committed chunks instead of applying them again. Returns where the next
 * batch starts, or null once the ids reach checkpoints newer than the cutoff (ids grow with time).
 */
async function deleteFinishedCheckpoints(tx: EntityManager, afterId: number, cutoff: Date, batch: number): Promise<{ deleted: number; next: number | null }> {
  const window = await tx.execute<Array<{ id: number; fresh: number }>>(
    'select id, created_at >= ? as fresh from job_checkpoints where id > ? order by id limit ?',
    [cutoff, afterId, batch],
  );
  if (window.length === 0) return { deleted: 0, next: null };
  const last = Number(window[window.length - 1].id);
  const res = await tx.execute<{ affectedRows: number }>(
    `delete c from job_checkpoints c
     left join job_slots s on s.job_key = c.job_key and s.nominal_time = c.nominal_time
     where c.id > ? and c.id <= ? and c.created_at < ? and (s.id is null or s.status in (${list(FINAL_SLOT_STATUSES)}))`,
    [afterId, last, cutoff, ...FINAL_SLOT_STATUSES],
    'run',
  );
  const drained = window.length < batch || Number(window[window.length - 1].fresh) === 1;
  return { deleted: res.affectedRows, next: drained ? null : last };
}

/**
 * Deletes, one bounded statement per chunk: sessions expired before the slot, then (after rolling
 * each day's slots up per job, see slot-rollups.ts) slot ledger rows whose slot and verdict are both
 * older than the retention and whose day's roll-up is final, then the replaced verdicts of those slots
 * (job_slot_runs) replaced before the cutoff, then checkpoints of slots that can never
 * run again (see deleteFinishedCheckpoints), then outbox rows sent more than `outboxRetentionHours` before
 * the slot (never unsent or dead-lettered ones; by primary key, so no insert waits on it). Each chunk's
 * count commits with its checkpoint, so the reported total counts every row once across retries.
 */
export function dataCleanupJob(_deps: JobDeps): ChunkedJob {
  return {
    kind: 'data-cleanup',
    // Phases drained: the cursor names the phase still going.
    progress: {
      estimate: async () => ({ unit: 'phases', total: PHASES.length }),
      done: (s) => (s.finished ? PHASES.length : s.chunks === 0 || s.cursor === null ? 0 : Math.max(0, PHASES.indexOf(s.cursor.split(':')[0] as Phase))),
    },
    async step({ tx, cursor, slot, input }): Promise<ChunkOutcome> {
      const p = parseParams('data-cleanup', input.params);
      // The cursor is the phase, with the checkpoint id reached for the checkpoints phase ("checkpoints:123").
      const [phaseName, at] = (cursor ?? 'sessions').split(':');
      const phase = phaseName as Phase;
      const cutoff = new Date(slot.getTime() - p.runRetentionDays * DAY_MS);
      const following = PHASES[PHASES.indexOf(phase) + 1] ?? null;
      if (phase === 'rollups') {
        // The cursor is "rollups:<day>:<last job key rolled up>".
        const w = { slot, cutoff, afterDays: p.rollupAfterDays, jobsPerChunk: p.rollupJobsPerChunk };
        const { next, rolled } = await rollupChunk(tx, (cursor ?? '').slice('rollups:'.length), w);
        return { cursor: next === null ? following : `rollups:${next}`, counts: { rolledUp: rolled } };
      }
      if (phase === 'checkpoints') {
        const { deleted, next } = await deleteFinishedCheckpoints(tx, Number(at ?? 0), cutoff, p.batchSize);
        return { cursor: next === null ? following : `checkpoints:${next}`, counts: { checkpoints: deleted, deleted } };
      }
      // Never a slot whose day's roll-up is not final yet.
      const slotsBefore = phase === 'slots' || phase === 'slotRuns' ? await deletableBefore(tx, cutoff) : cutoff;
      const statements: Record<Exclude<Phase, 'checkpoints' | 'rollups' | 'outbox'>, [string, unknown[]]> = {
        sessions: ['delete from sessions where expires_at < ? order by expires_at limit ?', [slot, p.batchSize]],
        // By the verdict's age too, not only the slot's: a backfilled old slot that failed yesterday
        // stays retryable for the whole retention.
        slots: [
          `delete from job_slots where nominal_time < ? and coalesce(finished_at, updated_at) < ? and status in (${list(TERMINAL_SLOT_STATUSES)})
           and ${notInOpenRollup('job_slots')} order by nominal_time limit ?`,
          [slotsBefore, cutoff, ...TERMINAL_SLOT_STATUSES, p.batchSize],
        ],
        slotRuns: [
          `delete from job_slot_runs where nominal_time < ? and replaced_at < ? and ${notInOpenRollup('job_slot_runs')} order by nominal_time limit ?`,
          [slotsBefore, cutoff, p.batchSize],
        ],
      };
      const deleted =
        phase === 'outbox'
          ? await deleteSentOutbox(tx, new Date(slot.getTime() - p.outboxRetentionHours * HOUR_MS), p.batchSize)
          : (await tx.execute<{ affectedRows: number }>(statements[phase][0], statements[phase][1], 'run')).affectedRows;
      // A short batch means the phase is drained; move on to the next one.
      const nextPhase = deleted < p.batchSize ? following : phase;
      return { cursor: nextPhase, counts: { [phase]: deleted, deleted } };
    },
  };
}
