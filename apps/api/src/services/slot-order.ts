import { SLOT_SUPERSEDED_ERROR, SUPERSEDED_LIST_MAX, supersedingSlot, type SupersededSlots } from '@timekeeper/contracts';
import { ApiError } from '../errors';

/**
 * Which of `slots` the job's state slot supersedes, oldest first, or null if none. The rule is
 * contracts' supersedingSlot; the worker enforces it in the chunk transaction, this only explains it
 * before anything starts.
 */
export function supersededAmong(kind: string, slots: Date[], stateSlot: Date | null): SupersededSlots | null {
  const older = slots.filter((s) => supersedingSlot(kind, s, stateSlot)).sort((a, b) => a.getTime() - b.getTime());
  if (!older.length || !stateSlot) return null;
  return { newerSlot: stateSlot.toISOString(), count: older.length, slots: older.slice(0, SUPERSEDED_LIST_MAX).map((s) => s.toISOString()) };
}

/** 409 slot_superseded: what would happen, and how to go ahead anyway. */
export function supersededConflict(jobKey: string, kind: string, superseded: SupersededSlots, backfillSlots?: number): ApiError {
  const { slots, count, newerSlot } = superseded;
  const range = count === 1 ? slots[0] : `${slots[0]} to ${slots[slots.length - 1]}${count > slots.length ? `, first ${slots.length} listed` : ''}`;
  const ofBackfill = `of this backfill of job "${jobKey}" (${range})`;
  const subject =
    backfillSlots === undefined
      ? `Slot ${slots[0]} of job "${jobKey}" is`
      : backfillSlots === 1
        ? `The slot ${ofBackfill} is`
        : count === backfillSlots
          ? `All ${count} slots ${ofBackfill} are`
          : `${count} of the ${backfillSlots} slots ${ofBackfill} ${count === 1 ? 'is' : 'are'}`;
  const message =
    `${subject} older than slot ${newerSlot}, whose effects have committed. A ${kind} job keeps the latest state, so ` +
    `${count === 1 ? 'it' : 'they'} would end as superseded and change nothing.`;
  // How to go ahead is a field of the request, so clients (the console) can word it their own way.
  const details = [{ field: 'confirmSuperseded', message: 'set to true to start anyway' }];
  return new ApiError(409, SLOT_SUPERSEDED_ERROR, message, details, { jobKey, superseded });
}
