import type { JobLogger } from '../deps';
import type { Redis } from './redis';

/**
 * The runs waiting for a job's lock (after LockBusy), on the first Redis master beside the caches:
 * a sorted set of workflow ids scored by slot time, so a backfill is served oldest slot first. It
 * only speeds the hand-over up: a run that is never woken (the set lost in a Redis crash, a holder
 * killed before it could wake anyone) still retries on its own timer (workflows/lock-busy.ts).
 */
export const lockWaitersKey = (jobKey: string) => `tk:lock-waiters:${jobKey}`;

/** How many popped waiters a holder tries before giving up (runs that ended meanwhile are skipped). */
const MAX_WAKE_TRIES = 5;

/** Registers the run as waiting; returns how many runs wait now. */
export async function addLockWaiter(redis: Redis, jobKey: string, workflowId: string, slot: Date): Promise<number> {
  const key = lockWaitersKey(jobKey);
  const replies = await redis.multi().zadd(key, slot.getTime(), workflowId).zcard(key).exec();
  return Number(replies?.[1]?.[1] ?? 0);
}

export async function removeLockWaiter(redis: Redis, jobKey: string, workflowId: string): Promise<void> {
  await redis.zrem(lockWaitersKey(jobKey), workflowId);
}

/**
 * After a release: wakes the waiting run with the oldest slot (`wake` signals it). A waiter that
 * cannot be woken (its run has closed) is dropped and the next one tried. Never throws: a missed
 * wake-up only costs the waiter its timer.
 */
export async function wakeNextLockWaiter(redis: Redis, jobKey: string, wake: (workflowId: string) => Promise<void>, logger: JobLogger): Promise<void> {
  try {
    for (let i = 0; i < MAX_WAKE_TRIES; i++) {
      const [workflowId] = await redis.zpopmin(lockWaitersKey(jobKey));
      if (!workflowId) return;
      try {
        await wake(workflowId);
        return;
      } catch (err) {
        logger.debug({ jobKey, workflowId, err }, 'lock waiter could not be woken; trying the next');
      }
    }
  } catch (err) {
    logger.warn({ jobKey, err }, 'could not wake the next run waiting for the job lock; it retries on its timer');
  }
}
