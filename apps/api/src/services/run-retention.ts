import { DataCleanupParams } from '@timekeeper/contracts';
import { JobDefinition, JobSlot, type EntityManager } from '@timekeeper/db';

const DAY_MS = 86_400_000;

export type Retention = { days: number; cleanupJob: string };

/**
 * Whether data-cleanup may have deleted a slot's ledger row and checkpoints, so that re-running it
 * would apply its committed chunks again: the row is gone and the slot is older than the shortest
 * run retention of any data-cleanup job. (Cleanup deletes a row only when the slot and its verdict
 * are both older than the retention, and a slot's checkpoints only after its row is gone or final;
 * see packages/jobs activities/data-cleanup.ts.) A missing row of a recent slot only means no attempt
 * recorded it yet, which is safe to run.
 */
export async function slotPastRetention(em: EntityManager, jobKey: string, slot: Date, now = new Date()): Promise<Retention | null> {
  if ((await em.count(JobSlot, { jobKey, nominalTime: slot })) > 0) return null;
  let shortest: Retention | null = null;
  for (const cleanup of await em.find(JobDefinition, { kind: 'data-cleanup' })) {
    const days = Number(cleanup.params.runRetentionDays ?? DataCleanupParams.properties.runRetentionDays.default);
    if (!shortest || days < shortest.days) shortest = { days, cleanupJob: cleanup.key };
  }
  return shortest && slot.getTime() < now.getTime() - shortest.days * DAY_MS ? shortest : null;
}
