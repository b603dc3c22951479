// Which runs go first when a task queue has a backlog (deterministic: workflow code).
import type { Priority } from '@temporalio/common';

/** A slot this far behind its run's start is catch-up work: a backfill, a late Retry, a long outage. */
export const CATCH_UP_AFTER_MS = 5 * 60_000;

/** Temporal priority keys run 1 (first) to 5; unset is 3. Waiting and catch-up work runs below that. */
export const CATCH_UP_PRIORITY: Priority = { priorityKey: 4 };

/**
 * The priority of a run's activities: on-time slots keep the default, catch-up work runs below it,
 * so a backfill of hundreds of slots never delays other jobs' on-time runs in the activity queue.
 * A call made again after LockBusy is waiting work too.
 */
export function activityPriority(slot: Date, runStarted: Date, afterLockBusy: boolean): Priority | undefined {
  return afterLockBusy || runStarted.getTime() - slot.getTime() > CATCH_UP_AFTER_MS ? CATCH_UP_PRIORITY : undefined;
}
