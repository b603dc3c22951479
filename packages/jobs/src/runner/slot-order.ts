import { slotOrderOf, supersedingSlot } from '@timekeeper/contracts';
import { advanceStateSlot, readStateSlot, type EntityManager } from '@timekeeper/db';
import { supersededFailure } from './superseded';

/**
 * Slot order, enforced where it cannot race: inside a chunk's transaction, with the job's fence row
 * locked (`for update`, also taken by advanceFence). A latest-state slot older than the newest slot
 * whose effects have committed is refused with Superseded before its step runs, so none of its
 * effects (MySQL rows, outbox events, fenced cache writes inside the step) land; otherwise the state
 * slot moves up to this slot and commits with the chunk. Period-keyed kinds pass untouched.
 */
export async function guardSlotOrder(tx: EntityManager, jobKey: string, kind: string, slot: Date): Promise<void> {
  if (slotOrderOf(kind) !== 'latest-state') return;
  const newer = supersedingSlot(kind, slot, await readStateSlot(tx, jobKey, { forUpdate: true }));
  if (newer) throw supersededFailure(jobKey, slot, newer);
  await advanceStateSlot(tx, jobKey, slot);
}
